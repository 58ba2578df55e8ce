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
