"""Knowledge extraction on hand-made clauses and on the primary document (text and PDF)."""
from __future__ import annotations

import pytest

from knowledge.bureaus import canonical_name, parse_clause
from knowledge.extract import targets_in
from tests.conftest import PRIMARY_PDF, PRIMARY_TXT, parsed_document


def names(clause):
    return [(b.name, b.lead) for b in clause.bureaus]


def test_shared_responsibility_with_etc():
    c = parse_clause("市发改委、市商务局、市生态环境局、市市场监管局等按职责分工负责")
    assert names(c) == [("市发改委", False), ("市商务局", False), ("市生态环境局", False), ("市市场监管局", False)]


def test_lead():
    assert names(parse_clause("市交通局牵头负责")) == [("市交通局", True)]
    c = parse_clause("市发改委牵头，市工信局、市财政局配合")
    assert names(c) == [("市发改委", True), ("市工信局", False), ("市财政局", False)]


def test_responsible_units_prefix_and_nested_brackets():
    c = parse_clause("责任单位：市经信局、市财政局、相关区（市）县政府（管委会）")
    assert [b.name for b in c.bureaus] == ["市经信局", "市财政局", "相关区（市）县政府（管委会）"]


def test_document_wide_implementers_and_typo():
    c = parse_clause("市发改委、市工信局按职责分工负责，各县区政府、功能板块管委会，以下均需各县区政府、功能板块管委会落实，不再列出")
    assert c.implementers == ["各县区政府", "功能板块管委会"]
    assert [b.name for b in c.bureaus] == ["市发改委", "市工信局", "各县区政府", "功能板块管委会"]
    c = parse_clause("市商务局、市机关事物管理局等部门按职责分工负责")
    assert [b.name for b in c.bureaus] == ["市商务局", "市机关事务管理局"]


def test_canonical_names_and_aliases():
    assert canonical_name("市发改委") == canonical_name("市发展改革委") == "市发展和改革委员会"
    assert canonical_name("市机关事物管理局") == "市机关事务管理局"
    c = parse_clause("市发改委牵头负责")
    assert "市发展改革委" in c.bureaus[0].aliases and c.bureaus[0].canonical == "市发展和改革委员会"


@pytest.mark.parametrize("sentence,expected", [
    ("到2030年，全市可再生能源发电装机超1000万千瓦，非化石能源消费占比25%左右。",
     [(2030, "全市可再生能源发电装机", "超", "1000", "万千瓦"), (2030, "非化石能源消费占比", "左右", "25", "%")]),
    ("到2027年，建成近零碳码头1个、零碳货运枢纽1个，",
     [(2027, "建成近零碳码头", "", "1", "个"), (2027, "零碳货运枢纽", "", "1", "个")]),
    ("营运交通工具单位换算周转量碳排放强度比2020年下降9.5%左右。", []),  # no due year in the sentence
    ("到2030年，营运交通工具碳排放强度比2020年下降9.5%左右。",
     [(2030, "营运交通工具碳排放强度", "下降…左右", "9.5", "%")]),
    ("力争到2030年，高耗能企业绿色电力消费占比超30%。", [(2030, "高耗能企业绿色电力消费占比", "超", "30", "%")]),
    ("2025年底前，新能源汽车在新增车辆中占比不低于80%。", [(2025, "新能源汽车在新增车辆中占比", "不低于", "80", "%")]),
    ("加快推进120万千瓦连云港抽水蓄能电站建设。", []),
    ("“十四五”期间，全市单位地区生产总值能耗下降13.5%。", [(2025, "全市单位地区生产总值能耗", "下降", "13.5", "%")]),
    ("到2025年，优良天数比例提高9.8个百分点。", [(2025, "优良天数比例", "提高", "9.8", "个百分点")]),
    ("到2025年，数据中心能耗降至0.5吨标准煤/万元以下。", [(2025, "数据中心能耗", "降至…以下", "0.5", "吨标准煤/万元")]),
])
def test_targets_in_sentences(sentence, expected):
    got = [(t.year, t.indicator, t.comparator, t.value, t.unit) for t in targets_in(sentence)]
    assert got == expected


