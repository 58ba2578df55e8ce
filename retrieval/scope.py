"""Which documents a question is about, when the user set no document filter.

One calibrated decision, not stacked rules: every document of the library is a candidate, described by a
few features of (question, document) — how much of the question its title covers and how much of its title
the question repeats (by tokens, and by pairs of characters for the words a question shortens: 央企 for 中央企业),
how much of the question's distinctive vocabulary (IDF over the library's documents) its text holds, its place
against the places the question names (or its level when the question names none), and its share of the lexical
ranking. A place counts as named whether or not the library has a document of it (`named_places`: 广州 in a library
without one is not a question naming no place); a clearly local question naming only such a place finds every
document another place's, national ones included: the library has nothing of the place, and the scope is the whole
library (a document's text naming the place is no document of it: 天津 is in 四川's plan and the national tax guide).
A conditional logit fitted on the dev questions of the blind set (`python -m eval.fit_scope --home DIR`, grouped by
document) scores them, and a softmax over the library turns the scores into the probability that the question
is about each document: a document counts by what it has that the others lack. The documents whose
probability reaches the fitted threshold are the scope: one document, several (the answer then goes per
document), or none — the whole library. With a threshold above one half (the refit of 2026-12-01 chose 0.72) the
model names one document or none; several come from two names side by side (`coordinated`).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np

from errors import ConfigError
from knowledge.text import fold, word_pairs as _pairs
from retrieval.scope_places import named_places, places_in

MODEL_PATH = Path(__file__).with_name("scope.json")
MAX_DOCS = 3  # a wider scope is no scope: the whole library answers
TOP_HITS = 20  # best-scoring units (BM25, whole question) whose scores are shared out among the documents
TITLE_CANDIDATES = 40  # documents whose titles are read for one question (all of them in a library this size)
SPAN_CHARS = 12  # a run of this many characters of a title repeated in the question counts as fully naming it

FEATURES = ("q_in_title", "title_in_q", "title_span", "q_in_text", "q_in_text_rel",
            "lex_best_rel", "lex_mass", "lex_top", "place_named", "national_asked_national",
            "national_no_place_named", "other_place_named", "q_pairs_in_title", "national_in_compound")

_OTHER_PLACE = FEATURES.index("other_place_named")

# The central level, as questions name it (中央预算内投资 is a fund, not an issuer: kept by the model's weights).
_NATIONAL_Q = re.compile(r"全国|国家|中央|国务院")
_NATIONAL_WORDS = {"全国", "国家", "中央", "国务院", "中共中央", "党中央"}
_STOCK: list = []  # a jieba tokenizer with the stock dictionary only (no library's user words)


def national_asked(q: str) -> tuple[bool, bool]:
    """Whether the question names the central level as a word of its own (国家层面的规划, 全国碳市场, 国家发改委,
    中央的意见), and whether it writes it only inside a compound word (国家级绿色工厂, 国家标准, 中央财政: a grade,
    a standard, a fund, which a local document's question names too: 繁昌区对获评国家级绿色工厂的企业…). Words by
    jieba's stock dictionary (accurate mode); the model weighs the two readings apart (`national_asked_national`,
    `national_in_compound`; the refit of 2026-12-01 gave the compounds no weight: -0.12 against 2.45)."""
    if not _NATIONAL_Q.search(q):
        return False, False
    if not _STOCK:
        from retrieval.tokenize import _fresh_jieba

        _STOCK.append(_fresh_jieba())
    words = [w for w in _STOCK[0].lcut(q) if _NATIONAL_Q.search(w)]
    own = any(w in _NATIONAL_WORDS for w in words)
    return own, bool(words) and not own


def _file_title(source: str) -> str:
    """A file name without its extension and the list number some collections put first (181、…)."""
    s = re.sub(r"\.(pdf|txt|md|docx)$", "", fold(source), flags=re.I)
    return re.sub(r"^\d+[、.．_\-\s]*", "", s)


@dataclass(frozen=True)
class Card:
    """What a question can name a document by."""
    doc_id: str
    names: tuple[str, ...]  # folded: the policy's own title as the stored title, file name and notice give it,
    # and its 文号
    places: tuple[str, ...]
    national: bool  # no place of its own: issued at the central level


def policy_name(title: str) -> str:
    """The policy's own title inside a wrapper: 中共中央办公厅、国务院办公厅印发《关于推动城乡建设绿色发展的意见》
    → 推动城乡建设绿色发展的意见; 市生态环境局关于天津市2021年度碳排放配额安排的通知 → 天津市2021年度碳排放配额安排."""
    t = fold(title)
    quoted = re.search(r"《([^》]{4,})》?", t)
    if quoted:
        t = quoted.group(1)
    t = re.sub(r"^.{0,30}?(?:关于印发|关于发布|印发|发布|关于)(?=.{6,})", "", t)
    t = re.sub(r"^(?:关于)", "", t)
    return re.sub(r"(?:》)?(?:的)?通知$", "", t) if len(t) > 8 else t


def card(doc) -> Card:
    """From a knowledge.model.Document: its title, file name and front matter."""
    meta = getattr(doc, "meta", None) or {}
    title, source = fold(doc.title), _file_title(getattr(doc, "source", ""))
    names = [policy_name(t) for t in (title, source, str(meta.get("notice_title") or "")) if t]
    if meta.get("doc_number"):
        names.append(fold(str(meta["doc_number"])))
    places: list[str] = []
    for text in (title, source, fold(str(meta.get("issuer") or ""))):
        places += [p for p in places_in(text)[:2] if p not in places]
    return Card(doc.doc_id, tuple(dict.fromkeys(names)), tuple(places), not places)


class Library:
    """The library's documents as the scope model sees them: cards, title tokens, and each indexed unit's
    document (for per-document term statistics). Built once per catalogue and lexical snapshot."""

    def __init__(self, documents: Iterable, snap, tokenize: Callable[[str], list[str]]):
        self.cards = [card(d) for d in documents]
        self.ids = [c.doc_id for c in self.cards]
        col = {d: i for i, d in enumerate(self.ids)}
        self.snap = snap
        # Position of every unit's document in `ids`; -1 for units of documents outside the catalogue
        # (earlier editions) — they never count.
        self.unit_doc = np.array([col.get(u.doc_id, -1) for u in snap.units], dtype=np.int64)
        # The catalogue's units grouped by document, for per-document maxima (np.maximum.reduceat).
        self._order = np.array([i for i in np.argsort(self.unit_doc, kind="stable") if self.unit_doc[i] >= 0],
                               dtype=np.int64)
        grouped = self.unit_doc[self._order]
        self._starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(grouped) else grouped
        self._present = grouped[self._starts] if len(grouped) else grouped
        self.name_tokens = [[set(tokenize(name)) for name in c.names] for c in self.cards]
        # Title terms weigh by how few documents' names share them (a place, 林业碳汇), not by the text's
        # frequencies.
        df: dict[str, int] = {}
        for names in self.name_tokens:
            for t in set().union(*names):
                df[t] = df.get(t, 0) + 1
        n = len(self.cards)
        self.name_weights = [[{t: math.log((n + 1.0) / (df[t] + 0.5)) for t in tt} for tt in names]
                             for names in self.name_tokens]
        self.tokenize = tokenize
        self.national = np.array([c.national for c in self.cards], dtype=np.float64)
        self.name_totals = [[sum(w.values()) for w in names] for names in self.name_weights]
        # The titles' pairs of characters, for a question that shortens a title's words (央企 for 中央企业, 近零碳园区
        # for 近零碳排放园区, 工信厅 for 工业和信息化厅) where the tokens of the two never meet.
        # Each pair once, with the documents whose names hold it and its weight (rarer across names, heavier).
        docs_with: dict[str, list[int]] = {}
        for j, c in enumerate(self.cards):
            for b in set().union(*(_pairs(name) for name in c.names)):
                docs_with.setdefault(b, []).append(j)
        self.pair_docs = {b: (np.array(js, dtype=np.int64), math.log((n + 1.0) / (len(js) + 0.5)))
                          for b, js in docs_with.items()}
        # Each place once, with the documents of it: a question is matched against a few hundred places, not
        # every document's list of them.
        docs_of: dict[str, list[int]] = {}
        for j, c in enumerate(self.cards):
            for p in c.places:
                docs_of.setdefault(p, []).append(j)
        self.place_docs = [(p, np.array(js, dtype=np.int64)) for p, js in docs_of.items()]

    def term_matrix(self, tokens: Sequence[str]) -> np.ndarray:
        """[token, document] → the best BM25 score of the token in any unit of the document (0: absent).

        Read off the index's postings (the units holding the token and their scores), not by scoring every
        unit once per token: at 289 documents (~50,000 units) a token's scores over all units cost more than
        the rest of the scope decision. The same float32 scores as a one-token query, so the same matrix."""
        out = np.zeros((len(tokens), len(self.ids)), dtype=np.float64)
        bm25 = self.snap.bm25
        if not len(tokens) or not len(self._order) or bm25 is None:
            return out
        if getattr(bm25, "nonoccurrence_array", None) is not None:  # BM25L/BM25+: absent terms score too
            scores = np.stack([np.asarray(self.snap.scores([t]), dtype=np.float64)[self._order] for t in tokens])
            out[:, self._present] = np.maximum.reduceat(scores, self._starts, axis=1)
            return out
        vocab, sc = bm25.vocab_dict, bm25.scores
        data, indices, indptr = sc["data"], sc["indices"], sc["indptr"]
        for row, t in enumerate(tokens):
            tid = vocab.get(t) if t else None
            if tid is None:
                continue
            a, b = int(indptr[tid]), int(indptr[tid + 1])
            docs = self.unit_doc[indices[a:b]]
            keep = docs >= 0
            np.maximum.at(out[row], docs[keep], data[a:b][keep].astype(np.float64))
        return out

    def lexical_mass(self, tokens: Sequence[str]) -> tuple[np.ndarray, int | None]:
        """Each document's share of the BM25 score of the TOP_HITS best units for the whole question, and the
        position of the document holding the best one."""
        mass = np.zeros(len(self.ids))
        if not tokens or not len(self.unit_doc):
            return mass, None
        s = np.asarray(self.snap.scores(list(tokens)), dtype=np.float64)
        s[self.unit_doc < 0] = 0.0
        scored = np.flatnonzero(s > 0)  # the units holding a query term: a few hundred of ~50,000
        top = scored[top_positions(s[scored], TOP_HITS)]
        if not len(top):
            return mass, None
        np.add.at(mass, self.unit_doc[top], s[top])
        return mass / mass.sum(), int(self.unit_doc[top[0]])


def top_positions(s: np.ndarray, k: int) -> np.ndarray:
    """The positions of the k largest values, largest first, ties by position: what
    `np.argsort(-s, kind="stable")[:k]` gives, without sorting all ~50,000 units of a large library."""
    n = len(s)
    if k >= n:
        return np.argsort(-s, kind="stable")[:k]
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    kth = np.partition(s, n - k)[n - k]  # the k-th largest value
    above = np.flatnonzero(s > kth)
    tied = np.flatnonzero(s == kth)[:k - len(above)]  # ties at the edge: the first by position
    chosen = np.concatenate([above, tied])
    return chosen[np.argsort(-s[chosen], kind="stable")]


_LIBRARIES: dict[tuple, Library] = {}


def library(documents: Sequence, snap, tokenize) -> Library:
    key = (tuple(d.doc_id for d in documents), id(snap), getattr(snap, "revision", 0))
    lib = _LIBRARIES.get(key)
    if lib is None:
        _LIBRARIES.clear()  # one library at a time: the catalogue and index move together
        lib = _LIBRARIES[key] = Library(documents, snap, tokenize)
    return lib


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    return np.log((n + 1.0) / (df + 0.5))


def _weighted_share(weights: dict[str, float], present: set[str], total: float) -> float:
    """The share of `weights` (summing to `total`) held by the terms in `present`."""
    return sum(w for t, w in weights.items() if t in present) / total if total > 0 else 0.0


def features(question: str, lib: Library) -> np.ndarray:
    """One row per document of `lib` (in `lib.ids` order), columns as FEATURES."""
    q = fold(question)
    n = len(lib.ids)
    tokens = list(dict.fromkeys(t for t in lib.tokenize(question) if len(t) >= 2 or re.match(r"\d", t)))
    tm = lib.term_matrix(tokens)
    present = tm > 0
    idf = _idf(present.sum(axis=1), n)
    qw = {t: float(w) for t, w in zip(tokens, idf)}
    runs = _runs(q)

    text_share = (idf @ present) / idf.sum() if idf.sum() > 0 else np.zeros(n)
    best = tm.max(axis=0) if tokens else np.zeros(n)
    lex_mass, lex_top = lib.lexical_mass(tokens)
    top_share, top_best = text_share.max(initial=0.0), best.max(initial=0.0)
    national_q, compound = national_asked(q)

    place = np.zeros(n, dtype=np.float64)
    lib_places = []
    for p, js in lib.place_docs:
        if p in q:
            place[js] = 1.0
            lib_places.append(p)
    # Titles are read for the documents whose place the question names or whose text covers it best; in a
    # library of hundreds the rest score as if their titles shared nothing with the question.
    read = set(np.argsort(-(place + text_share), kind="stable")[:TITLE_CANDIDATES].tolist())

    x = np.zeros((n, len(FEATURES)), dtype=np.float64)
    q_total = sum(qw.values())
    for j in sorted(read):  # the title features; 0.0 for the documents whose titles are not read
        q_title = title_q = span = 0.0
        for name, tt, title_w, title_total in zip(lib.cards[j].names, lib.name_tokens[j], lib.name_weights[j],
                                                  lib.name_totals[j]):
            q_title = max(q_title, _weighted_share(qw, tt, q_total))
            title_q = max(title_q, _weighted_share(title_w, {t for t in tt if t in q}, title_total))
            span = max(span, _common_span(runs, name) / SPAN_CHARS)
        x[j, :3] = q_title, title_q, span
    # The share of the question's title pairs (weighted) each document's names hold.
    pair_total = 0.0
    for b in _pairs(q):
        if b in lib.pair_docs:
            js, w = lib.pair_docs[b]
            x[js, 12] += w
            pair_total += w
    if pair_total > 0:
        x[:, 12] /= pair_total
    x[:, 3] = text_share
    if top_share > 0:
        x[:, 4] = text_share / top_share
    if top_best > 0:
        x[:, 5] = best / top_best
    x[:, 6] = lex_mass
    if lex_top is not None:
        x[lex_top, 7] = 1.0
    x[:, 8] = place
    if national_q:
        x[:, 9] = lib.national
    elif compound:
        x[:, 13] = lib.national
    # Whether the question names a place at all, read against each document's level: a question naming none is
    # more often about a national document (on the dev questions a local document's question names its place
    # two times in three), and one naming a place is rarely about another place's document.
    # A place counts as named whether or not the library has a document of it (广州 in a library without one):
    # such a question is not one naming no place, and when it is clearly local (no 国家/全国/中央) the national
    # documents are as far from it as other places' ones — the place features then favour no document.
    unmatched = [p for p in named_places(tokens) if not any(p in c or c in p for c in lib_places)]
    if place.any() or unmatched:
        other = 1.0 - lib.national * (0.0 if unmatched and not national_q else 1.0)
        x[:, 11] = (1.0 - place) * other
    else:
        x[:, 10] = lib.national
    return x


def _runs(text: str, limit: int = SPAN_CHARS) -> list[set[str]]:
    """The text's runs of 1..limit characters, by length."""
    return [{text[i:i + size] for i in range(len(text) - size + 1)} for size in range(1, limit + 1)]


