"""Support wordings the extractor misread (support29, issue 12; support28's written probes, docs/support.md): a list
of per-unit rates each after what it is paid for, a second case's ceiling in a clause of its own, a 分别 list of
per-unit rates with the unit written once, a matching ratio written with 以, and a range with the unit written once.
None of these wordings occurs in an open corpus-dc document or in ../shared/corpus except the 1:1 match of 117
(counted with a pattern per wording, support29), so each is a written sentence in the common wording of support
notices, read through the pure functions; 117 is read from its real PDF."""
from __future__ import annotations

from eval.support_gold import pred_figures
from knowledge.support import extract_support, link_support
from knowledge.support_fields import money_in, rates_in

from .test_support import _doc, _item_with


def _figures(text: str) -> list[list[str]]:
    return [sorted(pred_figures(it.to_json())) for it in extract_support(text)]


def test_rates_listed_with_commas_are_tiers_named_by_what_they_pay_for():
    (it,) = extract_support("奖补标准为：二氧化硫每吨1000元，氮氧化物每吨1500元。")
    assert [(t["tier"], t["rate"]) for t in it.tiers] == [("二氧化硫", "每吨1000元"), ("氮氧化物", "每吨1500元")]
    assert it.rate is None and sorted(pred_figures(it.to_json())) == ["R:1000元/吨", "R:1500元/吨"]
    assert _figures("对新建项目按每千瓦200元给予补贴，改造项目按每千瓦100元。") == [["R:100元/千瓦", "R:200元/千瓦"]]
    # one rate and a duration, or two rates of different units, are no list
    assert _figures("按每千瓦时0.1元给予补贴，连续补贴3年。") == [["R:0.1元/千瓦时"]]
    (it,) = extract_support("按每千瓦时0.1元给予补贴，储能设施每千瓦200元。")
    assert it.tiers == []


def test_a_second_case_ceiling_in_its_own_clause_is_an_item_of_its_own():
    items = extract_support("对重大项目给予最高1000万元资助，一般项目最高200万元。")
    assert [sorted(pred_figures(it.to_json())) for it in items] == [["C:1000"], ["C:200"]]
    assert [it.kind for it in items] == ["资助", "资助"]
    assert items[1].quote == "一般项目最高200万元。"  # a part of the sentence, as the other cuts give
    # a ceiling per applicant or in total caps the grant before it: one item
    assert _figures("对企业给予最高1000万元资助，单个企业最高200万元。") == [["C:1000"]]
    assert _figures("对企业按投资额的20%给予补助，单个项目最高500万元。") == [["C:500", "R:20%"]]
    assert _figures("对示范项目给予最高500万元补助，其中设备购置最高200万元。") == [["C:500"]]


def test_a_tier_list_of_per_unit_rates_keeps_the_unit_for_every_tier():
    (it,) = extract_support("对年减排量达到1万吨、5万吨的企业，分别给予每吨2000元、3000元的奖励。")
    assert [t["rate"] for t in it.tiers] == ["每吨2000元", "3000元/吨"]
    assert sorted(pred_figures(it.to_json())) == ["R:2000元/吨", "R:3000元/吨"]
    (it,) = extract_support("对一星级、二星级、三星级的项目分别按每平方米10元、20元、30元给予补助。")
    assert [t["rate"] for t in it.tiers] == ["每平方米10元", "20元/平方米", "30元/平方米"]


def test_a_matching_ratio_with_yi_is_a_rate_of_the_grant_matched():
    (it,) = extract_support("对获得国家专项资金支持的项目，区财政以1:1比例配套。")
    assert (it.kind, it.rate["text"], it.rate["unit"], it.rate["base"]) == ("补贴", "1:1", "比例", "国家专项资金")
    # the applicant's own match is a duty of the application, not a support
    assert extract_support("申报单位须按1:1比例配套自筹资金。") == []
    assert extract_support("项目单位自筹资金与财政资金按照1:1比例配套。") == []
    assert [r.unit for r in rates_in("实行产能1:1.25减量置换")] == []  # a replacement ratio is no grant


def test_117_matching_ratio_is_of_the_grant_from_above():
    doc = _doc("117")
    match = _item_with(link_support(doc.units(), doc.sections), "1:1的比例")
    assert (match.rate["text"], match.rate["unit"], match.rate["base"]) == ("1:1", "比例", "上级财政补贴")


def test_a_range_keeps_both_ends():
    (m,) = money_in("对符合条件的项目给予200-500万元/项的资助。")
    assert (m.text, m.low, m.wan, m.cap) == ("200-500万元", 200.0, 500.0, True)
    (it,) = extract_support("对符合条件的项目给予200-500万元/项的资助。")
    assert (it.amount, it.cap["text"], it.cap["low_wan"], it.cap["wan"]) == (None, "200-500万元", 200.0, 500.0)
    (it,) = extract_support("一次性给予5万元至20万元奖励。")
    assert (it.cap["text"], it.cap["low_wan"], it.cap["wan"]) == ("5万元至20万元", 5.0, 20.0)
    # a single sum has no lower end; a span of years is no range of money
    (it,) = extract_support("给予最高50万元奖励。")
    assert "low_wan" not in it.cap
    assert [m.text for m in money_in("2021-2025年安排资金3亿元")] == ["3亿元"]
    # a range closing a 的-clause is the applicant's band, not a sum paid (main read it as the amount or a ceiling)
    assert _figures("对投资额1000-5000万元的项目，给予50万元奖励。") == [["A:50"]]
    assert _figures("对投资额1000万元至5000万元的项目，给予50万元奖励。") == [["A:50"]]
    assert _figures("一次性给予5万元至20万元的奖励。") == [["C:20"]]
