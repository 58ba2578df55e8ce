"""The outline parser: levels found from the markers a document uses, labels, bounded units, front matter,
tables of contents — on small texts that isolate each rule and on real policy PDFs of ../shared/corpus-dc."""
from __future__ import annotations

import re
import time

import pytest

from ingest.outline import find_outline
from ingest.report import BOUND, article_numbers, corpus_rows, totals
from ingest.segment import LIMIT
from ingest.structure import parse
from tests.conftest import CORPUS_DC, dev_only, loaded_file, parsed_document



def _dc(prefix: str):
    found = sorted(CORPUS_DC.glob(f"{prefix}*.pdf"))
    if not found:
        pytest.fail(f"{prefix}… not found in {CORPUS_DC}")
    return dev_only(found[0])


def _load(path):
    return loaded_file(path)


def test_levels_follow_the_markers_present():
    text = "第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 本办法适用于：\n（一）甲；\n（二）乙。\n" \
           "第二章 管理\n第三条 主管部门负责监督。\n"
    heads, used = find_outline(text)
    assert used == ("zhang", "tiao", "pcn")
    assert [h.mark for h in heads] == ["第一章", "第一条", "第二条", "（一）", "（二）", "第二章", "第三条"]
    assert [h.depth for h in heads] == [0, 1, 1, 2, 2, 0, 1]


def test_an_article_with_items_is_one_unit_labelled_by_its_number():
    doc = parse(["某某管理办法\n第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 有下列情形之一的，不予支持：\n"
                 "（一）弄虚作假的；\n（二）逾期未报的。\n第二章 附则\n第三条 本办法自2022年1月1日起施行。\n"], "x")
    labels = [m.label for m in doc.measures]
    assert labels == ["第一条", "第二条", "第三条"]
    assert "（二）逾期未报的" in doc.measures[1].text
    assert doc.measures[2].path == ["第二章 附则"]
    assert doc.meta["effective"] == "2022年1月1日"


def test_nesting_taken_from_the_document_when_it_inverts_the_usual_order():
    # 1. above （一）: the order of first appearance wins because it accepts more headings in sequence
    text = "1.总体要求\n（一）甲。内容。\n（二）乙。内容。\n2.重点任务\n（一）丙。内容。\n（二）丁。内容。\n"
    heads, used = find_outline(text)
    assert used == ("ar", "pcn")
    assert [h.mark for h in heads if h.depth == 0] == ["1.", "2."]


def test_labels_carry_the_parent_where_numbering_restarts():
    doc = parse(["一、甲\n（一）子甲。内容。\n1.细项。内容。\n二、乙\n（一）子乙。内容。\n"], "x")
    assert [m.label for m in doc.measures] == ["一、 （一）", "二、 （一）"]


def test_references_inside_sentences_are_not_headings():
    doc = parse(["一、要求\n（一）落实责任。按照本意见第二条和（三）的要求执行。\n（二）加强保障。内容。\n"], "x")
    assert [m.label for m in doc.measures] == ["（一）", "（二）"]


def test_long_units_split_at_sentences_and_unpunctuated_text_is_bounded():
    sentence = "推进节能降碳改造并加强监督管理。"
    doc = parse(["一、总则\n（一）甲。" + sentence * 300 + "\n（二）乙。内容。\n"], "x")
    parts = [m for m in doc.measures if m.label == "（一）"]
    assert len(parts) >= 3 and all(len(m.text) <= LIMIT for m in parts)
    assert all(m.text.endswith("。") for m in parts[:-1])  # never cut inside a sentence
    blob = parse(["无标点" * 400_000], "x")  # 1.2 million characters, no punctuation at all
    assert max(len(u.text) for u in blob.units()) <= LIMIT
    assert sum(len(u.text) for u in blob.units()) == 1_200_000  # nothing lost


