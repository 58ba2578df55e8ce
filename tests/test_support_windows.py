"""Application windows written in the ways notices commonly write them besides those of the first dev documents
(issue #12: the held-out recall of windows was 0.455): weekdays and 上午/下午 times inside a range, a start marked
after its date (A开始，B截止), an end written as a day alone (3月1日至31日), dotted dates, 逾期不予受理 as a
deadline's cue, and a time counted from an event (活动开始前30个工作日提交). Written examples of the common wording
(no open corpus-dc document has most of them), and 122's PDF read in place for the relative window."""
from __future__ import annotations

import pytest

from knowledge.support import extract_support, link_support
from knowledge.support_clauses import WINDOW_CUE_RE
from knowledge.support_windows import windows_in

from .test_support import _doc


def _iso(sentence: str) -> list[tuple]:
    return [(w.start_iso, w.end_iso) for w in windows_in(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    # weekday brackets after each date of a range
    ("申报时间：2022年3月1日（星期二）至2022年3月31日（星期四）。", [("2022-03-01", "2022-03-31")]),
    # 上午/下午 before the time of day
    ("网上填报时间为2022年3月1日上午9:00至3月31日下午17:00。", [("2022-03-01", "2022-03-31")]),
    # a start marked after its date, the end in the next clause
    ("申报工作于2022年4月15日开始，5月15日截止。", [("2022-04-15", "2022-05-15")]),
    # the end of a range as a day of the start's month
    ("申报时间为2022年3月1日至31日。", [("2022-03-01", "2022-03-31")]),
    ("申报时间为2022年3月1日-31日。", [("2022-03-01", "2022-03-31")]),
    # 起，至 with a comma
    ("申报时间自2022年3月1日起，至2022年3月31日止。", [("2022-03-01", "2022-03-31")]),
    # dotted dates; a section number is no date
    ("申报日期：2022.3.1-2022.3.31", [("2022-03-01", "2022-03-31")]),
    ("按照第2.3.1条的要求填报。", []),
    # a deadline with the weekday and the hour between the date and 前
    ("请于2022年3月31日（星期四）17:00前将申报材料报送至市工信局，逾期不予受理。", [(None, "2022-03-31")]),
    # unchanged: a two-window sentence stays two windows
    ("申报时间为2022年3月1日至2022年3月31日，评审时间为2022年4月1日至30日。",
     [("2022-03-01", "2022-03-31"), ("2022-04-01", "2022-04-30")]),
])
def test_windows_as_notices_write_them(sentence, expected):
    assert _iso(sentence) == expected


def test_late_refusal_marks_a_deadline_strong():
    # 265 (dev): …截止时间为2022年2月28日（周一）前，逾期不予受理; without a 申报时间 word the cue is 逾期不予受理.
    assert WINDOW_CUE_RE.search("各地于2022年3月31日前将推荐项目报送我厅，逾期不予受理。")
    assert not WINDOW_CUE_RE.search("各地于2022年3月31日前将推荐项目报送我厅。")


def test_document_window_prefers_the_deadline_refused_when_late():
    # A notice dates a step first (联系人信息 by 2月20日), then the deadline that closes applications: the one refused
    # when late is the call's window, as a 申报时间 heading's would be.
    units = [type("U", (), {"text": t, "seq": i, "label": "", "path": [], "section_no": None, "title": ""})()
             for i, t in enumerate([
                 "一、支持内容\n对新建屋顶光伏项目给予0.1元/千瓦时补贴。",
                 "二、工作安排\n各市于2022年2月20日前报送联系人信息。",
                 "三、其他\n请于2022年3月31日前报送申报材料，逾期不予受理。"])]
    (item,) = link_support(units)
    assert item.window["end_iso"] == "2022-03-31" and item.window["document_wide"]


