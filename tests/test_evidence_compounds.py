"""A kind word joined to the term after it is one term (issue 10): the vocabulary builds compounds from a kind word
and a term (海上光伏, 陆上风电, 分布式光伏, 新型储能), so 海上风电 in a question is one thing the evidence must name
whole, not 海上 and 风电 found apart in a sentence about something else."""
from __future__ import annotations

import pytest

from answer.evidence import TopicMatcher
from retrieval.vocabulary import curated_terms, kind_words


@pytest.fixture(scope="module")
def matcher():
    return TopicMatcher()


def test_kind_words_are_read_from_the_vocabulary():
    kinds = kind_words(curated_terms() | {"光伏", "风电", "储能"})
    assert {"海上", "陆上", "分布式", "新型"} <= kinds
    # Two terms side by side make no kind word: 风电 is a term itself (风电光伏).
    assert "风电" not in kind_words({"风电", "光伏", "风电光伏"})


def test_a_kind_word_and_the_term_after_it_are_one_question_word(matcher):
    words = matcher.content_words("海上风电到2030年的装机目标是多少万千瓦？")
    assert "海上风电" in words and "风电" not in words and "海上" not in words
    assert matcher.is_domain("海上风电")
    # A form word after a kind word is not joined (重点企业 asks about 重点 with the question's usual 企业).
    assert matcher.compound("重点企业") is None


@pytest.mark.parametrize("text", [
    "到2030年，全市可再生能源发电装机超1000万千瓦。",  # 风电 nowhere, 海上 nowhere
    "有序实施海上光伏，加快推进海上风光同场光伏项目试点。",  # 海上风光 is not 海上风电
    "加快陆上风电项目建设。",
])
def test_a_compound_is_not_present_in_its_neighbours(matcher, text):
    assert not matcher.present("海上风电", text)
    assert matcher.domain_missing(["海上风电"], text) == ["海上风电"]


@pytest.mark.parametrize("text", [
    "推进海上风电规模化开发。",
    "积极发展海上风力发电。",  # the vocabulary's form of 风电
    "统筹海上光伏和风电开发。",  # coordinated: the kind word governs both
])
def test_a_compound_is_present_whole_or_in_a_form_of_its_term(matcher, text):
    assert matcher.present("海上风电", text)