def test_hostile_inputs_stay_bounded_in_size_and_time():
    # A notice wrapper is a unit like any other: bounded, nothing lost (it was one 51,000-character unit).
    wrapper = "现将有关事项说明如下，请认真执行。" * 3000
    doc = parse(["某市人民政府关于印发某市节能实施方案的通知\n各区人民政府：\n" + wrapper + "现将《某市节能实施方案》印发给你们，"
                 "请认真贯彻执行。\n某市人民政府\n2022年3月1日\n某市节能实施方案\n一、目标\n到2025年，单位GDP能耗下降14%。\n"], "x")
    notice = [u for u in doc.units() if u.label == "印发通知"]
    assert len(notice) > 30 and all(len(u.text) <= LIMIT for u in notice)
    assert sum(u.text.count("现将有关事项说明如下") for u in notice) == 3000
    assert doc.title == "某市节能实施方案" and doc.units()[-1].label == "一、"
    # A line of 100,000 dots, underscores or spaces (a form's blank) and a page of 100,000 short lines: the table
    # of contents and title searches were quadratic on them (hours; now well under a second each).
    for pages in (["……" * 50000 + "x"], ["甲" + "_" * 100000 + "乙"], ["甲" + " " * 100000 + "乙"], ["甲\n" * 100000]):
        started = time.monotonic()
        doc = parse(pages, "x")
        assert time.monotonic() - started < 30
        assert doc.units() and max(len(u.text) for u in doc.units()) <= LIMIT


def test_table_of_contents_is_dropped():
    pages = ["某市“十四五”规划\n目 录\n第一章 发展基础……………1\n第二章 主要任务……………3\n第三章 保障措施……………5\n",
             "第一章 发展基础\n本市发展成效显著。\n第二章 主要任务\n推进绿色发展。\n第三章 保障措施\n加强组织领导。\n"]
    doc = parse(pages, "x")
    assert [s.title for s in doc.sections] == ["发展基础", "主要任务", "保障措施"]
    assert not any("……" in u.text for u in doc.units())


def test_table_of_contents_with_long_dot_leaders_is_dropped():
    # 410, 473, 571 and ten other plans print 60-100 dots: an entry is short, its leader need not be
    leader = "." * 90
    pages = [f"某某技术指南\n目 录\n前 言{leader}1\n1. 适用范围{leader}5\n2. 技术流程{leader}6\n3. 政策分析{leader}8\n",
             "1. 适用范围\n本指南适用于政策分析。\n2. 技术流程\n分析包括以下步骤。\n3. 政策分析\n解析政策要素。\n"]
    doc = parse(pages, "x")
    assert [u.label for u in doc.measures] == ["1.", "2.", "3."]
    assert not any("....." in u.text for u in doc.units())
    assert doc.measures[0].text.startswith("1.") and "本指南适用于政策分析。" in doc.measures[0].text


@pytest.mark.slow
def test_table_of_contents_of_a_real_guide_with_long_leaders_is_no_unit():
    doc = _parse_file(_dc("410、"))  # 经济、技术政策生态环境影响分析技术指南: `1. 适用范围……(60 dots) 5`
    assert not any(re.search(r"\.{10,}", u.text) for u in doc.units())
    numbered = [u.label for u in doc.measures if u.label[0].isdigit()]
    assert numbered == ["1.", "2.", "3.", "4.", "5.", "6.", "7."]  # each once: no entry of the contents is a unit
    assert doc.measures[0].text.startswith("1.适用范围\n本指南主要适用于")


def test_table_of_contents_with_page_numbers_glued_to_the_entries_is_dropped():
    # no dot leaders in the text layer: `第一节工作回顾6`; the bare entry is a heading later in the document
    pages = ["某市规划\n目录\n第一章工作回顾5\n第一节工作回顾6\n第二节主要短板8\n第二章主要任务11\n",
             "第一章工作回顾\n“十三五”时期成效显著。\n第一节工作回顾\n排查企业236家次。\n第二节主要短板\n短板明显。\n"
             "第二章主要任务\n到2025年，建成应急中心2个。\n"]
    doc = parse(pages, "x")
    assert [s.title for s in doc.sections] == ["工作回顾", "主要任务"]
    assert not any(re.search(r"工作回顾6|主要短板8", u.text) for u in doc.units())
    review = next(u for u in doc.units() if "排查企业" in u.text)
    assert review.label.endswith("第一节") and review.path[0].startswith("第一章")


@pytest.mark.slow
def test_glued_table_of_contents_of_a_real_plan_leaves_the_review_out_of_the_targets():
    doc = _parse_file(_dc("221、"))  # 重庆市环境应急能力建设“十四五”规划: TOC `第一节工作回顾6`
    review = [u for u in doc.units() if "23656" in u.text]
    assert [u.label for u in review] == ["第一章 第一节"]
    assert not any(t.value == "23656" for u in doc.units() for t in u.targets)  # a figure of the past