def _common_span(runs: list[set[str]], b: str) -> int:
    """Length of the longest run of characters `b` shares with the text of `runs` (at most their limit)."""
    # Every prefix of a shared run is shared too, so from each start only a run longer than the best so far
    # needs checking: one look-up per character of `b` and per step up, not one per character and length.
    best, limit = 0, len(runs)
    for i in range(len(b)):
        while best < limit and i + best < len(b) and b[i:i + best + 1] in runs[best]:
            best += 1
    return best


@dataclass(frozen=True)
class ScopeModel:
    coef: tuple[float, ...]
    threshold: float
    meta: dict

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "ScopeModel":
        if not path.exists():  # it ships with the code: a missing file is a broken install, not "no scope"
            raise ConfigError(f"文档范围模型缺失：{path}（随代码提供；用 `python -m eval.fit_scope --home DIR` 重新拟合）")
        d = json.loads(path.read_text(encoding="utf-8"))
        if tuple(d.get("features", ())) != FEATURES:
            raise ValueError(f"{path}: features {d.get('features')} do not match this code's {FEATURES}: "
                             "refit with `python -m eval.fit_scope --home DIR`")
        return cls(tuple(d["coef"]), float(d["threshold"]), d.get("meta", {}))

    def probs(self, x: np.ndarray) -> np.ndarray:
        return shares(x, np.asarray(self.coef))


