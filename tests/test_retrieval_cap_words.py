"""A cap asked 最多 / 上限 is written 不超过 or 最高 N; a start asked 生效 is written 施行 (retrieval/synonyms_zh.txt).

Real parts: the corpus-dc PDF 399 (全国碳市场第一个履约周期配额清缴), parsed and enriched as ingest does, its units in
a real BM25 index over the real jieba tokenizer, queried with and without the bundled expansion."""
from __future__ import annotations

import functools

from retrieval.lexical import LexicalIndex
from retrieval.tokenize import ChineseTokenizer
from retrieval.units import units_for
from retrieval.vocabulary import QueryExpander
from tests.conftest import corpus_dc_file
from tests.test_retrieval_support import _doc


def test_cap_and_start_questions_gain_the_written_form():
    ex = QueryExpander()
    assert "不超过" in ex.terms("每个项目省里最多资助多少？")
    assert {"不超过", "最高"} <= set(ex.terms("省拨经费上限是多少？"))
    assert "施行" in ex.terms("这个办法什么时候生效？")
    # a question already in the document's wording gains nothing
    assert ex.terms("抵销比例不超过多少") == []


@functools.lru_cache(maxsize=1)
def _ccer_index() -> LexicalIndex:
    idx = LexicalIndex(ChineseTokenizer())
    idx.add(units_for(_doc(corpus_dc_file("399"), "ccer")))
    return idx


def _rank_of(idx: LexicalIndex, query: str, needle: str) -> int:
    hits = idx.search(query, top_k=50)
    return next(i for i, (u, _) in enumerate(hits) if needle in u.text)


def test_the_cap_sentence_rises_when_the_question_asks_most():
    """Asked 最多能抵多少, the CCER offset cap (抵销比例不超过应清缴碳排放配额的5%) ranks 14th by BM25 over the
    whole document without the expansion and first with it: every unit on CCER offsetting shares the other words."""
    idx = _ccer_index()
    q = "用CCER抵销配额清缴，最多能抵多少？"
    plain = _rank_of(idx, q, "不超过应清缴碳排放配额的5%")
    expanded = _rank_of(idx, QueryExpander().expand(q), "不超过应清缴碳排放配额的5%")
    assert expanded < plain and expanded <= 1
