"""Evaluation metrics: pure functions on plain data, and their aggregation into a typed `Metrics`.

Nothing here touches the service, the disk or the clock; the runner gathers the data and calls these.
Retrieval metrics return None for an item with no gold measures: such an item is neither a hit nor a
miss and is left out of the denominator.
"""
from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from eval.figures import extract_numbers, unsupported_numbers
from knowledge.text import fold

# --------------------------------------------------------------------------------------------- text


def normalize(text: str) -> str:
    """NFKC (full-width digits and ％ become ASCII) and remove all white space (knowledge.text.fold)."""
    return fold(text)


def term_present(answer: str, term: str) -> bool:
    """True when one of the `a|b` alternatives of `term` occurs in `answer` (both normalised)."""
    norm_answer = normalize(answer)
    alternatives = [normalize(a) for a in term.split("|")]
    return any(a and a in norm_answer for a in alternatives)


def missing_terms(answer: str, must_contain: Iterable[str]) -> list[str]:
    """The `must_contain` items that do not occur in `answer` (empty items are ignored)."""
    return [t for t in must_contain if normalize(t) and not term_present(answer, t)]


def contains_all(answer: str, must_contain: Iterable[str]) -> bool:
    """Every `must_contain` item occurs in `answer`; an item `a|b` is satisfied by either."""
    return not missing_terms(answer, must_contain)


# ---------------------------------------------------------------------------------------- retrieval


def _has_gold(gold: Collection[Hashable]) -> bool:
    return bool(gold)


def hit_at_k(ranked: Sequence[Hashable | None], gold: Collection[Hashable], k: int) -> bool | None:
    """Whether one of the first k ranked keys is gold; None when there is no gold (not scored).

    A None entry in `ranked` takes a rank position but never hits (e.g. a measure of another document).
    """
    if not _has_gold(gold):
        return None
    return any(r is not None and r in gold for r in ranked[:k])


def recall_at_k(ranked: Sequence[Hashable | None], gold: Collection[Hashable], k: int) -> float | None:
    """Share of the gold keys found among the first k ranked keys; None when there is no gold."""
    if not _has_gold(gold):
        return None
    found = {r for r in ranked[:k] if r is not None and r in gold}
    return len(found) / len(set(gold))


def reciprocal_rank(ranked: Sequence[Hashable | None], gold: Collection[Hashable]) -> float | None:
    """1/rank of the first gold key (0.0 when none is ranked); None when there is no gold."""
    if not _has_gold(gold):
        return None
    for i, r in enumerate(ranked, start=1):
        if r is not None and r in gold:
            return 1.0 / i
    return 0.0


# ---------------------------------------------------------------------------------------- citations


def quote_valid(quote: str, unit_text: str | None) -> bool:
    """A citation quote is valid when it is a non-empty exact substring of its unit's stored text."""
    return bool(quote) and unit_text is not None and quote in unit_text


def citation_validity(pairs: Iterable[tuple[str, str | None]]) -> float | None:
    """Share of valid (quote, stored unit text) pairs; None when there are no citations."""
    flags = [quote_valid(q, t) for q, t in pairs]
    return sum(flags) / len(flags) if flags else None


# ----------------------------------------------------------------------------------------- refusals


def refusal_accuracy(answerable: Sequence[bool], refused: Sequence[bool]) -> float | None:
    """Share of unanswerable questions that were refused; None when there are none."""
    flags = [r for a, r in zip(answerable, refused, strict=True) if not a]
    return sum(flags) / len(flags) if flags else None


def false_refusal_rate(answerable: Sequence[bool], refused: Sequence[bool]) -> float | None:
    """Share of answerable questions that were refused; None when there are none."""
    flags = [r for a, r in zip(answerable, refused, strict=True) if a]
    return sum(flags) / len(flags) if flags else None


