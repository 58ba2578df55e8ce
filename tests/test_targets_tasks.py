"""Targets that state a goal value for a year (docs/targets-convention.md): a year's task quotas handed down by a
notice, in its text and in the total row of its allocation table; the parts of a target (其中…); per-year quotas and
cumulative goals of a plan's period, due at the period's end. Real PDFs from ../shared/corpus-dc."""
from __future__ import annotations

import json

from knowledge.plan_period import base_year_of, plan_end_of
from knowledge.tables import allocation_table_targets
from knowledge.targets import targets_in
from tests.conftest import ROOT, corpus_dc_file, parsed_document


def _keys(doc):
    return {(t.year, float(t.value), t.unit) for u in doc.units() for t in u.targets}


def test_a_notice_handing_down_a_years_tasks_gives_them_as_targets_of_that_year():
    """147 河北 关于下达2022年营造林任务的通知 (b16's blind gold: 600 万亩 in all, 造林 300 and 营林 300, and the
    province's row of the allocation table: 人工造林 105, 飞播造林 30, 封山育林 110, 退化林修复 55)."""
    doc = parsed_document(corpus_dc_file("147"))
    # dated by its 版记's print line (河北省人民政府办公厅 2022年2月22日印发: ans35, EXTRACTION_VERSION 13): written in
    # the year whose tasks it hands down, which are still its targets
    assert doc.meta.get("issued") == "2022年2月22日"
    assert plan_end_of(doc.title) == 2022 and base_year_of(doc) == 2022
    found = _keys(doc)
    assert {(2022, v, "万亩") for v in (600.0, 300.0, 105.0, 30.0, 110.0, 55.0)} <= found
    # the cities' rows are their shares of the province's goals, not more targets of the notice
    assert not {v for y, v, u in found} & {71.5, 139.2, 106.0, 33.5}
    assert {t.year for u in doc.units() for t in u.targets} == {2022}
    breakdown = [t for u in doc.units() for t in u.targets if t.text.startswith("其中")]
    assert [(t.indicator, t.value) for t in breakdown] == [("造林", "300"), ("营林", "300")]


def test_only_task_notices_date_their_goals_by_the_year_they_hand_down():
    assert plan_end_of("关于下达2022年营造林任务的通知") == 2022
    assert plan_end_of("关于下达2023年度大气污染防治目标任务的通知") == 2023
    assert plan_end_of("某市2022年节能目标任务分解方案") == 2022
    # allocation schemes of trading quotas hand down no tasks (their quotas are rules of the scheme)
    assert plan_end_of("福建省2020年度用能权指标分配方案") is None
    assert plan_end_of("关于天津市2021年度碳排放配额安排的通知") is None
    assert plan_end_of("关于开展2021年度绿色制造名单推荐工作的通知") is None


def test_an_allocation_table_is_read_by_its_total_row_only_and_not_after_its_year():
    text = ("2023年全市植树造林任务分解表\n单位：万亩\n单位 合计 人工造林 封山育林\n全市 12.5 8 4.5\n甲区 3 2 1\n乙县 9.5 6 3.5")
    ts = allocation_table_targets(text, base_year=2022)
    assert [(t.year, t.value, t.unit) for t in ts] == [(2023, "12.5", "万亩"), (2023, "8", "万亩"), (2023, "4.5", "万亩")]
    assert allocation_table_targets(text, base_year=2024) == []  # a past year's allocation reports
    assert allocation_table_targets("2023年全市植树造林任务分解表\n甲区 3 2 1", base_year=2022) == []  # no unit line


def test_per_year_quotas_and_cumulative_goals_are_due_at_the_end_of_the_period():
    """151 湖北林业 (每年建成15个森林城镇, in its blind gold) and 171's 累计 goals: the convention's (b) and (c)."""
    ts = targets_in("“十四五”期间，全省每年建成15个森林城镇、100个森林乡村。", base_year=2021, default=2025)
    assert [(t.year, t.value, t.unit) for t in ts] == [(2025, "15", "个"), (2025, "100", "个")]
    ts = targets_in("“十四五”期间，累计完成既有公共建筑节能改造2.5亿平方米以上。", base_year=2021, default=2025)
    assert [(t.year, t.value, t.unit) for t in ts] == [(2025, "2.5", "亿平方米")]


def test_convention_rows_are_marked_and_scored_only_when_asked():
    """Rows added under the convention keep the blind rows untouched: each carries a `convention` field, none is a
    test row, and each states a yearly quota in its quote."""
    rows = [json.loads(line) for line in (ROOT / "eval" / "testsets" / "targets_gold.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    added = [r for r in rows if r.get("convention")]
    assert len(added) == 6 and all(r["split"] == "dev" for r in added)
    assert all(("每年" in r["quote"] or "逐年" in r["quote"] or "年新增" in r["quote"] or "年种植" in r["quote"])
               for r in added)
    blind = {(r["file"], r["year"], r["value"], r["unit"]) for r in rows if not r.get("convention")}
    assert not blind & {(r["file"], r["year"], r["value"], r["unit"]) for r in added}
