"""Answerability as one calibrated decision.

Every sentence of the retrieved units (and the sentence a structured handler quoted) is a candidate. Each
candidate gets a few features — coverage of the question's content words (document titles and places do
not count as topic words), encoder similarity, whether it carries the kind of fact asked (an amount with
its unit, a year or date, an organisation, a condition, a consequence), retrieval rank and score — and a
logistic regression turns them into the probability that the candidate states the answer. The best
candidate answers when that probability reaches the threshold; otherwise the documents do not cover it.

The weights and the threshold live in `answerability.json`, written by `python -m eval.fit_answerability`
from the dev split of the blind test set (cross-validated by document; the test split is never read).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from answer.asks import ASKED_FACTS
from answer.text import HAS_AMOUNT, amount_contexts, overlap, strip_heading
from errors import ConfigError
from knowledge.text import bigrams, fold

MODEL_PATH = Path(__file__).with_name("answerability.json")

# -- what a question asks for, and whether a sentence carries it --------------------------------------------
# Asked kind → (question pattern, from the intent table; evidence pattern).
_MONEY = r"\d[\d.,]*\s*(?:亿|万|千)?元|[一二三四五六七八九十百千万亿]+(?:万|亿)?元"
# A span of time is a figure too (保存期30年, 15个工作日): one to three digits, so no year (2025年) or date is one.
_SPAN = (r"(?<![\d月.])\d{1,3}\s*(?:个)?(?:年|个月|天|工作日|日内)(?![\d度])"
         # in Chinese numerals too, as regulations write them (七个工作日内, 十五日内, 三年)
         r"|(?<![第\u4e00-\u9fff][一二三四五六七八九十])[一二三四五六七八九十两]{1,3}(?:个)?(?:个月|工作日|日内|天内|年内)")
# A measured value in a legal unit of measurement (中华人民共和国法定计量单位: 420克/升, 50毫克/立方米, 85分贝), a
# score (得分在80分以下) or a figure in 万/亿: a figure the question's 多少 asks for as much as 30% is.
_MEASURE = (r"\d+(?:\.\d+)?\s*(?:毫克|微克|千克|公斤|克|毫升|升|立方米|千瓦时|兆瓦|分贝|摄氏度|℃)"
            r"|\d+(?:\.\d+)?\s*分(?![钟之类别期批])"
            # electrical, pressure and frequency units of the same list (±120千伏, 10千伏安, 50赫兹, 1.6兆帕)
            r"|\d+(?:\.\d+)?\s*(?:千伏安|兆伏安|千伏|伏|赫兹|兆帕|千帕)"
            # a decimal without a unit: a coefficient or ratio as statistics write it (控排系数为0.98, 铁钢比下降至0.75,
            # PUE降至1.3): one to three digits before the point, so no year (2021.12) is one; not after a Latin letter,
            # where it is part of a name (PM2.5, 细颗粒物（PM2.5）)
            r"|(?<![\d.A-Za-z])\d{1,3}\.\d+(?![\d.])"
            # a figure with its order of magnitude and the unit left to the context (开工建设2000万装机新能源项目)
            r"|\d+(?:\.\d+)?\s*(?:万|亿)(?![\d])")
ASKED: dict[str, tuple[re.Pattern, re.Pattern]] = {
    "amount": (ASKED_FACTS["amount"],
               re.compile(f"{HAS_AMOUNT.pattern}|{_MONEY}|\\d+(?:\\.\\d+)?\\s*(?:%|％|倍)|{_SPAN}|{_MEASURE}")),
    "date": (ASKED_FACTS["date"],
             re.compile(r"20\d{2}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|(?:每月|每季度|每半年)\s*\d{0,2}\s*日?|\d{1,2}\s*日(?:前|之前|内)|\d{1,2}月(?:底|末|前|中旬|上旬|下旬)|(?:每年|年底|年内)|\d+\s*(?:个)?(?:工作日|日内|天内|年内|个月)|有效期|"
                        r"[一二三四五六七八九十两]{1,3}个?(?:工作日|日内|天内|年内|个月)")),
    "org": (ASKED_FACTS["org"],
            re.compile(r"(?:委员会|发展改革委|发改委|委|局|厅|部|处|办公室|管委会|人民政府|政府|中心|小组|主管部门|部门|机构)")),
    "condition": (ASKED_FACTS["condition"],
                  re.compile(r"符合|具备|具有|满足|须|需|应当|必须|条件|以上|不低于|达到|注册|纳税|无.{0,6}(?:记录|行为)")),
    "penalty": (ASKED_FACTS["penalty"],
                re.compile(r"罚款|处以|责令|追究|吊销|撤销|取消|收回|追回|通报|处罚|法律责任|记入|信用")),
}

_ORG_NAME = re.compile(
    r"((?:国家|省|自治区|市|区|县|各)?[\u4e00-\u9fff]{1,16}?(?:委员会|发展改革委|发改委|局|厅|部|处|办公室|管委会|人民政府|政府|"
    r"领导小组|中心|主管部门|有关部门|相关部门))")


def asked_kinds(question: str) -> tuple[str, ...]:
    return tuple(k for k, (ask, _) in ASKED.items() if ask.search(question))


def carries(kind: str, sentence: str) -> bool:
    return ASKED[kind][1].search(sentence) is not None


FEATURES = (
    "bias", "cov_full", "cov_sentence", "bigram_overlap", "vector_sim", "has_vector", "rank_recip", "rel_score",
    "retrieved_sentence", "asks_specific", "carried_share", "asks_amount_missing", "asks_date_missing",
    "asks_org_missing", "years_missing", "domain_missing", "scope_absent", "structured", "heading_only",
    "n_words", "all_covered", "missing_count", "log_length", "other_year_due", "amount_clause_cov",
    "amount_clause_off_topic", "scope_unused", "missing_beside_list",
)


@dataclass
class Candidate:
    doc_id: str
    seq: int
    sentence: str  # exact substring of the unit text
    x: list[float] = field(default_factory=list)
    prob: float = 0.0
    structured: bool = False  # quoted by a structured handler
    eligible: bool = True  # False: states a figure for another year than the asked one (kept as "closest")


@dataclass(frozen=True)
class QuestionView:
    """What the features need from the question, computed once."""
    words: tuple[str, ...]
    terms: frozenset[str]
    kinds: tuple[str, ...]
    years: tuple[str, ...]
    scope_absent: bool
    due_years: tuple[int, ...] = ()  # asked due years (到2030年), not baselines (比2020年)
    question: str = ""  # folded
    scope_unused: float = 0.0  # share of the content words that no document in scope uses at all


def features(qv: QuestionView, matcher, *, sentence: str, unit_title: str, doc_title: str, before: str,
             rank: int | None, rel_score: float, vector: float | None, retrieved: bool,
             structured: bool) -> list[float]:
    words = list(qv.words)
    cov_full, missing = matcher.coverage(words, doc_title + unit_title + sentence) if words else (1.0, [])
    cov_sent = matcher.coverage(words, sentence)[0] if words else 1.0
    kinds = qv.kinds
    carried = [carries(k, sentence) for k in kinds]
    years_missing = bool(qv.years) and not all(y in sentence for y in qv.years)
    # The sentence sets a figure for another year than the one asked (到2025年 … when 2030 is asked).
    due = re.findall(r"(?:到|至|力争到|争取到)(20\d{2})年", sentence)
    other_year_due = bool(qv.years) and bool(due) and not (set(due) & set(qv.years))
    return [
        1.0, cov_full, cov_sent, overlap(set(qv.terms), sentence),
        vector or 0.0, 1.0 if vector is not None else 0.0,
        1.0 / (1 + rank) if rank is not None else 0.0, rel_score,
        1.0 if retrieved else 0.0,
        1.0 if kinds else 0.0, (sum(carried) / len(carried)) if kinds else 0.0,
        1.0 if "amount" in kinds and not carries("amount", sentence) else 0.0,
        1.0 if "date" in kinds and not carries("date", sentence) else 0.0,
        1.0 if "org" in kinds and not carries("org", sentence) else 0.0,
        1.0 if years_missing else 0.0,
        1.0 if matcher.domain_missing(words, unit_title + sentence) else 0.0,
        1.0 if qv.scope_absent else 0.0,
        1.0 if structured else 0.0,
        1.0 if len(strip_heading(sentence)) <= len(unit_title) + 1 else 0.0,
        min(len(words), 10) / 10,
        1.0 if not missing else 0.0,
        min(len(missing), 4) / 4,
        math.log(1 + len(sentence)) / 6,
        1.0 if other_year_due else 0.0,
        *_amount_clause(qv, matcher, words, sentence),
        qv.scope_unused,
        1.0 if missing and _ENUMERATION.search(sentence) and any(not matcher.present(w, sentence) for w in missing)
        else 0.0,
    ]


# A list of kindred items (化学需氧量、氨氮、氮氧化物; 风力、水力): a sentence that enumerates them but not the asked
# one speaks of its siblings — the near miss of an unanswerable question (二氧化硫 asked).
_ENUMERATION = re.compile(r"[\u4e00-\u9fff]{2,}、[\u4e00-\u9fff]{2,}")


def _amount_clause(qv: QuestionView, matcher, words: list[str], sentence: str) -> tuple[float, float]:
    """For an amount question: how well the clause around the sentence's best figure covers the question,
    and whether every figure's clause is about another policy term (80% of 绿色建筑 when 装配式建筑 is asked)."""
    if "amount" not in qv.kinds or not words or not HAS_AMOUNT.search(sentence):
        return 0.0, 0.0
    contexts = amount_contexts(sentence)
    cov = max(matcher.coverage(words, c)[0] for c in contexts)
    off = all(matcher.domain_missing(words, c) for c in contexts)
    return cov, 1.0 if off else 0.0