# ------------------------------------------------------------------------------------------ latency


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (0–100) with linear interpolation between ranks; None when empty."""
    xs = sorted(values)
    if not xs:
        return None
    pos = (len(xs) - 1) * p / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# ------------------------------------------------------------------------------------ per-item score


@dataclass(frozen=True)
class TestItem:
    """One line of a test set (SPEC test-set format)."""

    __test__ = False  # not a pytest class, despite the name

    id: str
    question: str
    type: str
    gold_measures: tuple[int, ...]
    must_contain: tuple[str, ...]
    answerable: bool
    doc: str | None = None
    gold_quote: str = ""  # the passage that answers it; locates the gold unit when gold_measures is empty
    split: str = ""  # dev | test (by document)
    file: str = ""  # the document's file name, for ingesting the set's documents


@dataclass
class ItemScore:
    """What one question scored. Retrieval fields are None when the item has no gold measures."""

    id: str
    type: str
    answerable: bool
    refused: bool
    correct: bool  # answerable: not refused and all must_contain present; unanswerable: refused
    missing: list[str]  # must_contain items absent from the answer
    hit_at_1: bool | None
    hit_at_3: bool | None
    hit_at_5: bool | None
    recall_at_3: float | None
    rr: float | None
    cited_gold: bool | None  # some citation points at a gold measure
    citations: int
    valid_citations: int
    numbers: list[str]  # figures in the answer
    unsupported: list[str]  # figures in no cited quote
    latency_ms: float
    error: str | None = None  # the ask raised; the item counts as wrong

    @property
    def failed(self) -> bool:
        return (
            self.error is not None
            or not self.correct
            or self.hit_at_3 is False
            or self.valid_citations < self.citations
            or bool(self.unsupported)
        )

    def reasons(self) -> list[str]:
        """Short labels for why the item counts as failing."""
        out = []
        if self.error:
            out.append(f"error: {self.error}")
        elif not self.correct:
            if not self.answerable:
                out.append("not refused")
            elif self.refused:
                out.append("falsely refused")
            else:
                out.append("missing: " + "、".join(self.missing))
        if self.hit_at_3 is False:
            out.append("no gold measure in top 3")
        if self.valid_citations < self.citations:
            out.append(f"{self.citations - self.valid_citations} invalid quote(s)")
        if self.unsupported:
            out.append("unsupported figures: " + "、".join(self.unsupported))
        return out


def score_item(
    item: TestItem,
    *,
    answer: str,
    refused: bool,
    ranked: Sequence[int | None],
    cited: Sequence[int | None],
    quotes: Sequence[tuple[str, str | None]],
    latency_ms: float,
    question: str = "",
    error: str | None = None,
    titles: Sequence[str] = (),
) -> ItemScore:
    """Score one answer.

    ranked: retrieved measure numbers in rank order, None for a unit outside the item's document.
    cited: the cited measure numbers (same convention). quotes: (quote, stored unit text) per citation.
    error: the ask raised this; the item is scored wrong whatever else it has.
    A refusal may repeat figures of the question ("文件未提及2035年…"), so those count as supported there.
    """
    gold = set(item.gold_measures)
    missing = missing_terms(answer, item.must_contain)
    if error:
        correct = False
    else:
        correct = refused if not item.answerable else (not refused and not missing)
    # A citation names its document, so a year of the title (《…2022年度…》) is supported by it.
    sources = [q for q, _ in quotes] + list(titles) + ([question] if refused and question else [])
    flags = [quote_valid(q, t) for q, t in quotes]
    return ItemScore(
        id=item.id,
        type=item.type,
        answerable=item.answerable,
        refused=refused,
        correct=correct,
        missing=missing if item.answerable else [],
        hit_at_1=hit_at_k(ranked, gold, 1),
        hit_at_3=hit_at_k(ranked, gold, 3),
        hit_at_5=hit_at_k(ranked, gold, 5),
        recall_at_3=recall_at_k(ranked, gold, 3),
        rr=reciprocal_rank(ranked, gold),
        cited_gold=(any(c is not None and c in gold for c in cited) if gold else None),
        citations=len(flags),
        valid_citations=sum(flags),
        numbers=extract_numbers(answer),
        unsupported=unsupported_numbers(answer, sources),
        latency_ms=latency_ms,
        error=error,
    )


# -------------------------------------------------------------------------------------- aggregation


@dataclass
class Metrics:
    """Aggregate scores; a rate is None when nothing could be measured (empty denominator)."""

    n: int
    n_answerable: int
    n_unanswerable: int
    n_retrieval: int  # items with gold measures
    accuracy: float | None  # every item: answered correctly, or refused when unanswerable
    answer_accuracy: float | None  # answerable items answered (not refused) with all must_contain
    refusal_accuracy: float | None
    false_refusal_rate: float | None
    hit_at_1: float | None
    hit_at_3: float | None
    hit_at_5: float | None
    recall_at_3: float | None
    mrr: float | None
    cited_gold: float | None  # items with gold whose citations include a gold measure
    citation_validity: float | None  # over all citations
    numeric_faithfulness: float | None  # over answers containing figures
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    per_type: dict[str, Metrics] = field(default_factory=dict)

    def as_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "per_type"}
        if self.per_type:
            d["per_type"] = {t: m.as_dict() for t, m in self.per_type.items()}
        return d


def _mean(values: Iterable[float | bool | None]) -> float | None:
    xs = [float(v) for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None


def aggregate(scores: Sequence[ItemScore], per_type: bool = True) -> Metrics:
    """Aggregate item scores overall and (when per_type) per question type, in first-seen order."""
    answerable = [s.answerable for s in scores]
    refused = [s.refused for s in scores]
    latencies = [s.latency_ms for s in scores]
    total_cites = sum(s.citations for s in scores)
    with_numbers = [s for s in scores if s.numbers]
    m = Metrics(
        n=len(scores),
        n_answerable=sum(answerable),
        n_unanswerable=len(scores) - sum(answerable),
        n_retrieval=sum(s.hit_at_1 is not None for s in scores),
        accuracy=_mean(s.correct for s in scores),
        answer_accuracy=_mean(s.correct for s in scores if s.answerable),
        refusal_accuracy=refusal_accuracy(answerable, refused),
        false_refusal_rate=false_refusal_rate(answerable, refused),
        hit_at_1=_mean(s.hit_at_1 for s in scores),
        hit_at_3=_mean(s.hit_at_3 for s in scores),
        hit_at_5=_mean(s.hit_at_5 for s in scores),
        recall_at_3=_mean(s.recall_at_3 for s in scores),
        mrr=_mean(s.rr for s in scores),
        cited_gold=_mean(s.cited_gold for s in scores),
        citation_validity=(sum(s.valid_citations for s in scores) / total_cites if total_cites else None),
        numeric_faithfulness=_mean(not s.unsupported for s in with_numbers),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
    )
    if per_type:
        types = list(dict.fromkeys(s.type for s in scores))
        m.per_type = {t: aggregate([s for s in scores if s.type == t], per_type=False) for t in types}
    return m


# ------------------------------------------------------------------------------------------- gating


def gate(metrics: Metrics, minimum: dict[str, float], maximum: dict[str, float] | None = None) -> list[str]:
    """Messages naming each metric below its minimum (or above its maximum); empty when all pass.

    A metric that could not be measured (None) fails: a gate must not pass on missing data.
    """
    failures = []
    for name, bound in minimum.items():
        value = getattr(metrics, name, None)
        if value is None:
            failures.append(f"{name}: not measured (threshold ≥ {bound})")
        elif value < bound:
            failures.append(f"{name}: {value:.3f} < {bound}")
    for name, bound in (maximum or {}).items():
        value = getattr(metrics, name, None)
        if value is None:
            failures.append(f"{name}: not measured (threshold ≤ {bound})")
        elif value > bound:
            failures.append(f"{name}: {value:.3f} > {bound}")
    return failures
