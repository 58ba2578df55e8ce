"""Support on documents the rules were not written on (round of support19; the blind dev gold of 139 367 233 175 322
scored 0 of 3 untuned): a call whose benefit is a pilot or a title, dated by the application's papers handed in
(139 四川近零碳排放园区试点 请各市（州）于2022年5月13日前报送《…申请表》; 229 河南能碳管理示范企业 指导企业填写申报表…于2022年
2月16日前报送我厅), the grants of a call's own text (139 附件2 同时给予一定形式的奖励), a grant whose thing granted is long
(322 嘉兴 第十四条（二）优先安排环保科技项目立项和环保专项补助资金), and a procurement that is no call for support (285 武汉
遴选…报告编制单位, …（报价独立封装盖章）). Whole PDFs read in place from ../shared/corpus-dc/."""
from __future__ import annotations

from knowledge.support import document_facts, link_support
from knowledge.support_clauses import CALL_PAPERS_RE
from knowledge.support_items import states_figure

from .test_support import _doc


def test_a_pilot_call_is_an_item_dated_by_its_application_form():
    doc = _doc("139")
    calls = [it for it in doc.support_items if it.window]
    grants = [it for it in doc.support_items if not it.window]
    assert [(c.window["end_iso"], "申请表" in c.quote) for c in calls] == [("2022-05-13", True)]
    # the later 初审意见于2022年6月15日前报送 is a step of the authorities, not the call's deadline
    assert all("初审意见" not in c.quote for c in calls)
    assert len(grants) == 1 and "一定形式的奖励" in grants[0].quote and grants[0].kind == "奖励"
    assert not any(states_figure(it) for it in doc.support_items)
    for it in doc.support_items:  # every quote an exact substring of its unit
        assert any(it.quote in u.text for u in doc.units() if u.seq == it.seq)


def test_a_call_for_a_title_is_an_item_beside_the_monthly_report():
    doc = _doc("229")
    (it,) = doc.support_items
    assert it.window["end_iso"] == "2022-02-16" and "申报表" in it.quote and "每月5日" not in it.quote


def test_a_grant_named_at_length_in_an_article():
    doc = _doc("322")
    (it,) = doc.support_items
    assert it.label.startswith("第十四条") and "专项补助资金" in it.quote and it.kind == "补贴" and it.window is None
    # the other incentives of the article (给予适当加分, 予以优先安排) name no kind of support
    assert not states_figure(it)


def test_a_procurement_is_no_call():
    doc = _doc("285")
    assert any(CALL_PAPERS_RE.search(s) and "报价" in s for u in doc.units() for s in [u.text])
    assert doc.support_items == []


def test_papers_handed_in_make_a_deadline_the_calls():
    class U:
        def __init__(self, seq, text):
            self.seq, self.text, self.path, self.title = seq, text, [], ""

    units = [U(0, "关于开展绿色工厂示范申报工作的通知"),
             U(1, "一、请各地于2023年3月1日前报送月度能耗统计报表。"),
             U(2, "二、请各地于2023年4月10日前报送《绿色工厂示范申报书》。")]
    (it,) = link_support(units, title="关于开展绿色工厂示范申报工作的通知")
    assert it.window["end_iso"] == "2023-04-10"
    # without a benefit in the title or a fund in the text, the same call is no item
    assert link_support(units[1:], title="关于报送有关材料的通知") == []


def test_the_study_names_the_rule_of_each_item():
    from eval.support_lodo import item_rule, shape, window_rule

    rules = sorted(item_rule(it.to_json()) for it in _doc("139").support_items)
    assert rules == ["call deadline: document, application papers handed in", "grant without sum: 奖励"]
    (call,) = [it for it in _doc("139").support_items if it.shape == "call"]
    assert window_rule(call.window) == "document, application papers handed in"
    assert shape(rules[0]) == "call deadline" and item_rule(_doc("322").support_items[0].to_json()) == "grant without sum: 补助"


def test_leave_one_document_out_scores_each_figure_by_its_items_rule(tmp_path):
    """support21: the LODO estimate for amounts, rates and caps, not only items — a figure right on a matched item
    counts as kept when its item's rule fires on another gold document too."""
    import json

    from eval.support_gold import GOLD, gold_figures, load_gold
    from eval.support_lodo import study

    rows = [d for d in load_gold(GOLD) if d["id"] in ("117", "343")]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in rows), encoding="utf-8")
    r = study(gold)
    for name, prefix in (("amount", "A:"), ("rate", "R:"), ("cap", "C:")):
        assert r["fields"][name] == sum(1 for d in rows for g in d["items"] for f in gold_figures(g)
                                        if f.startswith(prefix))
        assert r["kept"][name] <= r["fields"][name]
    # 117 and 343 both state sums granted as 补助 and 奖励: their figures survive leaving either document out
    assert r["kept"]["rate"] > 0 and r["kept"]["cap"] > 0
    assert all(what in ("item", "window") for what, _ in r["docs_of"])  # rules are items' and windows'


def test_a_call_to_recommend_for_a_list_is_an_item():
    """support22: a call to recommend candidates onto a published list (推荐 / 名单 in its title) confers the listing, as
    a pilot call confers the pilot: 209 安徽 组织推荐…先进适用技术 (dev gold: one call, 于2022年3月27日前报送), 551 工信部 绿色制造
    名单推荐 (纸质版…寄送, 电子版…平台报送: not a paper-only window)."""
    (it,) = _doc("209").support_items
    assert it.shape == "call" and it.window["end_iso"] == "2022-03-27" and "申报表" in it.quote
    assert it.office.text == "安徽省发展改革委"  # where the papers go: 于…前报送安徽省发展改革委
    (it,) = _doc("551").support_items
    assert it.shape == "call" and it.window["end_iso"] == "2021-07-30" and "申报材料" in it.quote
    assert it.office.text == "工业和信息化部"  # 寄送至工业和信息化部（节能与综合利用司）
    # 229's papers go to 我厅, the issuer, named by no organ's name: no office read from it
    assert _doc("229").support_items[0].office is None


def test_calls_that_list_no_applicant_stay_without_items():
    """征集 of experts (281 苏州, its 专家库入库申请表 dated) or of technology needs (274 徐州, no support in the dev gold):
    the applicant is asked for something, not listed for a benefit; no item though 281 states a dated deadline."""
    assert any(c["end_iso"] == "2021-11-10" for c in document_facts(_doc("281").units())["calls"])
    assert _doc("281").support_items == [] and _doc("274").support_items == []


def test_the_office_is_not_read_from_a_word_ending_in_xiang():
    """support22: 向 inside 定向 / 意向 is no 向<office>提出: 283's 创新战略定向项目名称、推荐（申报）单位 gave the office 项目名称、
    推荐（; the party's 方 before 向 still names the office (175 …业主方向市生态环境局申请)."""
    from knowledge.support_clauses import office_in

    assert office_in("本次创新战略定向项目名称、推荐（申报）单位及申请资助经费限额详见下表：") is None
    assert office_in("请有意向申报的单位认真填写申报表") is None
    assert office_in("项目业主方向市生态环境局提出申请") == "市生态环境局"
    assert all(it.office is None for it in _doc("283").support_items)