def test_relative_window_of_a_sub_item_reaches_its_item():
    text = ("（二）鼓励企业或机构在我区举办新能源产业峰会，按照活动实际支出经费的30%给予补贴，每个活动补贴最高100万元。\n"
            "1.申请单位在活动开始前30个工作日提交活动方案及经费预算进行留存。\n"
            "2.活动结束10个工作日内，申请单位须向区发展改革部门提供活动材料。")
    (item,) = extract_support(text)
    assert item.cap["wan"] == 100.0 and "30个工作日" in item.window["end"]
    assert item.window["sentence"] in text


def test_122_summit_subsidy_carries_its_time_to_apply():
    # 122 第八条（二）: the summit subsidy's window is the sub-item 1. under it (活动开始前30个工作日提交).
    doc = _doc("122")
    (summit,) = [it for it in doc.support_items if "峰会" in it.quote]
    assert summit.cap["wan"] == 100.0
    assert summit.window and "30个工作日" in summit.window["sentence"] and not summit.window["document_wide"]


def test_time_asked_as_a_requirement_is_the_window():
    from answer.support import support_intent

    assert support_intent("在开发区办新能源产业峰会，最多补贴多少？申请有什么时间要求？") == "window"
    assert support_intent("申报补贴时间上有什么限制？") == "window"
    # a time that is the applicant's attribute is a condition
    assert support_intent("新型研发机构申报重大创新载体项目，对注册时间有什么要求？") == "conditions"


def test_the_applicants_own_deadline_is_the_calls_and_an_undated_call_takes_its_titles_year():
    # 无锡 (../shared/corpus): 3月9日（周三）17：00前，项目申报单位须完成网上申报 …；3月10日（周四）前，各地主管部门统一报送…纸质
    # 材料…，逾期不予受理. The applicant's deadline is the call's, the paper the local offices forward a day later is not;
    # the page carries no issue date, so the year is the one the title's call names (申报2022年度…).
    from pathlib import Path

    from tests.conftest import CORPUS, parsed_document

    path = Path(CORPUS) / "无锡市关于组织申报2022年度省碳达峰碳中和科技创新专项资金项目的通知.pdf"
    doc = parsed_document(path)
    (call,) = doc.support_items
    assert call.window["end"].startswith("3月9日") and call.window["end_iso"] == "2022-03-09"
    assert "项目申报单位须完成网上申报" in call.quote


# ------------------------------------------------------------------- support20: forms none of the open documents has
# (written examples of common notice wording; the sweep over the open corpus-dc documents is in docs/support-rules.md)

def _units(*texts):
    return [type("U", (), {"text": t, "seq": i, "label": "", "path": [], "section_no": None, "title": ""})()
            for i, t in enumerate(texts)]


@pytest.mark.parametrize("sentence, expected", [
    ("请于2022年3月底前报送申报材料。", [(None, "2022-03-31")]),
    ("申报截止时间为2022年2月底。", [(None, "2022-02-28")]),
    ("于2022年3月中旬前提交申请书。", [(None, "2022-03-20")]),
    ("请于6月下旬前提交。", [(None, "2022-06-30")][:0]),  # no year written: with_year dates it (below)
])
def test_a_part_of_a_month_is_a_deadline_where_the_window_is_certain(sentence, expected):
    got = [(w.start_iso, w.end_iso) for w in windows_in(sentence, approximate=True)]
    assert got == expected or not expected and got and got[0][1] is None
    assert windows_in(sentence) == []  # not read unless the window is certain: plans date their tasks so


def test_a_month_part_deadline_reaches_the_items_only_under_a_window_cue():
    # under a cue (申报截止时间) the month's end is the call's deadline, the year from the notice's issue date
    items = link_support(_units("一、支持内容\n对示范项目给予补助资金50万元。", "二、申报时间\n申报截止时间为3月底。",
                                "某某省工业和信息化厅\n2022年2月10日"))
    assert [(it.window["end"], it.window["end_iso"]) for it in items] == [("3月底", "2022-03-31")]
    # a plan handing its own papers in by a month's end (262 相关方案于3月底前报送至…, 350 每年4月底前…报送) gives no window
    items = link_support(_units("一、支持内容\n对示范项目给予补助资金50万元。", "二、工作要求\n相关方案于3月底前报送至市发展改革委。"))
    assert [it.window for it in items] == [None]


