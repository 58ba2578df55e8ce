"""Figures that name or list something, and marks that cut or date a target: an energy-saving standard named by
its rate (469, 511, 338), the categories of a plan's own list of works (473), an item number run into a year and a
footnote mark that cuts a table row (430). Sentences are quoted from the corpus-dc documents the numbers name."""
from __future__ import annotations

import pytest

from knowledge.targets import due_year, targets_in
from tests.conftest import corpus_dc_file, parsed_document


def _found(sentence, year=None, base_year=2021, default=2025):
    return [(t.year, t.value, t.unit) for t in targets_in(sentence, year, base_year, default)]


@pytest.mark.parametrize("sentence,expected", [
    # 469: the design standards named by their saving rate; the share to reach in the same sentence stays
    ("推进绿色生态城区建设，加大新建公共建筑节能65%标准和居住建筑节能75%标准的执行监督力度，新建建筑中绿色建筑占比达到70%。",
     [(2025, "70", "%")]),
    # 511, 338: the rate before 节能标准 / 节能…设计标准
    ("提升新建建筑节能水平，城镇居住建筑执行75%节能标准。", []),
    ("严格执行居住建筑节能 75%设计标准，建设超低能耗建筑100万平方米。", [(2025, "100", "万平方米")]),
    # a rate of saving to reach is no standard's name
    ("推动既有建筑节能改造，改造后节能率提高15%以上。", [(2025, "15", "%")]),
    # 473: one category of the plan's own list of works, its count after its name and the works after 包括
    ("绿色发展建设工程8个，包括霞浦县退城入园项目、古田县塑料再生综合利用项目。", []),
    ("美丽河湖提升工程 34 个，包括污水处理厂配套设施建设项目（屏南、寿宁）、水生态修复工程。", []),
    # a clause that builds the works it lists stays a goal
    ("新建污水处理项目5个，包括城东污水处理厂、城西污水处理厂等。", [(2025, "5", "个")]),
    ("建设绿色工厂示范项目10个。", [(2025, "10", "个")]),
    ("打造近零碳示范项目6个，包括园区、社区和学校。", [(2025, "6", "个")]),
])
def test_names_and_lists_are_not_targets(sentence, expected):
    assert _found(sentence) == expected


def test_an_item_number_run_into_a_year_leaves_the_year_due():
    # 430: 2.2022年 is item 2, due in 2022 (the number was read as part of a decimal and the year lost)
    s = "2.2022年，开展全区67个自治区级以下化工园区地下水环境状况调查评估工作。"
    assert _found(s) == [(2022, "67", "个")]
    assert due_year("（三）加强保护\n2.2022年，开展调查评估。", None, 2021) == 2022
    # only an item number that opens a line is cut off: a figure before a year inside a sentence stays as it was
    assert _found("到2025年，煤炭消费比重下降到52.2%，2030年达到峰值。") == [(2025, "52.2", "%")]


@pytest.fixture(scope="module")
def doc430():
    return parsed_document(corpus_dc_file("430"))


def _targets_of(doc, path_part):
    return [(t.year, t.value, t.unit, t.comparator) for u in doc.units() if path_part in " ".join(u.path + [u.title])
            for t in u.targets]


def test_a_footnote_mark_does_not_cut_a_table_row(doc430):
    """430's 表2 puts ①–④ after four indicator names; the outline opens a unit at each mark, so a row's name ends
    one unit and its cells open the next. The row is read whole: its target column, not its 2020 column."""
    goals = _targets_of(doc430, "主要目标")
    assert (2025, "28.9", "%", "不高于") in goals  # 地下水国控区域点位V类水比例② — ≤28.9%
    assert (2025, "32", "%", "") in goals and not any(v == "15" for _, v, _, _ in goals)  # 治理率③ 15%(2020) 32%
    assert (2025, "100", "%", "") in goals  # 农村黑臭水体整治率④ — 100%
    rows = {t.indicator: t.value for u in doc430.units() for t in u.targets if "率" in t.indicator and t.value == "32"}
    assert any(name.endswith("农村生活污水治理率") for name in rows)


def test_the_year_of_one_numbered_item_does_not_date_the_next(doc430):
    items = [(t.year, t.value, t.unit) for u in doc430.units() for t in u.targets if "化工园区" in t.text]
    assert (2022, "67", "个") in items  # 2.2022年，开展全区67个…化工园区…调查评估
    assert (2025, "10", "家") in items and (2022, "10", "家") not in items  # 3.…选取10家左右企业开展防渗改造试点