LEADS = {5, 7, 8}
EXPECTED_BUREAUS = {
    1: ["市发改委", "市工信局", "市商务局", "市生态环境局", "各县区政府", "功能板块管委会"],
    2: ["市工信局", "市发改委", "市生态环境局"],
    3: ["市发改委", "市商务局", "市生态环境局", "市市场监管局"],
    4: ["市工信局", "市数据局", "市发改委", "市自然资源局"],
    5: ["市发改委"], 6: ["市发改委", "市工信局"], 7: ["市发改委"], 8: ["市交通局"],
    9: ["市住建局", "市机关事务管理局"],
    10: ["市住建局", "市发改委", "市生态环境局", "市农业农村局", "市城管局"],
    11: ["市发改委", "市工信局", "市生态环境局"],
    12: ["市发改委", "市工信局", "市自然资源局", "市水利局"],
    13: ["市发改委", "市商务局", "市工信局", "市生态环境局", "市城管局", "市农业农村局"],
    14: ["市发改委", "市机关事务管理局", "市生态环境局", "市商务局"],
    15: ["市商务局", "市住建局", "市民政局", "市机关事务管理局"],
    16: ["市科技局", "市发改委", "市工信局", "市财政局"],
    17: ["市科技局", "市工信局", "市发改委"],
    18: ["市市场监管局", "市发改委", "市工信局", "市生态环境局", "人民银行连云港分行"],
    19: ["市财政局", "市发改委", "市工信局", "市生态环境局", "市科技局"],
    20: ["市税务局", "市发改委"],
    21: ["市政府办", "人民银行连云港分行", "连云港金融监管局"],
    22: ["市生态环境局", "市发改委", "市水利局"],
}
EXPECTED_TARGETS = {
    1: [(2030, "1", "个")], 2: [(2030, "30", "%")], 3: [(2030, "10", "个")],
    5: [(2030, "1000", "万千瓦"), (2030, "25", "%")], 6: [(2030, "30", "%")],
    8: [(2027, "1", "个"), (2027, "1", "个"), (2030, "9.5", "%")],
    9: [(2030, "8", "%"), (2030, "50", "%"), (2030, "100", "万平方米")],
    10: [(2030, "100", "%"), (2030, "80", "%"), (2030, "90", "%")],
    12: [(2030, "30", "%")], 14: [(2030, "100", "%"), (2030, "2", "万人")], 15: [(2030, "80", "%")],
}


@pytest.mark.parametrize("path", [PRIMARY_TXT, PRIMARY_PDF], ids=["txt", "pdf"])
def test_primary_document_knowledge(path):
    doc = parsed_document(path)
    assert doc.implementers == ["各县区政府", "功能板块管委会"]
    for m in doc.measures:
        assert [b.name for b in m.bureaus] == EXPECTED_BUREAUS[m.no], m.no
        assert {m.no for b in m.bureaus if b.lead} <= LEADS
        assert any(b.lead for b in m.bureaus) == (m.no in LEADS)
        assert [(t.year, t.value, t.unit) for t in m.targets] == EXPECTED_TARGETS.get(m.no, []), m.no
        for t in m.targets:
            assert t.indicator and t.text in m.text
    assert sum(len(m.targets) for m in doc.measures) == 19
    industries = {m.no: m.industries for m in doc.measures}
    assert "化工" in industries[2] and "钢铁" in industries[2] and "金融机构" in industries[21]


def test_level_written_once_applies_to_the_departments_after_it():
    c = parse_clause("市发展改革委、工业和信息化局、生态环境局、梧州银保监分局、各有关园区管委会等按职责分工负责")
    assert [b.name for b in c.bureaus] == ["市发展改革委", "工业和信息化局", "生态环境局", "梧州银保监分局", "各有关园区管委会"]
    assert [b.canonical for b in c.bureaus] == ["市发展和改革委员会", "市工业和信息化局", "市生态环境局", "梧州银保监分局",
                                               "各有关园区管委会"]
    assert "工业和信息化局" in c.bureaus[1].aliases and "市工信局" in c.bureaus[1].aliases


@pytest.mark.parametrize("text,expected", [
    ("加快建设。（市发展改革委牵头，市工业和信息化局、市生态环境局等按职责分工负责）",
     [("市发展改革委", True), ("市工业和信息化局", False), ("市生态环境局", False)]),
    ("加快建设。（牵头单位：市发展改革委；责任单位：市财政局、市商务局）",
     [("市发展改革委", True), ("市财政局", False), ("市商务局", False)]),
    ("加快建设。【责任单位：市住建局、各县（市、区）人民政府】", [("市住建局", False), ("各县（市、区）人民政府", False)]),
    ("加快建设。（市生态环境局负责）", [("市生态环境局", False)]),
    ("加快建设（试点）。推进示范。", None),  # a parenthesis inside the text is not a responsibility clause
])
def test_responsibility_clause_forms(text, expected):
    from knowledge.bureaus import extract_bureaus

    clause = extract_bureaus(text)
    assert (None if clause is None else names(clause)) == expected


def test_places_without_a_gazetteer():
    from knowledge.extract import places_in

    assert places_in("支持连云区板桥工业园、灌云县临港产业区、徐圩新区等新型电力系统试点园区") == [
        "连云区板桥工业园", "灌云县临港产业区", "徐圩新区"]
    assert places_in("鼓励东海县、赣榆区等地区发展循环经济。") == ["东海县", "赣榆区"]
    assert places_in("提升产业园区循环化水平，优化开发区布局。") == []


def test_body_kinds_one_home_read_longest_first():
    """The kind words a body's name ends in live in knowledge.bureaus (BODY_KINDS); each reader adds its own. The
    alternation reads 委员会 whole (a joint issue's signatures are counted by it), and the level written once goes to
    the departments after it but not to a ministry."""
    import re

    from knowledge.bureaus import body_kinds, with_shared_level

    assert re.findall(body_kinds("会"), "福建省发展和改革委员会福建省妇女联合会") == ["委员会", "会"]
    assert with_shared_level(["市发展改革委", "工业和信息化局", "供销合作社", "工业和信息化部"]) == [
        "市发展改革委", "市工业和信息化局", "市供销合作社", "工业和信息化部"]
