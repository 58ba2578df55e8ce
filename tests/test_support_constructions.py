"""Support constructions read by one general reader each (support21, from the leave-one-document-out misses): a
share granted as 按X的N%给予<kind> whatever X is called, a list of per-unit rates with the unit written once, and a
size the applicant must reach (首次突破1亿元, a band closing a 的-clause) that is no sum paid. Written examples in the
common wording of fiscal rewards, and whole dev PDFs of ../shared/corpus-dc/ for precision."""
from __future__ import annotations

from eval.support_gold import pred_figures
from knowledge.support import extract_support
from knowledge.support_fields import money_in, rates_in

from .test_support import _doc


def _figures(text: str) -> list[list[str]]:
    return [sorted(pred_figures(it.to_json())) for it in extract_support(text)]


def test_a_share_granted_by_its_base_whatever_the_base_is_called():
    assert _figures("对符合条件的企业，按其上年度缴纳增值税地方留成部分的50%给予奖励。") == [["R:50%"]]
    assert _figures("按照贷款实际发生额的2%给予贴息。") == [["R:2%"]]
    (r,) = rates_in("按照贷款实际发生额的2%给予贴息。")
    assert r.base == "贷款实际发生额"
    # the bases named as money keep their reading (117: 按照购置费的20%给予补助)
    assert _figures("按照购置费的20%给予补助，最高不超过200万元。") == [["C:200", "R:20%"]]
    # without a kind of support granted, a share of something is an allocation or a target, not a rate
    assert rates_in("先按照2019年产量、业务量等生产经营数据的80%确定2020年度直接发放的预配额并免费发放") == []
    assert rates_in("按其上年度缴纳增值税的50%予以核定") == []


def test_allocations_by_a_share_stay_out_on_real_documents():
    # 218 and 405 allocate carbon allowances 按…的50% / 80%: no support item either before or after this reader
    for prefix in ("218", "405"):
        assert _doc(prefix).support_items == []


def test_a_list_of_per_unit_rates_writes_the_unit_once():
    rates = rates_in("对评定为一星级、二星级、三星级的项目分别按每平方米10元、20元、30元给予补助。")
    assert [(r.value, r.unit) for r in rates] == [(10.0, "元/平方米"), (20.0, "元/平方米"), (30.0, "元/平方米")]
    (it,) = extract_support("对评定为一星级、二星级、三星级的项目分别按每平方米10元、20元、30元给予补助。")
    assert it.amount is None and [t["tier"] for t in it.tiers] == ["一星级", "二星级", "三星级"]
    # 91 江苏: the levy per ton of each region, one unit for three figures — no sums of a few 元
    s = "苏南、苏中、苏北地区分别按每吨（总磷按每百公斤）5000元、4250元、3750元确定基础统筹金额。"
    assert [r.value for r in rates_in(s)] == [5000.0, 4250.0, 3750.0]
    assert all(r.unit == "元/吨" for r in rates_in(s))
    # a list of sums stays sums (成都: 每座50万元、100万元, 座 being no unit of a rate)
    assert [m.wan for m in money_in("分别给予每座50万元、100万元奖励")] == [50.0, 100.0]


def test_a_size_reached_is_no_sum_paid():
    assert _figures("对年产值首次突破1亿元的企业，奖励企业经营团队20万元。") == [["A:20"]]
    assert money_in("到2025年，绿色低碳产业规模突破5000亿元。") == []  # 307: a target's size
    # a band of sizes closing a 的-clause is the condition of the clause after it
    assert [m.wan for m in money_in("投资额在5000万元至1亿元的，给予50万元补助。")] == [50.0]
    assert [m.wan for m in money_in("给予最高100万元的补助。")] == [100.0]
