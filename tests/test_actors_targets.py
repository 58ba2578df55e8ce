"""Responsibility beyond brackets, deadlines, target tables and which quantities are targets."""
from __future__ import annotations

import json

import pytest

from ingest.structure import parse
from knowledge.actors import deadline_in, jurisdiction_of, labelled_bureaus, sentence_actors
from knowledge.extract import enrich, targets_in
from knowledge.tables import table_targets
from tests.conftest import PRIMARY_TXT, ROOT


def test_labelled_lead_and_partners():
    got = labelled_bureaus("推进园区循环化改造。牵头单位：市发展改革委；配合单位：市工业和信息化局、市生态环境局。", "苏州市")
    assert [(b.name, b.lead) for b in got] == [("市发展改革委", True), ("市工业和信息化局", False),
                                               ("市生态环境局", False)]
    assert got[0].canonical == "苏州市发展和改革委员会" and "市发展和改革委员会" in got[0].aliases


def test_actor_of_an_article_with_a_shared_kind_word():
    text = "第十三条本市建立碳排放统计核算体系。市统计、发展改革、生态环境等部门应当按照职责做好相关工作。"
    assert [b.name for b in sentence_actors(text)] == ["市统计部门", "市发展改革部门", "市生态环境部门"]
    lead = sentence_actors("第十四条市生态环境部门应当会同有关部门制定配额分配方案。")
    assert [(b.name, b.lead) for b in lead] == [("市生态环境部门", True)]
    assert [b.name for b in sentence_actors("由市住房城乡建设委负责组织实施。")] == ["市住房城乡建设委"]


def test_generic_bodies_are_not_actors():
    assert sentence_actors("各有关部门负责抓好落实。") == []


def test_deadlines():
    assert deadline_in("开展节能诊断。完成时限：2022年6月底") == "2022年6月底"
    assert deadline_in("2023年底前完成全部改造任务。") == "2023年底前"
    assert deadline_in("加强监督检查。") == ""


def test_jurisdiction_from_the_title():
    assert jurisdiction_of("连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）") == "连云港市"
    assert jurisdiction_of("中共杭州市委杭州市人民政府关于…的实施意见") == "杭州市"
    assert jurisdiction_of("关于推动城乡建设绿色发展的意见") == ""


@pytest.mark.parametrize("sentence,expected", [
    ("到2025年，非化石能源消费比重达到20%左右。", [(2025, "20", "%")]),
    ("2020年，全市可再生能源装机达到500万千瓦。", []),  # a past year (plan of 2021)
    ("比2020年下降13.5%。", []),  # a baseline, no due year
    ("对2017年3月31日之前建成的项目给予20%奖励。", []),  # a date of a condition, a support rate
    ("到2025年，对总投资1000万元以上的项目给予补贴。", []),  # a threshold, support
    ("到2025年，主要农作物病虫害绿色防控覆盖率和统防统治覆盖率分别达到60%、50%以上。",
     [(2025, "60", "%"), (2025, "50", "%")]),
])
def test_which_quantities_are_targets(sentence, expected):
    assert [(t.year, t.value, t.unit) for t in targets_in(sentence, None, base_year=2021)] == expected


def test_target_table_takes_the_future_column():
    text = ("主要指标指标2020年2025年指标属性\n1.单位地区生产总值二氧化碳排放较2020年降低（%）—完成国家分解任务约束性\n"
            "4.非化石能源消费比重（%）7.6 13左右预期性\n5.累计新增绿色建筑面积（亿平方米）1.38 [5]预期性")
    rows, header = table_targets(text, None, base_year=2021)
    assert header.years == (2020, 2025)
    assert [(t.indicator, t.value, t.unit, t.comparator) for t in rows] == [
        ("非化石能源消费比重", "13", "%", "左右"), ("累计新增绿色建筑面积", "5", "亿平方米", "累计")]
    assert all(t.text in text for t in rows)


def test_primary_document_stays_exact():
    doc = enrich(parse([PRIMARY_TXT.read_text(encoding="utf-8")], PRIMARY_TXT.stem))
    assert len(doc.sections) == 7 and len(doc.measures) == 22
    assert sum(len(m.targets) for m in doc.units()) == 19
    assert all(m.bureaus for m in doc.measures)
    assert [m.label for m in doc.measures if any(b.lead for b in m.bureaus)] == ["（五）", "（七）", "（八）"]
    m5 = doc.measures[4]
    assert m5.bureaus[0].name == "市发改委" and m5.bureaus[0].canonical == "连云港市发展和改革委员会"


@pytest.mark.slow
def test_target_extraction_on_the_dev_gold():
    """Precision and recall against targets written from the documents alone (eval/testsets/targets_gold.jsonl)."""
    from eval import targets as T
    from ingest.loaders import FileLoader
    from service import document_from

    gold = {}
    for line in (ROOT / "eval" / "testsets" / "targets_gold.jsonl").read_text(encoding="utf-8").splitlines():
        o = json.loads(line)
        if o["split"] == "dev":
            gold.setdefault(o["file"], set()).add(T.key(o["year"], o["value"], o["unit"]))
    loader = FileLoader(max_file_mb=50, timeout_s=120, workers=1)
    found = {}
    for f in gold:
        doc = document_from(loader.load(ROOT.parent / "shared" / "corpus-dc" / f))
        found[f] = {T.key(t.year, t.value, t.unit) for u in doc.units() for t in u.targets}
    s = T.score(gold, found)
    assert s["precision"] >= 0.85 and s["recall"] >= 0.85  # measured 0.90 / 0.89 on the dev gold


def test_starting_value_is_not_a_target_and_a_deadline_is_not_a_bureau():
    from knowledge.bureaus import parse_clause

    got = targets_in("非化石能源消费比重由2020年的11.2%提高到20%。", 2025, base_year=2021)
    assert [(t.value, t.indicator) for t in got] == [("20", "非化石能源消费比重")]
    assert [b.name for b in parse_clause("责任单位：市发改委、市工信局；完成时限：2022年底").bureaus] == ["市发改委", "市工信局"]
