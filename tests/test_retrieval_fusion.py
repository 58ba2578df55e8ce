"""Reciprocal-rank fusion on hand-made lists; structure boosts from question facets."""
from __future__ import annotations

import pytest

from retrieval.fusion import BoostWeights, FacetMatcher, boost, reciprocal_rank_fusion
from retrieval.units import units_for
from tests.test_retrieval_support import primary_doc


def test_rrf_scores_are_the_sum_of_reciprocal_ranks():
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "d"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 62)
    assert fused["d"] == pytest.approx(1 / 63)


def test_rrf_agreement_beats_a_single_first_place():
    order = [i for i, _ in reciprocal_rank_fusion([["x", "a", "b"], ["y", "b", "a"], ["a", "b", "z"]])]
    assert order[:2] == ["a", "b"]


def test_rrf_weights_k_ties_and_duplicates():
    # equal scores keep first-seen order (deterministic)
    assert [i for i, _ in reciprocal_rank_fusion([["a"], ["b"]])] == ["a", "b"]
    # a weight of 2 on the second list puts its head first
    assert reciprocal_rank_fusion([["a", "b"], ["b", "a"]], weights=[1, 2])[0][0] == "b"
    # small k: a single list's first place dominates more
    fused_small = dict(reciprocal_rank_fusion([["a", "b"]], k=0))
    assert fused_small["a"] == pytest.approx(1.0) and fused_small["b"] == pytest.approx(0.5)
    # a duplicate within one list counts once, at its best rank
    assert dict(reciprocal_rank_fusion([["a", "a", "b"]]))["a"] == pytest.approx(1 / 61)
    assert reciprocal_rank_fusion([]) == []
    with pytest.raises(ValueError, match="2 weights for 1 rankings"):
        reciprocal_rank_fusion([["a"]], weights=[1, 2])
    with pytest.raises(ValueError, match="k must be"):
        reciprocal_rank_fusion([["a"]], k=-1)


def test_facets_name_bureaus_in_any_form_years_and_industries():
    units = units_for(primary_doc())
    m = FacetMatcher(units)
    assert m.match("交通局负责什么").bureaus == {"市交通运输局"}
    assert m.match("市发改委牵头负责哪些举措？").bureaus == {"市发展和改革委员会"}
    assert m.match("发改委").bureaus == {"市发展和改革委员会"}
    assert m.match("市机关事物管理局").bureaus == {"市机关事务管理局"}  # the source's typo still resolves
    f = m.match("到2027年化工企业要做什么")
    assert f.years == {2027} and "化工" in f.industries
    assert not m.match("今天天气怎么样")


def test_boost_applies_only_to_units_carrying_the_facet():
    units = units_for(primary_doc())
    m = FacetMatcher(units)
    f = m.match("市交通局2027年的目标")
    m8 = next(u for u in units if u.measure_no == 8 and not u.is_sentence)
    m5 = next(u for u in units if u.measure_no == 5 and not u.is_sentence)
    w = BoostWeights()
    assert boost(m8, f, w, k=60) == pytest.approx((w.bureau + w.year) / 61)
    assert boost(m5, f, w, k=60) == 0.0


def test_the_retrievers_fusion_lets_the_lexical_first_unit_lead():
    """The hybrid retriever's fitted fusion (k=10, vector weight 0.2): BM25's first unit, fifth for the vectors,
    ranks above the vectors' first unit that BM25 puts third; with the textbook k=60 and equal weights it did not."""
    from retrieval.hybrid import FUSED_K, FUSED_WEIGHTS

    vector, lexical = ["v1", "x", "y", "z", "b1"], ["b1", "w", "v1"]
    fused = [u for u, _ in reciprocal_rank_fusion([vector, lexical], k=FUSED_K, weights=FUSED_WEIGHTS)]
    assert fused.index("b1") < fused.index("v1")
    textbook = [u for u, _ in reciprocal_rank_fusion([vector, lexical], k=60, weights=(1.0, 1.0))]
    assert textbook.index("v1") < textbook.index("b1")


def test_scales_multiply_one_rankings_contribution_per_id():
    """A lexical first place that covers a fifth of the query is worth a fifth of a rank-1 term: the vectors'
    first unit, second for BM25 with full coverage, then leads."""
    vector, lexical = ["v1", "b1"], ["b1", "v1"]
    plain = dict(reciprocal_rank_fusion([vector, lexical], k=30, weights=(0.3, 1.0)))
    assert plain["b1"] > plain["v1"]
    scaled = dict(reciprocal_rank_fusion([vector, lexical], k=30, weights=(0.3, 1.0),
                                         scales=[None, {"b1": 0.2, "v1": 1.0}]))
    assert scaled["b1"] == pytest.approx(0.3 / 32 + 0.2 / 31)
    assert scaled["v1"] == pytest.approx(0.3 / 31 + 1.0 / 32)
    assert scaled["v1"] > scaled["b1"]
    # an id the scale leaves out counts in full
    assert dict(reciprocal_rank_fusion([lexical], k=30, scales=[{}]))["b1"] == pytest.approx(1 / 31)
    with pytest.raises(ValueError, match="scales"):
        reciprocal_rank_fusion([vector, lexical], scales=[None])
