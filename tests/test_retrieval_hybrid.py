"""Hybrid retrieval over the real primary document: accuracy, filters, boosts, measures, langchain."""
from __future__ import annotations

import pytest
from langchain_core.retrievers import BaseRetriever

from retrieval.hits import Filters
from retrieval.hybrid import HybridRetriever
from retrieval.index import SearchIndex
from settings import Settings
from tests.test_retrieval_support import QUESTIONS, national_doc, primary_doc, use_embeddings


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    idx = SearchIndex(Settings(home=tmp_path_factory.mktemp("hybrid")), use_embeddings())
    idx.add(primary_doc())
    idx.warmup()
    return idx


def test_right_measure_first_on_colloquial_and_literal_questions(index):
    r = index.retriever()
    ranks = []
    misses = []
    for question, gold in QUESTIONS:
        got = [m.unit.measure_no for m in r.run_measures(question, top_k=3)]
        ranks.append(got.index(gold) + 1 if gold in got else None)
        if got[:1] != [gold]:
            misses.append((question, gold, got))
    hit1 = sum(r == 1 for r in ranks) / len(ranks)
    hit3 = sum(r is not None for r in ranks) / len(ranks)
    # measured 1.00 / 1.00 on these 70 questions (40 tuned on, 30 held out); the bar leaves room for
    # parser changes without hiding a real regression
    assert hit1 >= 0.95, misses
    assert hit3 >= 0.99, misses
    assert r.run_measures("公家单位买车要买多少电车？", top_k=1)[0].unit.measure_no == 15
    assert r.run_measures("营运交通工具单位换算周转量碳排放强度", top_k=1)[0].unit.measure_no == 8


def test_measure_hits_carry_exact_quotes_and_scores(index):
    ms = index.retriever().run_measures("到2030年可再生能源装机目标是多少？", top_k=3)
    best = ms[0]
    assert best.unit.measure_no == 5 and best.doc_id == "lyg" and not best.unit.is_sentence
    assert "1000万千瓦" in best.best_quote
    assert best.sentences and all(s.unit.text in best.unit.text for s in best.sentences)
    assert all(s.unit.measure_key == best.unit.measure_key for s in best.sentences)
    assert ms[0].score >= ms[1].score >= ms[2].score
    assert best.lexical_score > 0 and best.vector_score is not None and 0 < best.vector_score <= 1


def test_run_returns_units_and_respects_top_k(index):
    hits = index.retriever().run("近零碳码头", top_k=4)
    assert len(hits) == 4 and hits[0].unit.measure_no == 8
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    with pytest.raises(ValueError, match="empty"):
        index.retriever().run("   ")


def test_filters_bureau_year_section_doc(index):
    r = index.retriever()
    # 交通局 = 市交通局 = 市交通运输局: only measure 8 carries it
    assert {h.unit.measure_no for h in r.run("目标", top_k=20, bureau="交通局")} == {8}
    by_year = r.run("建设", top_k=20, year=2027)
    assert by_year and all(2027 in h.unit.years for h in by_year)
    assert {h.unit.section_no for h in r.run("绿色", top_k=20, section_no=5)} == {5}
    assert r.run("绿色", doc_id="no-such-doc") == []
    assert r.run("绿色", doc_ids=["no-such-doc", "lyg"], top_k=1)[0].unit.doc_id == "lyg"


def test_named_bureau_boosts_its_measures(index):
    r = index.retriever()
    top = r.run_measures("市发改委牵头负责哪些举措？", top_k=5)
    assert all("市发展和改革委员会" in m.unit.bureaus for m in top)
    unboosted = HybridRetriever(index.embeddings, index.vector, index.lexical,
                                boosts=type(r.boosts)(bureau=0, year=0, industry=0))
    q = "交通局2027年要完成哪些建设任务"
    before = {h.unit.unit_id: h.score for h in unboosted.run(q, top_k=500)}
    after = {h.unit.unit_id: h for h in r.run(q, top_k=500)}
    for uid, h in after.items():
        carries = "市交通运输局" in h.unit.bureaus or 2027 in h.unit.years
        assert (h.score > before[uid]) == carries, uid
    assert r.run_measures(q, top_k=1)[0].unit.measure_no == 8


def test_langchain_retriever(index):
    lc = index.langchain_retriever(top_k=3)
    assert isinstance(lc, BaseRetriever)
    docs = lc.invoke("抽水蓄能电站规模多大？")
    assert len(docs) == 3 and "抽水蓄能" in docs[0].page_content
    md = docs[0].metadata
    assert md["doc_id"] == "lyg" and md["measure_no"] == 7 and md["quote"] == docs[0].page_content
    assert md["score"] > 0 and not any(k.startswith("b:") for k in md)
    measures = index.langchain_retriever(top_k=2, measures=True).invoke("抽水蓄能电站规模多大？")
    assert measures[0].metadata["level"] == "measure" and measures[0].metadata["quote"] in measures[0].page_content