DECISION_EXTRA = ("prob", "margin", "first_refused")
_SCOPE_ABSENT, _COV_FULL, _SCOPE_UNUSED = (FEATURES.index(n) for n in ("scope_absent", "cov_full", "scope_unused"))
STRUCTURED_SLACK = 0.1


def decision_features(x: list[float], prob: float, margin: float, first_refused: bool) -> list[float]:
    """The answerability decision sees the chosen candidate's features, how sure the ranking is of it, by
    how much it beats the runner-up, and whether the structured handler found the fact in the knowledge store."""
    return [*x, prob, margin, 1.0 if first_refused else 0.0]


def runner_up(probs: list[float], i: int) -> float:
    """The margin's other term: the best probability of any other candidate (0 when there is none) — an
    ineligible one too: a sentence that ranks as high but states the figure for another year, or not the asked
    kind of fact, is a near miss that makes the chosen one less sure. One function at fit and at use."""
    return max((p for j, p in enumerate(probs) if j != i), default=0.0)


def decision_options(probs: list[float], eligible: list[bool], structured: list[bool],
                     first_answered: bool, ranked: int = 1) -> list[tuple[int, float]]:
    """The candidates the decision weighs, as (index, runner-up probability): first the one `choose` takes —
    the structured handler's quote when the handler answered and the quote ranks about as well as the best
    eligible sentence (it carries the exact fact from the knowledge store), else the best-ranked eligible
    sentence — then the `ranked` best-ranked eligible sentences that are others (the ranker's second choice
    may be the one that answers: the decision rates each). Nothing eligible: no option. answer.decide and
    eval.fit_answerability both call it, so the options and margins are the same at fit and at use; `ranked`
    is chosen with the model by cross-validation (eval.fit_answerability) and stored with it."""
    ok = sorted((i for i, e in enumerate(eligible) if e), key=lambda i: -probs[i])
    if not ok:
        return []
    best = ok[0]
    order = ok[:max(1, ranked)]
    st = [i for i in ok if structured[i]]
    if first_answered and st:
        s = max(st, key=lambda i: probs[i])
        if s != best and probs[s] >= probs[best] - STRUCTURED_SLACK:
            order = [s, *(i for i in order if i != s)]
    return [(i, runner_up(probs, i)) for i in order]