def test_notice_wrapper_is_front_matter_and_the_title_is_the_policy_own():
    pages = ["某市人民政府关于印发某市节能实施方案的通知\n某政发〔2022〕4号\n各区人民政府：\n现将《某市节能实施方案》印发给你们，"
             "请认真贯彻执行。\n某市人民政府\n2022年3月1日\n某市节能实施方案\n为推进节能，制定本方案。\n一、目标\n到2025年，"
             "单位GDP能耗下降14%。\n二、任务\n（一）工业节能。内容。\n"]
    doc = parse(pages, "117、某市节能实施方案的通知")
    assert doc.title == "某市节能实施方案"
    assert doc.meta["doc_number"] == "某政发〔2022〕4号"
    assert doc.meta["issued"] == "2022年3月1日"
    assert doc.meta["notice_title"] == "某市人民政府关于印发某市节能实施方案的通知"
    front = doc.units()[0]
    assert front.label == "印发通知" and "印发给你们" in front.text and "为推进节能" not in front.text
    assert doc.units()[1].label == "前言" and doc.units()[1].text.startswith("某市节能实施方案")


@pytest.mark.parametrize("head,number", [
    ("上海市人民政府文件\n沪府发 〔２０２２〕１号\n上海市人民政府关于印发…的通知\n", "沪府发〔2022〕1号"),  # full-width, spaced
    ("关于印发…的通知\n（国资发科创〔2021〕93 号）\n各中央企业：\n", "国资发科创〔2021〕93号"),  # in brackets
    ("鲁发改能源[2021]   1097号\n关于印发…的通知\n", "鲁发改能源〔2021〕1097号"),  # square brackets
    ("发文字号： 吉政发〔2021〕18 号 发布日期： 2021 年 09 月 03 日\n", "吉政发〔2021〕18号"),  # a labelled field
    ("国能发新能\n〔2021〕25号\n", "国能发新能〔2021〕25号"),  # split across lines
    ("为贯彻落实《国务院关于…的指导意见》（国发〔2021〕4 号），结合实际，提出如下意见。\n", ""),  # a citation
    ("5．《某市行动计划》（包府办\n发〔2021〕21 号)\n6.《某市实施意见》\n(包府办发〔2021]118 号)\n", ""),  # a reference list
])
def test_document_number_variants(head, number):
    from ingest.frontmatter import doc_number

    assert doc_number(head) == number


@pytest.mark.parametrize("head,title,organ", [
    ("", "辽宁省人民政府关于印发辽宁省某某方案的通知", "辽宁省人民政府"),
    ("", "工业和信息化部、国家发展和改革委员会、生态环境部关于促进钢铁工业高质量发展的指导意见",
     "工业和信息化部、国家发展和改革委员会、生态环境部"),
    ("", "住房和城乡建设部等15部门关于某某工作的意见", "住房和城乡建设部等15部门"),  # a written title: 等N部门
    ("甘肃省人民政府文件\n甘政发〔2021〕62号\n", "甘肃省人民政府印发关于某某实施方案的通知", "甘肃省人民政府"),
    ("发布部门： 中国共产党中央委员会 国务院\n发布日期：2021.09.22\n", "中共中央、国务院关于某某的意见",
     "中国共产党中央委员会、国务院"),
    ("", "江苏省关于推进某某工作的通知", ""),  # a place is not an organ
    ("", "关于做好某某工作的通知", ""),
])
def test_issuing_organ_from_field_letterhead_or_title(head, title, organ):
    from ingest.frontmatter import issuer

    assert issuer(head, title) == organ


@pytest.mark.slow
def test_closing_text_after_the_last_measure_has_a_label():
    doc = _parse_file(_dc("153、"))  # 江苏省关于科学绿化的实施意见: the signature after the last measure's bracket
    closing = [u for u in doc.units() if u.title == "结尾"]
    assert [u.label for u in closing] == ["结尾"] and "2021年9月9日" in closing[0].text
    assert all(u.label for u in doc.units())
    from answer.compose import unit_label

    assert unit_label(doc, closing[0]) == "结尾"  # answers cite it once, not 结尾结尾


def test_running_number_of_the_file_name_is_not_the_title():
    doc = parse(["没有标题行的一段文字，说明了一些情况。"], "117、繁昌区节能降碳若干支持措施")
    assert doc.title == "繁昌区节能降碳若干支持措施"