def test_two_documents_and_document_filter(tmp_path):
    idx = SearchIndex(Settings(home=tmp_path / "home"), use_embeddings())
    idx.add_many([primary_doc(), national_doc()])
    r = idx.retriever()
    assert r.run_measures("非化石能源消费比重提高到25%左右", top_k=1)[0].doc_id == "national"
    only = r.run_measures("非化石能源消费比重", top_k=3, doc_id="lyg")
    assert only and all(m.doc_id == "lyg" for m in only)
    either = r.run_measures("非化石能源消费比重", top_k=3, doc_ids=["no-such-doc", "national"])
    assert either and all(m.doc_id == "national" for m in either)
    assert r.run_measures("非化石能源消费比重", top_k=3, doc_ids=[]) == []
    # the national text also has 低碳（近零碳）…码头: both documents answer, the primary one in the top two
    top2 = r.run_measures("近零碳码头要建几个？", top_k=2)
    assert ("lyg", 8) in {(m.doc_id, m.unit.measure_no) for m in top2}
    assert r.run_measures("近零碳码头要建几个？", top_k=1, doc_id="lyg")[0].unit.measure_no == 8


def test_lead_question_prefers_the_measures_the_bureau_leads(index):
    top = [m.unit.measure_no for m in index.retriever().run_measures("市发改委牵头负责哪些举措？", top_k=2)]
    assert sorted(top) == [5, 7]  # the two measures that say （市发改委牵头负责）


def test_words_naming_the_scoped_document_do_not_pick_the_measure(index):
    r = index.retriever()
    q = "连云港的举措对高校有哪些支持？"
    scoped = [m.unit.measure_no for m in r.run_measures(q, top_k=2, doc_id="lyg")]
    assert set(scoped) == {16, 17}  # the two measures that name 高校
    # unscoped, 连云港 still counts: it is rare in the text, so BM25 weighs it heavily
    tokens = index.tokenizer.tokenize(q)
    assert "连云港" in tokens
    assert "连云港" not in r._without_title_words(tokens, Filters(doc_id="lyg"))
    assert r._without_title_words(tokens, Filters()) == tokens


def test_configuration_errors_name_the_bad_value(index):
    with pytest.raises(ValueError, match="top_k must be >= 1, got 0"):
        HybridRetriever(index.embeddings, index.vector, index.lexical, top_k=0)
    with pytest.raises(ValueError, match=r"weights .*\(0, 0\)"):
        HybridRetriever(index.embeddings, index.vector, index.lexical, weights=(0, 0))
    with pytest.raises(ValueError, match="candidates \\(3\\) must be >= top_k \\(5\\)"):
        HybridRetriever(index.embeddings, index.vector, index.lexical, candidates=3)
    with pytest.raises(ValueError, match="expander must be"):
        HybridRetriever(index.embeddings, index.vector, index.lexical, expander="yes")
    lexical_only = HybridRetriever(index.embeddings, index.vector, index.lexical, weights=(0, 1), expander=False)
    hits = lexical_only.run("营运交通工具单位换算周转量碳排放强度", top_k=2)
    assert hits[0].unit.measure_no == 8 and all(h.vector_score is None for h in hits)


def test_coverage_scales_the_lexical_terms_of_the_fusion(index):
    """With coverage on (off by default, see hybrid.FUSED_COVERAGE), a unit's lexical RRF term shrinks by the
    share of the query it holds: fused scores never rise, the literal question still finds its measure, and the
    70 questions keep their accuracy bar."""
    from retrieval.hybrid import FUSED_COVERAGE

    assert FUSED_COVERAGE == 0.0
    with pytest.raises(ValueError, match="coverage must be >= 0"):
        HybridRetriever(index.embeddings, index.vector, index.lexical, coverage=-1)
    plain = HybridRetriever(index.embeddings, index.vector, index.lexical)
    covered = HybridRetriever(index.embeddings, index.vector, index.lexical, coverage=1.0)
    q = "营运交通工具单位换算周转量碳排放强度"
    before = {h.unit.unit_id: h.score for h in plain.run(q, top_k=20)}
    after = covered.run(q, top_k=20)
    assert after[0].unit.measure_no == 8
    assert all(h.score <= before[h.unit.unit_id] + 1e-12 for h in after if h.unit.unit_id in before)
    assert any(h.score < before[h.unit.unit_id] - 1e-6 for h in after if h.unit.unit_id in before)
    hit1 = sum(covered.run_measures(qq, top_k=1)[0].unit.measure_no == gold for qq, gold in QUESTIONS) / len(QUESTIONS)
    assert hit1 >= 0.9
