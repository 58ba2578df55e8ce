"""Which documents a question is about, when the user set no document filter.

One calibrated decision, not stacked rules: every document of the library is a candidate, described by a
few features of (question, document) — how much of the question its title covers and how much of its title
the question repeats (by tokens, and by pairs of characters for the words a question shortens: 央企 for 中央企业),
how much of the question's distinctive vocabulary (IDF over the library's documents) its text holds, its place
against the places the question names (or its level when the question names none), its share of the lexical
ranking and its best unit's score against the library's best, the longest run of the question's characters its
best units hold verbatim against the library's longest, and the kind of document and the years the question
names against its title's (规划提到…, 这部规定, 按…意见; 2021年度 against a 2020年 scheme). A place counts as named whether or not the library has a document of
it (`named_places`: 广州 in a library without one is not a question naming no place); a clearly local question naming only such a place finds every
document another place's, national ones included: the library has nothing of the place, and the scope is the whole
library (a document's text naming the place is no document of it: 天津 is in 四川's plan and the national tax guide).
A conditional logit fitted on the dev questions of the blind set (`python -m eval.fit_scope --home DIR`, grouped by
document) scores them, and a softmax over the library turns the scores into the probability that the question
is about each document: a document counts by what it has that the others lack. The documents whose
probability reaches the threshold are the scope: one document, several (the answer then goes per
document), or none — the whole library. Below the threshold the fewest most probable documents holding the mass are
gathered (`decide`); since round 15 the threshold is the mass, 0.95 (a pin between 0.73 and 0.95 named the wrong
document in 3 of 4 questions of b15, which no fit had seen: docs/scope.md, ns26). Several documents also come from
two names side by side (`coordinated`). A question asking every place its own answer (各地…分别) is about the whole library (`across_places`); 国家 inside a compound
(国家级, 国家标准) is read apart from 国家 as a word (`national_asked`). The library as the model sees it is built in
retrieval/scope_library.py, the places of titles and questions read in retrieval/scope_places.py.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from errors import ConfigError
from knowledge.plan_period import year_spans
from knowledge.text import fold, word_pairs as _pairs
from retrieval.scope_library import KINDS, SPAN_CHARS, Library, char_runs, common_span, library
from retrieval.scope_places import named_places

MODEL_PATH = Path(__file__).with_name("scope.json")
MAX_DOCS = 3  # a wider scope is no scope: the whole library answers
TITLE_CANDIDATES = 40  # documents whose titles are read for one question (all of them in a library this size)
# A document's best unit for the whole question is read against the library's best one (BM25), as the ratio squared
# and as its log: under a softmax the log is a power of the ratio the fit chooses. Below a fifth of the best the log
# stops falling (a document whose best unit is that far down is as far from the question as one with none).
UNIT_FLOOR = 0.2

FEATURES = ("q_in_title", "title_in_q", "title_span", "q_in_text", "q_in_text_rel",
            "lex_best_rel", "lex_mass", "lex_unit_sq", "place_named", "national_asked_national",
            "national_no_place_named", "other_place_named", "q_pairs_in_title", "national_in_compound",
            "kind_named", "year_in_title", "year_off_title", "lex_unit_log", "verbatim_sq")

_OTHER_PLACE = FEATURES.index("other_place_named")

# The central level, as questions name it (中央预算内投资 is a fund, not an issuer: kept by the model's weights).
_NATIONAL_Q = re.compile(r"全国|国家|中央|国务院")
_NATIONAL_WORDS = {"全国", "国家", "中央", "国务院", "中共中央", "党中央"}


def national_asked(q: str) -> tuple[bool, bool]:
    """Whether the question names the central level as a word of its own (国家层面的规划, 全国碳市场, 国家发改委,
    中央的意见), and whether it writes it only inside a compound word (国家级绿色工厂, 国家标准, 中央财政: a grade,
    a standard, a fund, which a local document's question names too: 繁昌区对获评国家级绿色工厂的企业…). Words by
    jieba's stock dictionary (accurate mode); the model weighs the two readings apart (`national_asked_national`,
    `national_in_compound`; the refit of 2026-12-01 gave the compounds no weight: -0.12 against 2.45)."""
    if not _NATIONAL_Q.search(q):
        return False, False
    from retrieval.tokenize import stock_jieba  # the stock dictionary only: no library's user words

    words = [w for w in stock_jieba().lcut(q) if _NATIONAL_Q.search(w)]
    own = any(w in _NATIONAL_WORDS for w in words)
    return own, bool(words) and not own


def _idf(df: np.ndarray, n: int) -> np.ndarray:
    return np.log((n + 1.0) / (df + 0.5))


def _weighted_share(weights: dict[str, float], present: set[str], total: float) -> float:
    """The share of `weights` (summing to `total`) held by the terms in `present`. Summed exactly (math.fsum): the
    weights' order follows a set of strings, which differs per process (PYTHONHASHSEED), and a plain float sum in that
    order differs in its last bits from run to run (tests/test_hash_seed_order.py)."""
    return math.fsum(w for t, w in weights.items() if t in present) / total if total > 0 else 0.0


_EXPANDER: list = []


def as_searched(question: str) -> str:
    """The question with the official terms its short forms stand for (the [abbreviation] block of
    retrieval/synonyms_zh.txt: 央企 → 中央企业, 双碳 → 碳达峰碳中和, 两高 → 高耗能高排放), for the title readings:
    titles write the official term. Only the abbreviations: the everyday forms of that file (钱 → 资金, 公司 →
    企业) name no document (on all 946 dev questions, grouped CV, they made the scope worse)."""
    if not _EXPANDER:
        from retrieval.vocabulary import QueryExpander

        _EXPANDER.append(QueryExpander(section="abbreviation"))
    return _EXPANDER[0].expand(question)


def features(question: str, lib: Library) -> np.ndarray:
    """One row per document of `lib` (in `lib.ids` order), columns as FEATURES."""
    q = fold(question)
    n = len(lib.ids)
    tokens = list(dict.fromkeys(t for t in lib.tokenize(question) if len(t) >= 2 or re.match(r"\d", t)))
    tm = lib.term_matrix(tokens)
    present = tm > 0
    idf = _idf(present.sum(axis=1), n)
    qw = {t: float(w) for t, w in zip(tokens, idf)}
    named = fold(as_searched(question))  # titles write the official term of a short form (央企: 中央企业)
    runs = char_runs(named)

    text_share = (idf @ present) / idf.sum() if idf.sum() > 0 else np.zeros(n)
    best = tm.max(axis=0) if tokens else np.zeros(n)
    scores = lib.unit_scores(tokens)
    lex_mass, unit = lib.lexical_mass(tokens, scores)
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
    q_total = math.fsum(qw.values())
    for j in sorted(read):  # the title features; 0.0 for the documents whose titles are not read
        q_title = title_q = span = 0.0
        for name, tt, title_w, title_total in zip(lib.cards[j].names, lib.name_tokens[j], lib.name_weights[j],
                                                  lib.name_totals[j]):
            q_title = max(q_title, _weighted_share(qw, tt, q_total))
            title_q = max(title_q, _weighted_share(title_w, {t for t in tt if t in named}, title_total))
            span = max(span, common_span(runs, name) / SPAN_CHARS)
        x[j, :3] = q_title, title_q, span
    # The share of the question's title pairs (weighted) each document's names hold.
    pair_total = 0.0
    for b in sorted(_pairs(named)):  # in one order in every process: the sums below are floats
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
    # The best unit against the library's best, in two shapes (it was 1.0 for the document holding the best unit
    # and 0.0 for every other: a second document at 0.98 of the best counted as far as one without a unit, and
    # the winner's e^2.4 lead named one of two documents on a topic with p ≈ 0.9 — 财政支持做好碳达峰碳中和工作的意见
    # over the 中央企业 and 中共中央 意见 on 做好碳达峰碳中和工作, 湖北's 核查机构 办法 over 安徽's and 上海's).
    x[:, 7] = unit ** 2
    x[:, 17] = np.log(np.maximum(unit, UNIT_FLOOR))
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
    x[:, 14:17] = _kind_and_years(q, lib)
    x[:, 18] = lib.verbatim(question, scores) ** 2  # see Library.verbatim
    return x


_KIND = re.compile(KINDS)
# A kind word asked about names no document: 按什么办法奖, 有哪些政策, 什么规定 (an interrogative, or 相关/有关, up to
# two characters before it), where 规划提到, 这部规定, 按…意见 name the document the question is about.
_ASKED_KIND = re.compile(r"(?:什么|哪些|哪种|哪类|哪个|哪项|何种|啥|相关|有关)[\u4e00-\u9fff]{0,2}$")


def _kinds_named(q: str) -> set[str]:
    """The kinds of document a question names its document by (see _ASKED_KIND)."""
    return {m.group(0) for m in _KIND.finditer(q) if not _ASKED_KIND.search(q[:m.start()])}


def _kind_and_years(q: str, lib: Library) -> np.ndarray:
    """Per document: whether it is of a kind of document the question names (规划提到…, 这部规定, 按…意见: a 规划,
    a 规定, an 意见; a question naming none, or a kind of no document, favours none), and whether its title's
    years hold a year the question names (2021年度…, 到2025年 in a “十四五” plan) or only others (a 2020年 scheme
    for a question about 2021年度)."""
    out = np.zeros((len(lib.ids), 3))
    kinds = _kinds_named(q)
    spans = year_spans(q)
    for j, c in enumerate(lib.cards):
        if kinds & c.kinds:
            out[j, 0] = 1.0
        if spans and c.years:
            held = any(a <= y <= b for a, b in c.years for lo, hi in spans for y in (lo, hi))
            out[j, 1 if held else 2] = 1.0
    return out


@dataclass(frozen=True)
class ScopeModel:
    coef: tuple[float, ...]
    threshold: float
    meta: dict
    mass: float = 0.0  # see `decide`; chosen on dev runs by grouped CV (docs/scope.md, ns22, ns23)
    share: float = 0.0  # see answer.several.joined; chosen with the mass (docs/scope.md, ns23)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "ScopeModel":
        if not path.exists():  # it ships with the code: a missing file is a broken install, not "no scope"
            raise ConfigError(f"文档范围模型缺失：{path}（随代码提供；用 `python -m eval.fit_scope --home DIR` 重新拟合）")
        d = json.loads(path.read_text(encoding="utf-8"))
        if tuple(d.get("features", ())) != FEATURES:
            raise ValueError(f"{path}: features {d.get('features')} do not match this code's {FEATURES}: "
                             "refit with `python -m eval.fit_scope --home DIR`")
        return cls(tuple(d["coef"]), float(d["threshold"]), d.get("meta", {}), float(d.get("mass", 0.0)),
                   float(d.get("share", 0.0)))

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


def decide(ids: Sequence[str], probs: np.ndarray, threshold: float, limit: int = MAX_DOCS,
           mass: float = 0.0, gathered: np.ndarray | None = None) -> list[str] | None:
    """The documents at or above the threshold, most probable first; None (the whole library) when none is,
    or when more than `limit` are (a question that fits that many documents is a question about the library).

    mass: when no document reaches the threshold, the fewest most probable documents whose probabilities together
    reach `mass`, at most `limit` of them (the `limit` most probable when they hold less), are the scope — several
    documents, each answering as if asked alone (answer.several) — rather than the whole library (0: never). A
    question the model spreads over two or three documents (四川's plan 0.34 beside the 中央企业 意见 0.39) is about
    one of them, and a passage from a 74th document that shares the question's words (the 中央企业 意见's 抽水蓄能
    sentence for 四川's stations) is no answer to it. Until ns23 a spread below the mass (three documents holding
    less) searched the whole library: with each document answering alone, gathering them always did better
    (grouped CV by document, docs/scope.md).
    gathered: which documents the mass may gather (True/False per document; None: all) — not another place's
    than the question names (天津碳普惠平台… spread over 天津's 条例 and 重庆's 碳惠通 办法 gathers 天津's only)."""
    order = np.argsort(-probs, kind="stable")
    chosen = [ids[i] for i in order if probs[i] >= threshold]
    if not chosen and mass > 0:
        top = np.array([i for i in order if gathered is None or gathered[i]][:limit], dtype=np.int64)
        held = np.cumsum(probs[top])
        if len(top):
            chosen = [ids[i] for i in top[:int(np.argmax(held >= mass)) + 1 if held[-1] >= mass else len(top)]]
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


def across_places(question: str, lib: Library, indicator: bool = False) -> bool:
    """A question about every place's document and naming none (各地非化石能源消费比重目标分别是多少): the whole
    library answers it (one line per document), not the one document the softmax would pick by its text.

    indicator: the caller read the question as one indicator asked across documents (answer.indicator's
    `indicator_asked`: 各地非化石能源消费比重目标是多少？ — a canonical indicator beside 各地/各省/哪些城市…), which asks
    each place its own figure without 分别; unless it names the central level as a word: 国家对各省能耗强度降低实行
    什么样的目标管理？ asks the national document, which addresses 各省 (on the dev questions every 各省/各地
    question without 分别 is a national document's)."""
    q = fold(question)
    if indicator:
        if national_asked(q)[0]:
            return False
    elif not (_EVERY_PLACE.search(q) and _EACH_ITS_OWN.search(q)):
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


def asked(question: str, documents: Sequence, lexical, indicator: bool = False) -> Scope:
    """The scope of an unfiltered question with the probabilities it was decided by.

    documents: the catalogue's current documents; lexical: the LexicalIndex over them (its snapshot and
    tokenizer: one BM25 pass, no vector search), None when nothing is indexed (the whole library then);
    indicator: the question asks one indicator across documents (see `across_places`).
    Two names side by side: each document's probability among the documents its name can mean."""
    if not documents or lexical is None:
        return Scope(None, {})
    mdl = model()
    lib = library(list(documents), lexical.snapshot(), lexical.tokenizer.tokenize)
    if across_places(question, lib, indicator):
        return Scope(None, {})
    pairs = coordinated(question, lib)
    if not pairs:
        x = features(question, lib)
        p = mdl.probs(x)
        if len(x) and (x[:, _OTHER_PLACE] == 1.0).all():
            # Every document is another place's: the question names only places the library has no document of. A
            # softmax over the library still picks one by its text (the national building plan for 广州's 绿色建筑
            # target): the whole library answers, unless a document whose own text names the place reaches the
            # threshold — the national 化纤 guide's 新疆 and 贵州 bases (b14-46-05, b14-46-20), the national
            # catalogue's 青岛新前湾 project (b15-555-01), 四川's plan's 凉山州 and 甘孜州 (b3-562-06/07): every such dev
            # question; each rated 0.99-1.0, the one document answering it. Nothing is gathered below the threshold.
            p = np.where(lib.naming(named_places(lib.tokenize(question))), p, 0.0)
            ids = decide(lib.ids, p, mdl.threshold)
        else:
            ids = decide(lib.ids, p, mdl.threshold, mass=mdl.mass, gathered=x[:, _OTHER_PLACE] != 1.0)
        return Scope(ids, {d: float(p[lib.ids.index(d)]) for d in ids or []})
    scopes, probs = [], {}
    for q, meant in pairs:
        p = mdl.probs(features(q, lib)[meant]) if meant else np.zeros(0)
        ids = [lib.ids[j] for j in meant]
        scopes.append(decide(ids, p, mdl.threshold, mass=mdl.mass))
        for d in scopes[-1] or []:
            probs.setdefault(d, float(p[ids.index(d)]))
    if any(s is None for s in scopes):
        return Scope(None, {})
    chosen = list(dict.fromkeys(d for s in scopes for d in s))[:MAX_DOCS]
    return Scope(chosen, {d: probs[d] for d in chosen})