def refusal_stands(first_refused: bool, x: list[float]) -> bool:
    """A handler's refusal because a policy term of the question is used nowhere in the documents in scope
    (地铁 asked of a plan that never says 地铁) is not the model's to overturn with a candidate `x` that also lacks
    words the scope does use: no sentence in scope can state the asked thing. A candidate that states every asked word
    the scope uses — its only missing words are the unused ones (the share of words missing, 1 - cov_full, is the
    share the scope never uses, scope_unused) and the words the scope uses are most of the question's — may answer:
    the unused word is then the asker's framing of a question about something else (房地产企业, 我们是开饭店的 asked of
    a rule for 新建居民小区, 餐饮企业) rather than the asked thing itself (文件对地铁建设有什么要求: 地铁 is half the question)
    (docs/answerability-transfer.md section 16: b12 90, b14 198, b17 495 answered, 0.17-0.25 of their words unused;
    dev b5-347-19, 光伏 asked of a plan that never says it, still refused). One function at fit and at use."""
    if not (first_refused and x[_SCOPE_ABSENT] == 1.0):
        return False
    framing = x[_SCOPE_UNUSED] < 0.5  # a minority of the question's words: the words the scope uses outnumber them
    return not framing or (1.0 - x[_COV_FULL]) > x[_SCOPE_UNUSED] + 1e-9


