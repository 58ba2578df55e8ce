"""Issue 10 (scope18): what the scope model reads of one document or one question — the place a local document's
text speaks as, the kind of document its title ends with, the years a title or a question names. Real PDFs of
corpus-dc (dev documents 549 and 373) and real parsing; the features over a library are in tests/test_scope.py."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, loaded_file


def _parsed(number: str):
    from ingest.structure import parse

    loaded = loaded_file(corpus_dc_file(number))
    return parse(list(loaded.pages), loaded.title_hint, source=loaded.source)


def test_a_local_document_naming_no_place_takes_the_place_its_text_speaks_as():
    from retrieval.scope_library import card

    # 549 (黑环办发〔2021〕119号, 关于2021-2023年度推动碳达峰、碳中和工作滚动实施方案): 助力我省…, 全省…, 黑龙江省….
    c = card(_parsed("549"))
    assert c.places == ("黑龙江",) and not c.national
    # A national notice whose annex writes 全市 for an applicant city stays national (373 城市绿色货运配送示范工程管理办法).
    assert card(_parsed("373")).national


def test_text_place_needs_the_document_to_call_the_level_its_own_twice():
    from retrieval.scope_places import text_place

    assert text_place("助力我省实现碳达峰。黑龙江省生态环境厅。全省推进。黑龙江省各市。") == "黑龙江"
    assert text_place("黑龙江省生态环境厅。黑龙江省各市。") is None  # never 我省/全省: a document about it, not of it
    assert text_place("全省推进，我省落实。浙江省一次。") is None  # its place named once: not read


@pytest.mark.parametrize("name, kind", [
    ("关于推进中央企业高质量发展做好碳达峰碳中和工作的指导意见", "意见"),
    ("毕节市林业碳票管理办法（试行）", "办法"),
    ("氢能产业发展中长期规划（2021-2035年）", "规划"),
    ("国家适应气候变化战略2035", "战略"),
    ("上海市2021年节能减排和应对气候变化重点工作安排", None),
])
def test_the_kind_of_a_document_is_the_kind_word_its_title_ends_with(name, kind):
    from retrieval.scope_library import kind_of

    assert kind_of(name) == kind


def test_a_kind_asked_about_names_no_document():
    from retrieval.scope import _kinds_named

    assert _kinds_named("规划提到要推进哪些抽水蓄能电站？") == {"规划"}
    assert _kinds_named("这部规定里的绿色金融是怎么定义的？") == {"规定"}
    assert _kinds_named("举报有奖励吗？按什么办法奖？") == set()  # 什么办法: a way, not a 办法
    assert _kinds_named("有哪些政策支持？") == set()


def test_year_spans_of_titles_and_questions():
    from knowledge.plan_period import year_spans

    assert year_spans("“十四五”循环经济发展规划") == [(2021, 2025)]
    assert year_spans("电机能效提升计划（2021-2023年）") == [(2021, 2023)]
    assert year_spans("比2020年下降多少，到2030年达到多少？") == [(2020, 2020), (2030, 2030)]


def test_a_synonyms_block_the_file_lacks_is_an_error():
    from retrieval.vocabulary import QueryExpander

    assert QueryExpander(section="abbreviation").pairs  # the block as_searched reads
    with pytest.raises(ValueError, match="abbreviations"):
        QueryExpander(section="abbreviations")  # a misspelt block name: not silently no entries
