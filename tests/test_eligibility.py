"""An enterprise profile against support conditions: met / not met / unknown, windows, fit, sorting."""
from __future__ import annotations

from datetime import date

from knowledge.eligibility import MET, NOT_MET, UNKNOWN, Profile, assess, match, place_tokens, ranked, window_status


def test_qualification_conditions():
    p = Profile(qualifications=("高新技术企业",))
    assert assess("申报单位须为高新技术企业", p).status == MET
    assert assess("申报单位须为国家级绿色工厂", p).status == NOT_MET
    assert assess("申报单位须为国家级绿色工厂", Profile()).status == UNKNOWN  # nothing declared: cannot tell


def test_place_conditions_read_the_issuing_place():
    p = Profile(place="芜湖市繁昌区")
    assert place_tokens("芜湖市繁昌区") == {"芜湖", "繁昌"}
    assert assess("辖区内企业使用区内绿电的", p, "繁昌区").status == MET
    assert assess("在本市行政区域内依法登记注册的企业", Profile(place="广州市"), "深圳市").status == NOT_MET
    assert assess("依法经营的企业", p, "繁昌区").status == UNKNOWN


def test_size_conditions():
    assert assess("面向中小企业", Profile(size="小型")).status == MET
    assert assess("面向中小企业", Profile(size="大型")).status == NOT_MET


def _item(quote: str, cap_wan: int, end_iso: str) -> dict:
    """A support item's JSON (SPEC shape) with a cap in 万元 and a window end, no conditions or applicants."""
    return {"quote": quote, "cap": {"text": f"{cap_wan}万元", "wan": float(cap_wan)}, "conditions": [], "applicants": [],
            "window": {"end_iso": end_iso}}


def test_window_and_ranking():
    today = date(2026, 11, 30)
    assert window_status({"end_iso": "2022-07-24"}, today) == "expired"
    assert window_status({"start_iso": "2026-11-01", "end_iso": "2026-12-31"}, today) == "open"
    assert window_status(None, today) == "unknown"
    big = _item("对利用自有厂房建设分布式光伏发电的，给予补贴", 200, "2027-01-01")
    small = _item("对能源管控中心项目给予补助", 30, "2022-01-01")
    p = Profile(project="屋顶分布式光伏", today=today)
    ms = [match(small, p), match(big, p)]
    assert ranked(ms)[0].item is big  # fits the planned project
    assert [m.amount_wan for m in ranked(ms, "amount")] == [200.0, 30.0]
    assert ranked(ms, "deadline")[0].item is big  # open before expired


def test_closed_windows_come_after_the_open_ones_in_every_order():
    today = date(2026, 11, 30)
    closed = _item("对分布式光伏发电给予补贴", 1000, "2022-07-24")
    open_ = _item("对能源管控中心项目给予补助", 30, "2027-01-01")
    p = Profile(project="屋顶分布式光伏", today=today)
    ms = [match(closed, p), match(open_, p)]
    assert ms[0].relevance > ms[1].relevance and ms[0].window == "expired"
    for by in ("relevance", "amount", "deadline"):
        assert ranked(ms, by)[0].item is open_, by  # larger and a better fit, but closed: listed after
    assert len(ranked(ms, "amount")) == 2  # still listed


def test_place_of_the_notice_beside_a_named_district_and_qualifications_as_spelled():
    from knowledge.actors import document_jurisdiction

    # 309's title and notice name no place; its file name does (the collection number before it left out).
    assert document_jurisdiction("2023年绿色低碳产业扶持计划申请指南", {"notice_title": "市工业和信息化局关于发布…的通知"},
                                 "309、深圳市关于发布2023年绿色低碳产业扶持计划申请指南的通知.pdf") == "深圳市"
    assert document_jurisdiction("推动工业节能降碳和资源综合利用若干措施", {"issuer": "福建省工业和信息化厅"}) == "福建省"
    cond = "申报主体为本市行政区域内（含深汕合作区）依法登记注册的企业"
    assert assess(cond, Profile(place="深圳市宝安区"), "深圳市").status == MET  # 本市 beside 含深汕合作区
    assert assess(cond, Profile(place="东莞市"), "深圳市").status == NOT_MET
    assert assess("申报项目所在地位于深圳市", Profile(place="深圳市南山区"), "深圳市").status == MET
    green = "对国家级绿色工厂、绿色供应链管理企业给予奖励"
    assert assess(green, Profile(qualifications=("国家级绿色工厂",))).status == MET
    assert assess(green, Profile(qualifications=("省级绿色工厂",))).status == NOT_MET  # another grade
    # 清洁生产示范项目 is a kind of project, not a title the enterprise must hold.
    assert assess("对清洁生产示范项目", Profile(qualifications=("高新技术企业",))).status == UNKNOWN


def test_presented_items_fit_the_planned_project_or_reward_a_held_title():
    from knowledge.eligibility import FIT, presented

    pv = {"quote": "对企业利用自有厂房建设分布式光伏发电的，按照自发自用电量给予0.05元/度的补贴", "conditions": [],
          "applicants": []}
    center = {"quote": "对用能单位的能源管控中心项目，给予总投资额20%的补助", "conditions": [], "applicants": []}
    green = {"quote": "对国家级绿色工厂给予30万元奖励", "conditions": [],
             "applicants": [{"text": "国家级绿色工厂", "document_wide": False}]}
    p = Profile(project="屋顶分布式光伏", qualifications=("国家级绿色工厂",))
    assert match(pv, p).relevance >= FIT and presented(match(pv, p))
    assert not presented(match(center, p))  # another project
    assert presented(match(green, p))  # rewards a title the profile holds
    assert presented(match(center, Profile()))  # nothing asked: every item not blocked is presented
    # The unit's other items do not make an item fit: only its sentence, own conditions and heading count.
    unit = "8.支持分布式光伏试点示范，按装机容量给予最高300万元补助。对加氢站建设运营，给予最高1500万元补助。"
    h2 = {"quote": "对加氢站建设运营，给予最高1500万元补助。", "conditions": [], "applicants": []}
    assert not presented(match(h2, Profile(project="屋顶分布式光伏"), unit_text=unit))


def test_another_place_only_at_the_same_level():
    # A Jiangsu call's 我省: 苏州市 lies in it (knowledge/data/divisions.tsv); a named province of another name is
    # not met; a place the table does not know against a province stays unknown.
    assert assess("申报单位须是在我省注册的企业", Profile(place="苏州市"), "江苏省").status == MET
    assert assess("申报单位须是在我省注册的企业", Profile(place="某某市"), "江苏省").status == UNKNOWN
    assert assess("申报单位须是在我省注册的企业", Profile(place="浙江省杭州市"), "江苏省").status == NOT_MET
    # 港、澳、台地区 is no place to be registered in (地区 is no level word).
    assert assess("在中国境内（不包括港、澳、台地区）依法注册的居民企业", Profile(place="深圳市宝安区")).status == UNKNOWN
    # A preferred qualification is no requirement.
    assert assess("优先支持高新技术企业申报的项目", Profile(qualifications=("专精特新",))).status == UNKNOWN
