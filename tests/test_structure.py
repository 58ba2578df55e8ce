"""Structure parsing: one test per heading pattern, then the real corpus files."""
from __future__ import annotations

import pytest

from ingest.clean import clean_pages, squeeze_spaces
from ingest.structure import find_title, parse
from knowledge.numerals import cn_to_int, cn_to_number
from tests.conftest import CORPUS, PRIMARY_PDF, PRIMARY_TXT, loaded_file


def load(path):
    return loaded_file(path)


@pytest.mark.parametrize("text,value", [("五", 5), ("十", 10), ("十二", 12), ("二十二", 22), ("三十三", 33),
                                        ("一百零三", 103), ("7", 7)])
def test_chinese_numerals(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("text,value", [("五十", 50.0), ("两", 2.0), ("一百二十", 120.0), ("1,000", 1000.0),
                                        ("0.05", 0.05), ("一千零十", 1010.0), ("五十万", None), ("", None)])
def test_figures_of_amounts_read_as_numbers(text, value):
    # The reader support_fields' amounts and rates use (五十万元, 1,000万元, 0.05元/度): digits with commas and
    # decimals, or Chinese numerals read by cn_to_int; what is neither reads None, never raises.
    assert cn_to_number(text) == value


def test_spaces_between_cjk_and_digits_are_removed():
    assert squeeze_spaces("到 2030 年，培育 1个 先导区") == "到2030年，培育1个先导区"
    assert squeeze_spaces("工业 PON 等技术") == "工业PON等技术"


def test_footer_and_hard_line_breaks_are_removed():
    pages = ["— 1 —\n一、总则\n（一）加快推\n进转型。到 2030\n年，完成 10个。\n", "— 2 —\n（二）第二条。内容。\n"]
    cleaned = clean_pages(pages)
    assert "— 1 —" not in cleaned.text and "—2—" not in cleaned.text
    assert "（一）加快推进转型。到2030年，完成10个。" in cleaned.text
    assert cleaned.page_at(cleaned.text.index("（二）")) == 2


def test_superscript_of_a_metre_unit_set_apart_by_pypdf_stays_with_it():
    # corpus-dc 455: pypdf sets the 3 of m³ on a line of its own (or after a space); it is no page number.
    pages = ["单位工业增加值新鲜水耗\n不超过 8 m\n3\n/万元。\nPM2.5 浓度 μg/m\n3\n 37 30 约束性\n浓度≤22μg/m 3 ；\n"
             "用水量 m 3 /万元 56.22\n", "内容\n3\n"]
    text = clean_pages(pages).text
    assert "不超过8 m3/万元。" in text and "μg/m3 37 30约束性" in text and "≤22μg/m3；" in text and "m3/万元56.22" in text
    assert "\n3" not in text and not text.endswith("3")  # a lone page number after text is still a page number
    # a page number at a page's bottom or top edge after text ending in a metre unit is not its superscript
    for edge in (["道路全长约12km\n2\n", "继续建设。\n"], ["道路全长约12km\n", "3\n继续建设。\n"]):
        assert "12km继续建设。" in clean_pages(edge).text


def test_section_and_measure_headings():
    doc = parse(["一、第一部分\n（一）甲举措。内容甲。\n（二）乙举措。内容乙。\n二、第二部分\n（三）丙举措。内容丙。"], "测试")
    assert [(s.no, s.title) for s in doc.sections] == [(1, "第一部分"), (2, "第二部分")]
    assert [(m.no, m.section_no, m.title) for m in doc.measures] == [(1, 1, "甲举措"), (2, 1, "乙举措"),
                                                                     (3, 2, "丙举措")]


def test_measure_heading_glued_to_section_title():
    # pypdf puts 二、… and （五） on one line in the primary PDF.
    doc = parse(["一、甲部分\n（一）甲。内容。\n二、实施能源结构清洁低碳转型行动（二）加快绿色低碳能源供给。内容。"], "测试")
    assert [s.title for s in doc.sections] == ["甲部分", "实施能源结构清洁低碳转型行动"]
    assert [m.title for m in doc.measures] == ["甲", "加快绿色低碳能源供给"]


def test_cross_reference_is_not_a_heading():
    doc = parse(["一、总则\n（一）甲。见本文（三）所述。\n（二）乙。内容。"], "测试")
    assert [m.no for m in doc.measures] == [1, 2]


def test_flat_numbered_list():
    doc = parse(["标题\n1．第一项。内容。\n2．第二项。内容。\n3．第三项。内容。"], "测试")
    assert [(m.no, m.title, m.section_no) for m in doc.measures] == [(1, "第一项", None), (2, "第二项", None),
                                                                     (3, "第三项", None)]


def test_numbered_items_under_sections():
    doc = parse(["一、甲\n1. 一项。内容。\n2. 二项。内容。\n二、乙\n3. 三项。内容。"], "测试")
    assert [(m.no, m.section_no) for m in doc.measures] == [(1, 1), (2, 1), (3, 2)]


def test_articles():
    doc = parse(["第一条 目的。为了规范。\n第二条 范围。适用于本市。\n第三条 职责。市发改委负责。"], "测试")
    assert [m.no for m in doc.measures] == [1, 2, 3]


def test_measure_numbers_restarting_in_a_new_section():
    doc = parse(["一、任务\n（一）甲。内容。\n（二）乙。内容。\n二、保障\n（一）丙。内容。"], "测试")
    assert [(m.no, m.section_no) for m in doc.measures] == [(1, 1), (2, 1), (1, 2)]
    assert any("重新开始" in w for w in doc.warnings)
    assert [m.label for m in doc.measures] == ["一、 （一）", "一、 （二）", "二、 （一）"]


def test_unstructured_text_becomes_paragraphs_without_invented_structure():
    doc = parse(["我市印发方案。方案明确了目标。\n  到2025年，森林覆盖率提高到19%。\n"], "某市方案")
    assert doc.sections == []
    assert all(m.kind == "paragraph" for m in doc.measures)
    assert "".join(m.text for m in doc.measures).count("19%") == 1


def test_title_line_and_file_name_title():
    assert find_title("— 1 —\n某市加快绿色转型政\n策举措（征求意见稿）\n（征求意见稿）\n为深入贯彻。")[0] == \
        "某市加快绿色转型政策举措（征求意见稿）"
    assert find_title("为深入贯彻，制定以下政策举措。\n一、实施")[0] is None
    assert find_title("关于印发《某某十项措施》的通知\n各区：")[0] == "关于印发《某某十项措施》的通知"


def test_title_past_letterheads_numbers_and_broken_notice_lines():
    """Title shapes of corpus-dc files (203/553, 205, 342, 174, 319; the 文号 run into the title written for the test,
    its corpus-dc file is now a test document): the letterhead and the 文号 are not the title, and a notice title
    broken after its kind word keeps its （试行）》的通知 line."""
    from ingest.frontmatter import policy_title
    assert find_title("— 1 —\n上海市生态环境局文件\n沪环气〔2022〕27 号\n上海市生态环境局关于开展低碳示范\n创建工作的通知\n"
                      "各区生态环境局，各相关单位：")[0] == "上海市生态环境局关于开展低碳示范创建工作的通知"
    assert find_title("文件\n浙江省发展和改革委员会\n浙江省生态环境厅\n浙发改产业〔2022〕1 号\n省发展改革委等五部门关于严格能效约束推动\n"
                      "重点领域节能降碳工作的实施方案\n省科技厅：")[0] == "省发展改革委等五部门关于严格能效约束推动重点领域节能降碳工作的实施方案"
    assert find_title("某政办规〔〕号某某市人民政府办公室关于实施绿色建筑行动的通知\n各县人民政府：")[0] == \
        "某某市人民政府办公室关于实施绿色建筑行动的通知"
    title = find_title("关于印发《生态环保金融支持项目储备库入库指南\n（试行）》的通知\n各省生态环境厅：")[0]
    assert title == "关于印发《生态环保金融支持项目储备库入库指南（试行）》的通知"
    assert policy_title(title) == "生态环保金融支持项目储备库入库指南（试行）"
    assert policy_title("上海市人民政府关于印发«崇明世界级生态岛发展规划纲要(2021-2035年)»的通知") == \
        "崇明世界级生态岛发展规划纲要(2021-2035年)"
    assert policy_title("办公厅印发《关于推动城乡建设绿色发展的实施意见〉的通知") == "关于推动城乡建设绿色发展的实施意见"
    # A heading right after a title is not a run-on of it.
    assert find_title("某市绿色低碳发展实施方案\n（一）总体要求\n")[0] == "某市绿色低碳发展实施方案"


def test_a_number_cited_in_the_first_sentence_and_a_title_ending_in_wenjian_are_no_letterhead():
    """Only a 文号 on a line of its own, under lines naming no document kind, marks those lines as the letterhead's
    organs; and a title line that names a document (关于…文件) is no letterhead."""
    # 367's first page: the title, then a first sentence citing 〔2021〕1464 号 on its third line
    head = ("《阜阳市重点领域节能降碳技术改造总体实施方案（2022-2025 年）》\n为贯彻落实国家发展改革委等部门《关于严格能效约束推动重点领域节能降碳的\n"
            "若干意见》（发改产业〔2021〕1464 号）、《关于发布〈高耗能行业重点领域能效标\n杆水平和基准水平（2021 年版）〉的通知》")
    assert "阜阳市重点领域节能降碳技术改造总体实施方案（2022-2025年）" in find_title(head)[0]
    assert find_title("关于废止部分规范性文件\n的通知\n各区：")[0] == "关于废止部分规范性文件的通知"
    # the letterhead shapes stay recognised
    assert find_title("上海市科学技术委员会\n沪科指南〔2022〕18 号\n关于发布上海市2022年度\n“科技创新行动计划”申报指南的通知\n"
                      "各有关单位：")[0] == "关于发布上海市2022年度“科技创新行动计划”申报指南的通知"


def test_367_keeps_its_title_and_period():
    from tests.conftest import corpus_dc_file

    loaded = loaded_file(corpus_dc_file("367"))
    assert parse(list(loaded.pages), loaded.title_hint).title == "阜阳市重点领域节能降碳技术改造总体实施方案（2022-2025年）"


@pytest.mark.parametrize("path", [PRIMARY_TXT, PRIMARY_PDF], ids=["txt", "pdf"])
def test_primary_document_structure(path):
    doc = parse(load(path).pages, path.stem)
    assert doc.title == "连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）"
    assert len(doc.sections) == 7
    assert [m.no for m in doc.measures] == list(range(1, 23))
    assert [m.section_no for m in doc.measures] == [1] * 4 + [2] * 3 + [3] * 3 + [4] * 3 + [5] * 2 + [6] * 2 + [7] * 5
    assert doc.measures[4].title == "加快绿色低碳能源供给"
    # every sentence kept: spot-check text broken across lines and pages
    m2 = doc.measures[1].text
    assert "到2030年，30%化工企业达到清洁生产一级水平" in m2
    m13 = doc.measures[12].text
    assert "鼓励东海县、赣榆区等地区发展循环经济" in m13
    assert "—7—" not in m13 and "— 7—" not in m13


def test_primary_pdf_pages():
    doc = parse(load(PRIMARY_PDF).pages, PRIMARY_PDF.stem)
    pages = {m.no: m.page for m in doc.measures}
    assert pages[1] == 1 and pages[5] == 3 and pages[22] == 10
    assert all(pages[n] <= pages[n + 1] for n in range(1, 22))


@pytest.mark.parametrize("name,sections,measures", [
    ("梧州市人民政府关于加快建立健全绿色低碳循环发展经济体系的实施方案.pdf", 8, 28),
    ("石家庄市关于加快推进绿色低碳循环发展经济体系的若干措施.pdf", 7, 25),
    ("中共中央国务院关于加快经济社会发展全面绿色转型的意见.txt", 12, 33),
    ("成都市优化能源结构促进城市绿色低碳发展政策措施.pdf", 0, 10),
    ("天津市关于做好用能保障推动绿色发展的十项措施.pdf", 4, 10),
    ("天津市绿色建筑创建行动实施方案.pdf", 3, 11),
    ("杭州市关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的实施意见 .pdf", 10, 30),
])
def test_family_documents(name, sections, measures):
    path = CORPUS / name
    doc = parse(load(path).pages, path.stem.strip())
    assert len(doc.sections) == sections
    assert len(doc.measures) == measures
    assert all(m.title for m in doc.measures)


def test_one_page_file_and_notice_stay_searchable():
    for name in ("包头市深入推进碳达峰碳中和加快建设绿色低碳城市实施方案.pdf",
                 "无锡市关于组织申报2022年度省碳达峰碳中和科技创新专项资金项目的通知.pdf"):
        path = CORPUS / name
        doc = parse(load(path).pages, path.stem)
        assert doc.units(), name
        text = "".join(u.text for u in doc.units())
        assert "碳" in text
    baotou = parse(load(CORPUS / "包头市深入推进碳达峰碳中和加快建设绿色低碳城市实施方案.pdf").pages, "包头")
    assert baotou.sections == [] and all(m.kind == "paragraph" for m in baotou.measures)
