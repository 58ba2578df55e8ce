"""Rank fusion and structure boosts. Pure functions over ids and units: no stores, no models."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from knowledge.bureaus import canonical_name, fix_typos
from retrieval.tokenize import normalise
from retrieval.units import Unit

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], k: int = RRF_K, weights: Sequence[float] | None = None,
    scales: Sequence[Mapping[str, float] | None] | None = None,
) -> list[tuple[str, float]]:
    """Fuse ranked id lists: score(id) = Σ_i weight_i / (k + rank_i(id)), ranks starting at 1.

    Only ranks are used, so a cosine similarity and a BM25 score never need a common scale. The
    constant k = 60 (Cormack, Clarke & Büttcher, SIGIR 2009) damps the head of each list: rank 1 is
    worth 1/61 and rank 10 still 1/70, so an id that two retrievers both place near the top beats an
    id that only one of them puts first. A smaller k lets a single list's top hit dominate.

    scales: per ranking, an optional factor per id (missing ids: 1.0) multiplying that id's contribution
    from that ranking, e.g. how much of the query a lexical match covers (HybridRetriever).

    Ties are broken by first appearance (list order, then rank), so the result is deterministic.
    """
    if k < 0:
        raise ValueError(f"reciprocal_rank_fusion: k must be >= 0, got {k}")
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"reciprocal_rank_fusion: {len(weights)} weights for {len(rankings)} rankings")
    if scales is None:
        scales = [None] * len(rankings)
    if len(scales) != len(rankings):
        raise ValueError(f"reciprocal_rank_fusion: {len(scales)} scales for {len(rankings)} rankings")
    scores: dict[str, float] = {}
    for ranking, w, scale in zip(rankings, weights, scales):
        seen: set[str] = set()
        for rank, item in enumerate(ranking, 1):
            if item in seen:  # a duplicate counts once, at its best rank
                continue
            seen.add(item)
            f = 1.0 if scale is None else scale.get(item, 1.0)
            scores[item] = scores.get(item, 0.0) + w * f / (k + rank)
    order = {item: i for i, item in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))


# --- structure boosts ----------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_LEVELS = ("市", "省", "区", "县")


@dataclass(frozen=True)
class QueryFacets:
    """What a question names that unit metadata can carry."""

    bureaus: frozenset[str] = frozenset()  # canonical names
    years: frozenset[int] = frozenset()
    industries: frozenset[str] = frozenset()
    lead: bool = False  # the question asks who leads (牵头)

    def __bool__(self) -> bool:
        return bool(self.bureaus or self.years or self.industries)


class FacetMatcher:
    """Finds bureaus (any surface form, with or without 市/省), years and industries in a question.

    Built from the units' own metadata, so it knows exactly the names the indexed documents use.
    """

    MIN_SHORT = 3  # 交通局 and 发改委 are unambiguous; two characters (工信) are not worth the risk

    def __init__(self, units: Iterable[Unit]):
        surface: dict[str, set[str]] = {}
        industries: set[str] = set()
        # A library's ~50,000 units repeat a few thousand names: each is normalised once (0.25 -> 0.06 s at start).
        canonical: dict[str, str] = {}
        forms: dict[str, list[str]] = {}
        for u in units:
            canon_of = _canonical_map(u, canonical)
            for name, canon in canon_of.items():
                written = forms.get(name)
                if written is None:
                    written = forms[name] = [normalise(form) for form in _forms(name)]
                for form in written:
                    surface.setdefault(form, set()).add(canon)
            industries.update(u.industries)
        # Longest first: 市发展和改革委员会 before 发改委, so overlapping mentions resolve to the fuller name.
        self._surface = sorted(surface.items(), key=lambda kv: (-len(kv[0]), kv[0]))
        self._industries = sorted((normalise(i), i) for i in industries if i)

    def match(self, question: str) -> QueryFacets:
        q = fix_typos(normalise(question))  # a question may copy the source's typo (事物管理局)
        bureaus: set[str] = set()
        for form, canons in self._surface:
            if form and form in q:
                bureaus.update(canons)
        years = {int(y) for y in _YEAR.findall(q)}
        industries = {orig for form, orig in self._industries if form and form in q}
        return QueryFacets(frozenset(bureaus), frozenset(years), frozenset(industries), lead="牵头" in q)


def _canonical_map(u: Unit, known: dict[str, str]) -> dict[str, str]:
    """surface name → canonical, for one unit: each canonical name itself, and every written form or
    alias that knowledge.bureaus normalises to one of the unit's canonical names. `known`: the names
    normalised so far (filled here)."""
    out: dict[str, str] = {c: c for c in u.bureaus}
    for name in u.bureau_names:
        canon = known.get(name)
        if canon is None:
            canon = known[name] = canonical_name(name)
        if canon in out:
            out.setdefault(name, canon)
    return out


def _forms(name: str) -> list[str]:
    forms = [name]
    for level in _LEVELS:
        if name.startswith(level) and len(name) - len(level) >= FacetMatcher.MIN_SHORT:
            forms.append(name[len(level):])
    return forms


@dataclass(frozen=True)
class BoostWeights:
    """Added to a unit's fused score, in units of a rank-1 RRF contribution (1 / (k + 1))."""

    bureau: float = 0.5
    lead: float = 0.5  # extra, when the question says 牵头 and the named bureau leads the unit's measure
    year: float = 0.3
    industry: float = 0.4


def boost(unit: Unit, facets: QueryFacets, weights: BoostWeights = BoostWeights(), k: int = RRF_K) -> float:
    """The extra score a unit earns for carrying what the question names (0.0 when nothing matches)."""
    if not facets:
        return 0.0
    extra = 0.0
    if facets.bureaus and facets.bureaus.intersection(unit.bureaus):
        extra += weights.bureau
        if facets.lead and facets.bureaus.intersection(unit.lead_bureaus):
            extra += weights.lead
    if facets.years and facets.years.intersection(unit.years):
        extra += weights.year
    if facets.industries and facets.industries.intersection(unit.industries):
        extra += weights.industry
    return extra / (k + 1)
