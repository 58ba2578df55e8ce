"""Shapes found by sweeping the support-like corpus-dc documents outside the gold, test and held-out lists
(round of support12): a share granted as such (121 杭州: 给予30%的补助; 研发经费投入额的20%), and a duty to report by
a date that is no application window (25 电力可靠性管理办法). Whole PDFs read in place from ../shared/corpus-dc/."""
from __future__ import annotations

from knowledge.support import link_support
from knowledge.support_fields import rates_in

from .test_support import _doc


def test_share_of_an_input_and_a_share_granted_as_such():
    # 121 二、（一）: 按不超过…核定研发经费投入额的20%给予后补助 — 投入额 is a base as 投资额 is.
    (r,) = rates_in("市科技专项资金按不超过该项目实际研发投入、并经验收意见核定研发经费投入额的20%给予后补助，单项最高不超过500万元。")
    assert (r.value, r.base.endswith("投入额")) == (20.0, True)
    # 121 二、（三）: 对平台建设期内的设备投入，给予30%的补助 — the share granted, its base the clause before.
    (r,) = rates_in("对平台建设期内的设备投入，给予30%的补助，最高不超过500万元。")
    assert (r.value, r.base) == (30.0, "平台建设期内的设备投入")
    # not a share paid: a growth rate before a grant, a share granted of a loan's interest without 的补助
    assert rates_in("产值增长25%以上的给予奖励") == []


def test_121_items_carry_their_shares_and_ceilings():
    doc = _doc("121")
    figures = sorted((it.rate["value"] if it.rate else None, it.cap["wan"] if it.cap else None)
                     for it in doc.support_items)
    assert figures == [(20.0, 500.0), (30.0, 500.0)]


def test_a_report_due_by_a_date_is_no_window():
    units = [type("U", (), {"text": t, "seq": i, "label": "", "path": [], "section_no": None, "title": ""})()
             for i, t in enumerate([
                 "第五条对取得显著成绩的单位给予10万元奖励。",
                 "第六条电力企业应当于每年2月15日前将上一年度分析报告报送能源管理部门。"])]
    (item,) = link_support(units)
    assert item.window is None
    # … while a call's deadline for its applications stays one
    units[1].text = "第六条请于2022年2月15日前将申报材料报送能源管理部门。"
    (item,) = link_support(units)
    assert item.window["end_iso"] == "2022-02-15"


def test_25_commendation_has_no_reporting_deadline_as_window():
    # 25 第六十条 给予表彰奖励; 第五十条's 每年2月15日前…报告报送 is a duty to report, not a time to apply.
    doc = _doc("25")
    assert doc.support_items and all(it.window is None for it in doc.support_items)
