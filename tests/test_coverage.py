"""Every piece of a document's text reaches a unit, with a title (not a sentence) as its heading: real corpus-dc
PDFs through the loader and `ingest.structure.parse`, checked with `ingest.coverage`."""
from __future__ import annotations

import pytest

from ingest.clean import clean_pages
from ingest.coverage import lost_text, odd_headings
from ingest.structure import parse
from tests.conftest import corpus_dc_file, loaded_file


@pytest.fixture(scope="module")
def parsed():
    """329 税费优惠政策指引 (lead-in over ①②), 402 碳排放权…管理规则 (marks alone on their lines), 509 生态环境监测规划
    (two-phrase chapter titles), 169 严格能效约束 (annex titles over two lines), 139 近零碳排放园区 (annex title over
    its first sentence)."""
    out = {}
    for n in ("329", "402", "509", "169", "139"):
        item = loaded_file(corpus_dc_file(n))
        out[n] = (item.pages, parse(item.pages, item.title_hint, source=item.source))
    return out


def test_no_text_is_lost_and_every_dropped_heading_is_a_title_in_a_path(parsed):
    for no, (pages, doc) in parsed.items():
        lost = lost_text(pages, doc)
        # only section titles with no text of their own, each a heading-path entry of the units under it
        assert [x for x in lost if x.cause != "title"] == [], no
        # left: 329's two list lead-ins (sentences by nature) and 509's 八、 title line, as long as a full line of
        # text, which still runs into its lead paragraph (10 of 59 such entries in corpus-dc before this check)
        assert len(odd_headings(doc)) <= {"329": 2, "509": 1}.get(no, 0), (no, odd_headings(doc))


def test_a_lead_in_sentence_over_its_items_is_a_unit_of_its_own(parsed):
    _, doc = parsed["329"]
    lead = [u for u in doc.units() if u.text.startswith("（7）纳税人申请享受规定的即征即退政策时")]
    assert len(lead) == 1 and lead[0].text.endswith("不得发生下列情形：")
    items = [u for u in doc.units() if u.text.startswith("①因违反生态环境保护的法律法规受到行政处罚")]
    assert items and items[0].label.endswith("（7） ①") and lead[0].seq < items[0].seq


def test_a_mark_alone_on_its_line_takes_the_title_below_it(parsed):
    _, doc = parsed["402"]
    paths = {p for u in doc.units() for p in u.path}
    assert "第一章 总则" in paths and "附件1 碳排放权登记管理规则（试行）" in paths
    first = next(u for u in doc.units() if u.label.endswith("第一条"))
    assert first.title.startswith("为规范全国碳排放权登记活动")


def test_two_phrase_chapter_titles_end_at_their_line(parsed):
    _, doc = parsed["509"]
    paths = {p for u in doc.units() for p in u.path}
    assert "七、 强化陆海统筹，健全海洋生态环境监测" in paths
    intro = next(u for u in doc.units() if u.text.startswith("七、强化陆海统筹"))
    assert intro.text.startswith("七、强化陆海统筹，健全海洋生态环境监测\n构建陆海统筹、河海联动")


def test_annex_titles_end_before_the_annex_text(parsed):
    titles = {u.label: u.title for no in ("169", "139") for u in parsed[no][1].units() if u.label.startswith("附件")}
    assert titles["附件1"] == "冶金、建材重点行业严格能效约束推动节能降碳行动方案（2021-2025年）"
    assert titles["附件2"] in ("石化化工重点行业严格能效约束推动节能降碳行动方案（2021-2025年）",
                               "四川省近零碳排放园区试点建设工作方案")
    assert "四川省近零碳排放园区试点建设工作方案" in titles.values()


def test_a_lead_in_of_a_long_item_is_kept_and_reported_in_paths():
    body = "二、主要任务\n（一）甲举措。内容甲。\n（二）纳税人申请享受规定的政策时，不得发生下列情形：\n①甲情形，内容。\n②乙情形，" \
           + "内容乙。" * 400 + "\n（三）丙举措。内容丙。"
    doc = parse(["一、总体要求\n（一）总则举措。内容。\n" + body], "测试")
    lead = [u for u in doc.units() if u.text == "（二）纳税人申请享受规定的政策时，不得发生下列情形："]
    assert len(lead) == 1 and lead[0].label == "二、 （二）"
    assert odd_headings(doc) == ["（二） 纳税人申请享受规定的政策时，不得发生下列情形："]


def test_annex_title_lines_end_their_paragraph():
    pages = ["附件1\n甲乙丙丁实施方案\n为贯彻落实有关部署，制定本方案。\n"]
    assert clean_pages(pages).text == "附件1\n甲乙丙丁实施方案\n为贯彻落实有关部署，制定本方案。"
    # a title over two lines (169), in a text of 28-character lines: the lines join, the text starts below
    full = "为贯彻落实党中央、国务院碳达峰碳中和相关工作部署，推动重点"
    two = ["附件2\n甲乙丙丁重点行业严格能效\n约束实施方案（2021-2025年）\n" + (full + "\n") * 4 + "行业节能降碳。\n"]
    assert clean_pages(two).text.startswith("附件2\n甲乙丙丁重点行业严格能效约束实施方案（2021-2025年）\n为贯彻落实")