def test_a_date_in_brackets_after_the_cue_and_a_restated_deadline():
    assert _iso("截至揭榜申报截止时间（2021年12月23日），已承担2项及以上项目的负责人不再支持。") == [(None, "2021-12-23")]
    # the deadline stated again before the full window is the same call: one window, the full one (277's shape)
    items = link_support(_units("二、支持对象\n截至申报截止时间（2021年12月23日），已承担2项及以上项目的不再支持。",
                                "三、申报时间\n项目申报时间为2021年11月23日9:00至2021年12月23日17:00。",
                                "四、支持内容\n对揭榜项目给予经费资助。"))
    assert [(it.window["start_iso"], it.window["end_iso"]) for it in items] == [("2021-11-23", "2021-12-23")]


def test_a_deadline_closed_by_the_next_sentence_is_the_calls():
    # 285's shape: …于2021年10月11日下班前将申报材料报送… / 逾期不予受理。 — the refusal in a sentence of its own
    items = link_support(_units("一、支持内容\n对示范项目给予补助资金50万元。",
                                "二、工作安排\n各市于2022年2月20日前报送联系人信息。\n请于2022年3月25日前将材料报送至市工信局。\n逾期不予受理。"))
    assert items[0].window["end_iso"] == "2022-03-25"


def test_a_sum_per_project_is_its_amount_not_a_rate():
    from knowledge.support_fields import money_in, rates_in

    # common wording of science-fund guides: 资助额度不超过200万元/项 (a ceiling per project), 100万元/项 (an amount)
    assert rates_in("资助额度不超过200万元/项。") == [] and [m.cap for m in money_in("资助额度不超过200万元/项。")] == [True]
    (it,) = extract_support("本方向为定额资助，资助额度为100万元/项。")
    assert it.amount["wan"] == 100 and it.rate is None
    assert rates_in("按4000元/桩给予补贴。")[0].unit == "元/桩"  # a per-unit rate stays one
    assert rates_in("按500元/个给予补贴。")[0].unit == "元/个"  # 元 per 个 is per piece, not per applicant


def test_the_online_window_is_the_calls_when_the_paper_deadline_comes_first():
    from knowledge.support_windows import paper_only

    # common: 纸质材料请于…前寄送 (paper, by post) before 网上申报系统填报时间为…; 309 states its online window first
    assert paper_only("纸质材料请于2022年4月10日前寄送至市科技局（以邮戳为准）。")
    assert not paper_only("网上及纸质材料申报受理截止时间为2022年3月4日。")  # 265: both, so the call's
    items = link_support(_units("一、支持内容\n对示范项目给予补助资金50万元。",
                                "二、申报时间\n1.书面材料受理时间：2022年4月1日至2022年4月10日。\n"
                                "2.系统填报时间：2022年3月1日至2022年3月31日。"))
    assert (items[0].window["start_iso"], items[0].window["end_iso"]) == ("2022-03-01", "2022-03-31")


def test_a_system_opened_and_closed_and_the_deadline_day():
    """support25: the start-and-end construction with an application system's verbs (开放 … 关闭) and the deadline day
    (截止日为) — written examples; no open corpus-dc document writes either, and none of their items changes."""
    assert _iso("申报系统于2022年6月1日开放，6月30日关闭。") == [("2022-06-01", "2022-06-30")]
    assert _iso("申报截止日为2022年6月30日。") == [(None, "2022-06-30")]
    assert WINDOW_CUE_RE.search("逾期不予受理，申报截止日为2022年6月30日。")
    # 截止日期 stays a date's cue, and a 截止日 without a date is no window
    assert _iso("申报截止日期：2022年6月30日。") == [(None, "2022-06-30")]
    assert _iso("建议至少提前申报截止日3个工作日提交。") == []
