"""The library as the scope model (retrieval/scope.py) sees it: each document's card (the names a question can
give it by, its places, its level), title tokens and weights, the title pairs and places indexed to their
documents, and per-document term statistics read off the BM25 index. Built once per catalogue and lexical
snapshot (`library`)."""
from __future__ import annotations

import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from knowledge.plan_period import year_spans
from knowledge.text import TITLE_KINDS, fold, word_pairs as _pairs
from retrieval.scope_places import places_in, text_place

TOP_HITS = 20  # best-scoring units (BM25, whole question) whose scores are shared out among the documents
SPAN_CHARS = 12  # a run of this many characters of a title repeated in the question counts as fully naming it
# The longest run of the question's characters a document's best units hold verbatim (`Library.verbatim`), read in
# the VERBATIM_UNITS best units for the whole question, runs of up to VERBATIM_CHARS, never across punctuation.
# Grouped CV by document on the 1589 dev questions of b1-b14 (92-document library), out-of-fold log loss of the
# scope model: without it 0.249; read in the best 20 units 0.232, 60 0.221, 200 0.209, 500 0.209.
VERBATIM_UNITS = 200
VERBATIM_CHARS = 24
# Folded unit texts kept for the next questions (`Library.folded_text`), least recently read dropped first: a memory
# bound, not a fitted value. The reads of the last ~50 questions (VERBATIM_UNITS each); at 289 documents (~50,000
# units) a fifth of the library, a few MB, where keeping every unit read grew toward a folded copy of the whole index.
# Folding a unit again costs ~35 µs (2,124 units of the 74-document dev library folded in 0.07 s).
FOLDED_UNITS = 50 * VERBATIM_UNITS
_PUNCT = re.compile(r"[？?。，,、；;！!：:“”\"《》（）()\s]")


def _file_title(source: str) -> str:
    """A file name without its extension and the list number some collections put first (309、…)."""
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
    kinds: frozenset = frozenset()  # the kinds of document its names end with (意见, 规划; 通知 for a notice)
    years: tuple = ()  # the years its names give, as spans: “十四五” (2021, 2025), 2021年 (2021, 2021)


# The kinds a title ends with (knowledge.text.TITLE_KINDS), after what may follow the kind: a status or a period in
# brackets (（试行）, （2021-2035年）, （修订版）), a year (战略2035), closing quotes.
KINDS = TITLE_KINDS
_KIND_END = re.compile(rf"({KINDS})(?:[（(][^（）()]*[)）]|\d{{4}}|[》”\"\s])*$")