def choose(cands: list[Candidate], first_answered: bool) -> Candidate | None:
    """The candidate the decision weighs first (`decision_options`), or None when none is eligible."""
    opts = decision_options([c.prob for c in cands], [c.eligible for c in cands], [c.structured for c in cands],
                            first_answered)
    return cands[opts[0][0]] if opts else None


DECISION_NAMES = (*FEATURES, *DECISION_EXTRA)


class AnswerabilityModel:
    def __init__(self, coef: list[float] | None = None, threshold: float = 0.5, meta: dict | None = None,
                 decision_coef: list[float] | None = None, decision_names: tuple[str, ...] = DECISION_NAMES,
                 ranked: int = 1):
        self.coef = coef  # ranking: does this candidate state the answer?
        self.decision_coef = decision_coef  # deciding: is the chosen candidate an answer at all?
        self.decision_at = [DECISION_NAMES.index(n) for n in decision_names]  # the features it was fitted on
        self.threshold = threshold
        self.ranked = ranked  # best-ranked eligible sentences the decision weighs (decision_options)
        self.meta = meta or {}

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "AnswerabilityModel":
        """The fitted model. A missing file or one fitted for other features is a configuration error, not a
        reason to decide with an unfitted prior: say so and stop (refit with `python -m eval.fit_answerability`)."""
        refit = "refit it with `python -m eval.fit_answerability`"
        if not path.exists():
            raise ConfigError(f"answerability model missing: {path}; {refit}")
        d = json.loads(path.read_text(encoding="utf-8"))
        if tuple(d.get("features", ())) != FEATURES:
            raise ConfigError(f"answerability model {path} was fitted for other features; {refit}")
        names = tuple(d.get("decision_features", DECISION_NAMES))
        if (d.get("decision_coef") and len(d["decision_coef"]) != len(names)) or set(names) - set(DECISION_NAMES):
            raise ConfigError(f"answerability model {path}: its decision was fitted on other features; {refit}")
        return cls(coef=d["coef"], threshold=d["threshold"], meta=d, decision_coef=d.get("decision_coef"),
                   decision_names=names, ranked=int(d.get("ranked_options", 1)))

    @property
    def fitted(self) -> bool:
        return self.coef is not None

    def prob(self, x: list[float]) -> float:
        if self.coef is None:  # unfitted: a plain prior (coverage and retrieved kind), until fitted
            return 0.5 * x[1] + 0.3 * x[10] + 0.2 * x[6]
        return _sigmoid(sum(w * v for w, v in zip(self.coef, x)))

    def answerable(self, chosen: Candidate, runner_up: float, first_refused: bool) -> float:
        """Probability that the chosen candidate answers the question; `runner_up` from `decision_options`."""
        if self.decision_coef is None:
            return chosen.prob
        z = decision_features(chosen.x, chosen.prob, chosen.prob - runner_up, first_refused)
        return _sigmoid(sum(w * z[i] for w, i in zip(self.decision_coef, self.decision_at)))


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


_MODEL: AnswerabilityModel | None = None


def model() -> AnswerabilityModel:
    global _MODEL
    if _MODEL is None:
        _MODEL = AnswerabilityModel.load()
    return _MODEL


def gold_match(sentence: str, gold: str, must_contain: list[str] | tuple = ()) -> bool:
    """Does a candidate sentence state the answer: (part of) the gold passage, or every required fact?
    For labelling candidates when fitting."""
    flat = fold(sentence)
    if must_contain and all(any(fold(a) in flat for a in m.split("|"))
                            for m in must_contain):
        return True
    s, g = bigrams(sentence), bigrams(gold)
    if not s or not g:
        return False
    shared = len(s & g)
    return shared / len(s) >= 0.6 or shared / len(g) >= 0.6


__all__ = ["ASKED", "FEATURES", "Candidate", "QuestionView", "AnswerabilityModel", "asked_kinds", "carries",
           "features", "gold_match", "choose", "decision_features", "decision_options", "runner_up", "model",
           "MODEL_PATH"]