@pytest.mark.slow
def test_regulation_every_article_a_unit():
    doc = _parse_file(_dc("58、"))
    labels = [m.label for m in doc.measures]
    arts = article_numbers("\n".join(u.text for u in doc.units()))
    assert len(arts) >= 60
    assert [lbl for lbl in labels if lbl.startswith("第") and lbl.endswith("条")] == labels
    assert len(set(labels)) == len(arts) == len(labels)
    m5 = next(m for m in doc.measures if m.label == "第五条")
    assert m5.text.startswith("第五条") and m5.path == ["第一章 总则"]
    assert not any(u.text.startswith("第一章") and "第二章" in u.text[:40] for u in doc.units())  # no TOC unit


@pytest.mark.slow
def test_plan_with_chapters_sections_and_boxes():
    doc = _parse_file(_dc("446、"))
    assert doc.levels[:2] == ["第X章", "第X节"]
    labels = [u.label for u in doc.units() if u.kind == "measure"]
    assert len(labels) > 40
    assert all(len(u.text) <= BOUND for u in doc.units())
    assert any(re.match(r"第[一二三四五六七八九十]+章 第[一二三四五六七八九十]+节", p) or u.path for u in doc.units()
               for p in [u.label])


def test_boxes_numbered_in_chinese_are_boxes():
    # 473 宁德, 125 巴中, 427 广元 number their boxes 专栏一, 专栏二 …: they were plain text of the unit before them,
    # and the box's own list (（一）…) was read as the section's measures (125: 第三章 第四节 （一） was a box item)
    text = ("第一章 任务\n第一节 治气\n推进工业治理，完善监测网络。\n专栏一 大气重点项目\n"
            "（一）燃煤锅炉改造项目。改造锅炉10台。\n（二）监测站项目。建设站点5个。\n第二节 治水\n保护水源，划定保护区。\n")
    doc = parse([text], "x")
    assert doc.levels == ["第X章", "第X节", "专栏"]
    assert [u.label for u in doc.units()] == ["第一节", "专栏一", "第二节"]
    assert "改造锅炉10台" in doc.units()[1].text and "建设站点5个" in doc.units()[1].text


def test_category_cells_of_an_indicator_table_are_not_headings():
    # 巴中 125's 专栏一: the category column (（一）生态环境质量改善 …) is numbered like headings; it follows the header
    # or a row's attribute and rows follow it. A heading after the table is followed by sentences.
    text = ("第一章 目标\n第一节 主要指标\n到2025年，环境质量改善。\n"
            "类别序号指标名称2020年基准值2025年目标指标属性\n（一）生\n态环境质量改善1空气质量优良天数比率（%）96.7 97约束性"
            "2细颗粒物浓度（μg/m3）28.1 27约束性\n（二）生\n态保护3森林覆盖率（%）63 63约束性\n"
            "第二节 任务\n（一）治污\n加强治理。\n（二）增绿\n扩大林地。\n")
    heads, _ = find_outline(text)
    assert [h.mark for h in heads] == ["第一章", "第一节", "第二节", "（一）", "（二）"]
    # after the table, a heading followed by sentences stays a heading
    text = "第一章 目标\n类别指标2020年2025年属性\n空气质量优良天数比率（%）96.7 97约束性\n（一）加强保障\n各地要落实责任。\n"
    assert [h.mark for h in find_outline(text)[0]] == ["第一章", "（一）"]


def test_indicator_table_of_a_real_plan_stays_in_one_unit():
    doc = _parse_file(_dc("125、"))  # 巴中市“十四五”生态环境保护规划, 专栏一 with five categories
    table = [u for u in doc.units() if "约束性" in u.text and "指标属性" in u.text]
    assert len(table) == 1 and table[0].label == "专栏一"  # a box numbered in Chinese is a box (was 第二章 第三节)
    assert table[0].path[0].startswith("第二章")
    assert "行政村农村生活污水有效治理比例" in table[0].text
    assert {("75", "%"), ("63", "%"), ("27.0", "μg/m3")} <= {(t.value, t.unit) for t in table[0].targets}


def _parse_file(path):
    return parsed_document(path)


@pytest.mark.slow
def test_corpus_totals_on_a_sample_of_corpus_dc():
    """The outline issue's totals on every fourth file of corpus-dc (the whole corpus: docs/corpus-report.md)."""
    files = sorted(CORPUS_DC.glob("*.pdf"))[::4]
    rows = corpus_rows(files)
    t = totals(rows)
    assert t["parsed"] >= len(files) - 2
    assert t["docs_bounded"] >= 0.97
    assert t["text_bounded"] >= 0.95
    assert t["article_docs"] >= 3 and t["article_docs_complete"] >= 0.9