def kind_of(name: str) -> str | None:
    """The kind of document a name ends with (关于推进中央企业…的指导意见 → 意见), None when it ends with none."""
    m = _KIND_END.search(name)
    return m.group(1) if m else None


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
    if not places:  # a local document whose names give no place speaks as its place (助力我省…, 黑龙江省…)
        units = doc.units() if callable(getattr(doc, "units", None)) else []
        own = text_place("\n".join(u.text for u in units))
        places = [own] if own else []
    raw = [t for t in (title, source, fold(str(meta.get("notice_title") or ""))) if t]
    kinds = {k for k in map(kind_of, [*raw, *names]) if k}
    years = tuple(dict.fromkeys(s for t in raw for s in year_spans(t)))
    return Card(doc.doc_id, tuple(dict.fromkeys(names)), tuple(places), not places, frozenset(kinds), years)


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
        # Summed exactly: each dict's order follows a set of strings, which differs per process (PYTHONHASHSEED).
        self.name_totals = [[math.fsum(w.values()) for w in names] for names in self.name_weights]
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
        self._folded: OrderedDict[int, str] = OrderedDict()  # unit position → folded text, FOLDED_UNITS at most

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

    def naming(self, words: Sequence[str]) -> np.ndarray:
        """Per document: whether one of its units holds one of `words` (as an indexed token: a place's name)."""
        return (self.term_matrix(list(words)) > 0).any(axis=0) if words else np.zeros(len(self.ids), dtype=bool)

    def unit_scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Every unit's BM25 score for the whole question (0.0 for units of documents outside the catalogue)."""
        if not tokens or not len(self.unit_doc):
            return np.zeros(len(self.unit_doc))
        s = np.asarray(self.snap.scores(list(tokens)), dtype=np.float64)
        s[self.unit_doc < 0] = 0.0
        return s

    def folded_text(self, i: int) -> str:
        """Unit i's text folded (knowledge.text.fold), kept for the next questions (the FOLDED_UNITS most recently
        read)."""
        t = self._folded.get(i)
        if t is not None:
            self._folded.move_to_end(i)
            return t
        t = self._folded[i] = fold(self.snap.units[i].text)
        if len(self._folded) > FOLDED_UNITS:
            self._folded.popitem(last=False)
        return t

    def verbatim(self, question: str, scores: np.ndarray) -> np.ndarray:
        """Per document: the longest run of the question's characters (up to VERBATIM_CHARS, not across
        punctuation) one of its units holds verbatim, among the VERBATIM_UNITS units scoring best for the whole
        question (`scores`: unit_scores), as a share of the library's longest (0.0: none of its units is among
        them). A question repeats its passage's wording, which BM25's bag of words does not see: 新建大型、超大型
        数据中心原则上… is 阜阳's plan (…原则上布局在国家枢纽节点…), not 福建's (…布局要落实国家相关要求；原则上…)."""
        out = np.zeros(len(self.ids))
        scored = np.flatnonzero(scores > 0)
        if not len(scored):
            return out
        runs = char_runs(_PUNCT.sub("|", fold(question)), VERBATIM_CHARS)
        for i in scored[top_positions(scores[scored], VERBATIM_UNITS)]:
            j = self.unit_doc[i]
            out[j] = max(out[j], common_span(runs, self.folded_text(i)))
        longest = out.max()
        return out / longest if longest > 0 else out

    def lexical_mass(self, tokens: Sequence[str], s: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per document: its share of the BM25 score of the TOP_HITS best units for the whole question, and its
        best unit's score against the library's best unit (1.0 for the document holding that one, 0.0 for a
        document with no unit holding a word of the question). s: `unit_scores(tokens)` when already read."""
        mass, best = np.zeros(len(self.ids)), np.zeros(len(self.ids))
        if not tokens or not len(self.unit_doc):
            return mass, best
        s = self.unit_scores(tokens) if s is None else s
        scored = np.flatnonzero(s > 0)  # the units holding a query term: a few hundred of ~50,000
        top = scored[top_positions(s[scored], TOP_HITS)]
        if not len(top):
            return mass, best
        np.add.at(mass, self.unit_doc[top], s[top])
        np.maximum.at(best, self.unit_doc[scored], s[scored] / s[top[0]])
        return mass / mass.sum(), best


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


def char_runs(text: str, limit: int = SPAN_CHARS) -> list[set[str]]:
    """The text's runs of 1..limit characters, by length."""
    return [{text[i:i + size] for i in range(len(text) - size + 1)} for size in range(1, limit + 1)]


def common_span(runs: list[set[str]], b: str) -> int:
    """Length of the longest run of characters `b` shares with the text of `runs` (at most their limit)."""
    # Every prefix of a shared run is shared too, so from each start only a run longer than the best so far
    # needs checking: one look-up per character of `b` and per step up, not one per character and length.
    best, limit = 0, len(runs)
    for i in range(len(b)):
        while best < limit and i + best < len(b) and b[i:i + best + 1] in runs[best]:
            best += 1
    return best


_LIBRARIES: dict[tuple, Library] = {}


def library(documents: Sequence, snap, tokenize) -> Library:
    key = (tuple(d.doc_id for d in documents), id(snap), getattr(snap, "revision", 0))
    lib = _LIBRARIES.get(key)
    if lib is None:
        _LIBRARIES.clear()  # one library at a time: the catalogue and index move together
        lib = _LIBRARIES[key] = Library(documents, snap, tokenize)
    return lib