def shares(x: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """P(the question is about document d) over the library's documents: a softmax of the documents' scores
    (a conditional logit): what one document has, the others lack."""
    z = x @ coef
    e = np.exp(z - z.max()) if len(z) else z
    return e / e.sum() if len(z) else e


_MODEL: list = []


def model() -> ScopeModel:
    if not _MODEL:
        _MODEL.append(ScopeModel.load())
    return _MODEL[0]


def decide(ids: Sequence[str], probs: np.ndarray, threshold: float, limit: int = MAX_DOCS) -> list[str] | None:
    """The documents at or above the threshold, most probable first; None (the whole library) when none is,
    or when more than `limit` are (a question that fits that many documents is a question about the library)."""
    order = np.argsort(-probs, kind="stable")
    chosen = [ids[i] for i in order if probs[i] >= threshold]
    if not chosen or len(chosen) > limit:
        return None
    return chosen


def coordinated(question: str, lib: Library) -> list[tuple[str, list[int]]]:
    """A question about two documents named side by side (梧州和石家庄…分别, 国家意见和连云港举措…): one question
    per name, the other name left out, each with the documents that name can mean (those of the place; those
    without a place for 国家/全国/中央); [] when the question does not coordinate two names. Two names count as
    coordinated when 和/与/及/、/跟/同 stands between them within one clause."""
    q = fold(question)
    places = sorted({p for c in lib.cards for p in c.places if p in q}, key=len, reverse=True)
    spans = [(m.start(), m.end(), None) for m in _NATIONAL_Q.finditer(q)]
    for p in places:
        spans += [(m.start(), m.end(), p) for m in re.finditer(re.escape(p), q)
                  if not any(a <= m.start() < b for a, b, _ in spans)]
    spans.sort()
    for (a1, b1, p1), (a2, b2, p2) in zip(spans, spans[1:]):
        between = q[b1:a2]
        if p1 != p2 and _CONJUNCTION.search(between) and not _CLAUSE_END.search(between):
            return [(q[:a2] + q[b2:], _meant(lib, p1)), (q[:a1] + q[b1:], _meant(lib, p2))]
    return []


def _meant(lib: Library, place: str | None) -> list[int]:
    return [j for j, c in enumerate(lib.cards) if (place in c.places if place else c.national)]


_CONJUNCTION = re.compile(r"和|与|及|、|跟|同")
_CLAUSE_END = re.compile(r"[，,。；;？?！!：:]")


# A question asking one thing of every place (各地…分别是多少, 各省…有何不同): "各" before a province- or
# country-wide unit is "each place" (各市, 各区, 各县 are left out: a city's or a province's document addresses its
# own districts so), and 分别/各自/对比/比较/有何不同 asks each its own answer. No one document answers it.
_EVERY_PLACE = re.compile(r"各(?:地|省|城市|地方)")
_EACH_ITS_OWN = re.compile(r"分别|各自|对比|比较|有何不同|有什么不同|有哪些不同|差异|差别")


def across_places(question: str, lib: Library) -> bool:
    """A question about every place's document and naming none (各地非化石能源消费比重目标分别是多少): the whole
    library answers it (one line per document), not the one document the softmax would pick by its text."""
    q = fold(question)
    if not (_EVERY_PLACE.search(q) and _EACH_ITS_OWN.search(q)):
        return False
    return not any(p in q for p, _ in lib.place_docs) and not named_places(lib.tokenize(question))


@dataclass(frozen=True)
class Scope:
    """A question's scope and the model's probability of each document in it: what the answer reads when it must
    take one document of several (the most probable). A document filter is a scope of one, probability 1."""
    ids: list[str] | None  # None: the whole library
    probs: dict[str, float]  # doc_id → P(the question is about it), for the documents in `ids`

    def ranked(self, doc_ids) -> list[str]:
        """`doc_ids` most probable first (stable: the others keep their order, after them)."""
        return sorted(doc_ids, key=lambda d: -self.probs.get(d, 0.0))


def asked(question: str, documents: Sequence, lexical) -> Scope:
    """The scope of an unfiltered question with the probabilities it was decided by.

    documents: the catalogue's current documents; lexical: the LexicalIndex over them (its snapshot and
    tokenizer: one BM25 pass, no vector search), None when nothing is indexed (the whole library then).
    Two names side by side: each document's probability among the documents its name can mean."""
    if not documents or lexical is None:
        return Scope(None, {})
    mdl = model()
    lib = library(list(documents), lexical.snapshot(), lexical.tokenizer.tokenize)
    if across_places(question, lib):
        return Scope(None, {})
    pairs = coordinated(question, lib)
    if not pairs:
        x = features(question, lib)
        if len(x) and (x[:, _OTHER_PLACE] == 1.0).all():
            # Every document is another place's: the question names only places the library has no document of. A softmax over the library would still pick one (by
            # text, or the national ones): the scope is the whole library instead.
            return Scope(None, {})
        p = mdl.probs(x)
        ids = decide(lib.ids, p, mdl.threshold)
        return Scope(ids, {d: float(p[lib.ids.index(d)]) for d in ids or []})
    scopes, probs = [], {}
    for q, meant in pairs:
        p = mdl.probs(features(q, lib)[meant]) if meant else np.zeros(0)
        ids = [lib.ids[j] for j in meant]
        scopes.append(decide(ids, p, mdl.threshold))
        for d in scopes[-1] or []:
            probs.setdefault(d, float(p[ids.index(d)]))
    if any(s is None for s in scopes):
        return Scope(None, {})
    chosen = list(dict.fromkeys(d for s in scopes for d in s))[:MAX_DOCS]
    return Scope(chosen, {d: probs[d] for d in chosen})
