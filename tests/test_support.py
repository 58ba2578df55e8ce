"""Support items (issue #12) on real support documents of ../shared/corpus-dc/, read in place; expected figures
were checked against the PDFs' text by hand. Real SQLite in tmp dirs, the real CLI; no mocks."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.support import extract_support, link_support
from knowledge.support_fields import money_in, rates_in
from knowledge.support_windows import windows_in

from .conftest import CORPUS, CORPUS_DC, dev_only, parsed_document



def _pdf(prefix: str) -> Path:
    found = sorted(CORPUS_DC.glob(f"{prefix}、*.pdf")) or sorted(CORPUS.glob(f"{prefix}*.pdf"))
    if not found:
        pytest.fail(f"{prefix}、… not found in {CORPUS_DC}")
    return dev_only(found[0])


_DOCS: dict = {}


def _doc(prefix: str):
    if prefix not in _DOCS:

        _DOCS[prefix] = parsed_document(_pdf(prefix))
    return _DOCS[prefix]


def _unit_with(prefix: str, phrase: str):
    units = [u for u in _doc(prefix).units() if phrase in u.text]
    assert units, f"no unit of {prefix} contains {phrase!r}"
    return units[0]


def _item_with(items, phrase: str):
    found = [it for it in items if phrase in it.quote]
    assert found, f"no item quotes {phrase!r}: {[it.quote for it in items]}"
    return found[0]


def _all_fields(it) -> list:
    fields = [it.amount, it.rate, it.cap, it.window] + it.tiers
    fields += [f.__dict__ for f in it.applicants + it.conditions + it.exclusions + ([it.office] if it.office else [])]
    return [f for f in fields if f]


# ------------------------------------------------------------------------------------------ pure helpers

def test_money_is_normalised_to_wan_and_lists_share_their_unit():
    ms = money_in("分别给予30万、20万、10万元活动经费补贴，最高不超过1.5亿元，另补贴5000元")
    assert [(m.text, m.wan, m.cap) for m in ms] == [
        ("30万", 30.0, False), ("20万", 20.0, False), ("10万元", 10.0, False), ("1.5亿元", 15000.0, True),
        ("5000元", 0.5, False)]
    assert money_in("上年度年用水量在一万立方米以下的") == []


def test_rates_name_their_base_or_unit():
    [r] = rates_in("按照购置费的20%给予补助")
    assert (r.text, r.value, r.unit, r.base) == ("20%", 20.0, "%", "购置费")
    [r] = rates_in("按节能量给予500元/吨标准煤补贴")
    assert (r.value, r.unit) == (500.0, "元/吨标准煤")
    assert rates_in("2025年度较2020年度产值增长25%以上") == []  # a growth figure, not a share paid out


def test_thresholds_and_budget_totals_are_not_items():
    # 121 杭州: a threshold, not a sum paid; 38 白皮书 / 338 山东: totals spent, not what an applicant gets.
    assert money_in("单个项目要求市配套（或分担）补助资金超过500万元、或情况特殊的项目") == []
    assert [m.text for m in money_in("对总投资500万元以上的项目，给予20万元奖励")] == ["20万元"]
    assert extract_support("截至2019年，共支付补贴约14.17亿元，累计削减6.53万吨HFC-23。") == []
    assert extract_support("“十三五”期间列支省级财政预算16.3亿元。") == []
    [it] = extract_support("对总投资500万元以上的项目，给予20万元奖励，最高不超过50万元。")
    assert (it.amount["wan"], it.cap["wan"]) == (20.0, 50.0)


def test_a_cap_alone_is_an_item_in_document_order():
    # 343-style wording: a ceiling with nothing under it is the item; items keep the order of the text.
    items = extract_support("（一）对国家级绿色工厂最高给予30万元一次性奖励。（二）对改造项目按投资额的10%给予补助。")
    assert [(it.label, it.cap and it.cap["text"], it.rate and it.rate["text"]) for it in items] == [
        ("（一）", "30万元", None), ("（二）", None, "10%")]


def test_link_support_on_plain_units_links_window_and_office():
    # link_support needs only `.text`: labels come from the numbering inside the units.
    from types import SimpleNamespace as U

    units = [U(text="一、支持标准\n（一）对企业购置节能设备的，按购置费的20%给予补助，最高不超过100万元。"),
             U(text="二、申报时间\n申报截止时间为2023年6月30日。"), U(text="三、受理机关：市工信局。")]
    [it] = link_support(units)
    assert (it.label, it.rate["text"], it.cap["wan"]) == ("一、（一）", "20%", 100.0)
    assert (it.window["end_iso"], it.window["document_wide"]) == ("2023-06-30", True)
    assert (it.office.text, it.office.document_wide) == ("市工信局", True)


def test_award_tiers_written_as_pairs_or_with_fen_bie():
    # General award wording (not from a document of the corpus): tiers by title, with or without 分别.
    [it] = extract_support("对获评绿色工厂的企业给予奖励，奖励标准为：国家级100万元、省级50万元、市级20万元。")
    assert [(t["tier"], t["wan"]) for t in it.tiers] == [("国家级", 100.0), ("省级", 50.0), ("市级", 20.0)]
    [it] = extract_support("对获得国家级、省级绿色工厂的企业，分别给予100万元、50万元奖励。")
    assert [(t["tier"], t["amount"]) for t in it.tiers] == [("国家级", "100万元"), ("省级", "50万元")]
    # A sum per applicant (万元/家) is what each gets: the amount, not a rate.
    [it] = extract_support("对首次认定为国家级绿色工厂的，给予50万元/家的一次性奖励。")
    assert (it.kind, it.amount["wan"], it.rate) == ("奖励", 50.0, None)


def test_tax_relief_and_interest_subsidy_rates():
    # General tax-law and interest-subsidy wording (not from a document of the corpus).
    [it] = extract_support("符合条件的企业减按15%的税率征收企业所得税。")
    assert (it.kind, it.rate["value"], it.rate["base"]) == ("减免", 15.0, "税率")
    [it] = extract_support("对小型微利企业年应纳税所得额不超过100万元的部分，减按25%计入应纳税所得额。")
    assert (it.kind, it.rate["value"], it.rate["base"], it.cap) == ("减免", 25.0, "应纳税所得额", None)
    [it] = extract_support("销售自产的资源综合利用产品，实行增值税即征即退70%的政策。")
    assert (it.kind, it.rate["value"]) == ("减免", 70.0)
    [it] = extract_support("该专用设备投资额的10%可以从企业当年的应纳税额中抵免。")
    assert (it.kind, it.rate["text"], it.rate["base"]) == ("减免", "10%", "该专用设备投资额")
    [it] = extract_support("按贷款市场报价利率（LPR）的50%给予贴息，单个企业每年贴息最高100万元。")
    assert (it.kind, it.rate["text"], it.cap["wan"]) == ("贴息", "50%", 100.0)


def test_windows_ranges_deadlines_and_start_end_pairs():
    [w] = windows_in("1.网络填报受理时间：2022年7月4日至2022年7月24日18时。")
    assert (w.start_iso, w.end_iso, w.end) == ("2022-07-04", "2022-07-24", "2022年7月24日18时")
    [w] = windows_in("申报受理截止时间为2022年2月28日（周一）前，逾期不予受理")
    assert (w.start_iso, w.end_iso) == (None, "2022-02-28")
    [w] = windows_in("项目网上填报起始时间为2022年7月4日9:00，截止时间（含申报单位网上审核提交）为2022年7月21日16:30。")
    assert (w.start_iso, w.end_iso) == ("2022-07-04", "2022-07-21")
    assert windows_in("项目应为2020年1月1日后开始建设") == []
    [w] = windows_in("申报时间：即日起至2023年5月31日。")
    assert (w.start_iso, w.end_iso) == (None, "2023-05-31")


# ------------------------------------------------------------------------------- 117 繁昌区节能降碳若干支持措施

def test_117_share_of_purchase_cost_with_cap():
    u = _unit_with("117", "购置费的20%")
    [it] = extract_support(u.text)
    assert it.kind == "补贴"
    assert (it.rate["text"], it.rate["base"]) == ("20%", "购置费")
    assert (it.cap["text"], it.cap["wan"]) == ("200万元", 200.0)
    assert it.quote in u.text


def test_117_trailing_cap_applies_to_every_rate_before_it():
    u = _unit_with("117", "0.05元/度")
    items = extract_support(u.text)
    assert [(it.rate["text"], it.cap["text"]) for it in items] == [
        ("0.05元/度", "200万元"), ("0.04元/度", "200万元"), ("0.03元/度", "200万元")]
    assert all(it.cap["sentence"] == "单个项目补贴总额不超过200万元。" for it in items)


def test_117_per_ton_rate_and_total_cap():
    u = _unit_with("117", "每吨标准煤900元")
    [it] = extract_support(u.text)
    assert (it.rate["value"], it.rate["unit"]) == (900.0, "元/吨标准煤")
    assert it.amount is None  # 900元 is the rate, not a sum
    assert (it.cap["text"], it.cap["wan"]) == ("800万元", 800.0)
    assert it.applicants[0].text == "主动进行关闭的高耗能高排放企业"


def test_117_document_pass_links_exclusions_and_eligibility():
    doc = _doc("117")
    items = link_support(doc.units(), doc.sections)
    caps = sorted(it.cap["wan"] for it in items if it.cap)
    assert caps == [30.0, 200.0, 200.0, 200.0, 200.0, 200.0, 800.0]
    match = _item_with(items, "1:1的比例")  # 清洁生产示范项目: a ratio to the grants from above, no cap
    assert (match.rate["text"], match.rate["unit"], match.cap) == ("1:1", "比例", None)
    it = _item_with(items, "能源管控中心项目")
    assert any("以扩大产能为主的项目" in e.text and e.document_wide for e in it.exclusions)
    assert any("依法经营、纳税且无重大违法违纪记录" in c.text and c.document_wide for c in it.conditions)


# ------------------------------------------------------------------- 122 广州市黄埔区促进绿色低碳发展办法

def test_122_amounts_caps_offices():
    doc = _doc("122")
    items = link_support(doc.units(), doc.sections)
    it = _item_with(items, "绿色供应链管理企业，给予一次性补贴100万元")
    assert (it.amount["text"], it.amount["wan"], it.cap) == ("100万元", 100.0, None)
    assert it.office.text == "区工业和信息化局"
    it = _item_with(items, "每项产品给予一次性补贴10万元")
    assert (it.amount["wan"], it.cap["wan"]) == (10.0, 50.0)
    it = _item_with(items, "按10元/吨二氧化碳")
    assert (it.rate["text"], it.cap["text"]) == ("10元/吨二氧化碳", "10万元")
    it = _item_with(items, "项目实际投资总额")
    assert (it.rate["text"], it.cap["wan"]) == ("20%", 200.0)
    assert it.rate["base"].startswith("项目实际投资总额")


def test_122_place_lead_is_a_condition_a_profile_meets_or_not():
    # 第二条【适用范围】…登记注册地…在广州市黄埔区…范围内，…同时符合以下条件的企业或机构： leads (一)…(四); it ends in ：
    # but is the place condition of every item, so the 企业 page can mark it from the profile's place.
    from knowledge.eligibility import MET, NOT_MET, PLACE_CUE, Profile, assess

    doc = _doc("122")
    it = _item_with(link_support(doc.units(), doc.sections), "绿色供应链管理企业，给予一次性补贴100万元")
    lead = [c for c in it.conditions if "登记注册地" in c.text]
    assert len(lead) == 1 and lead[0].document_wide and lead[0].text.endswith("：")
    assert assess(lead[0].text, Profile(place="广州市黄埔区")).status == MET
    assert assess(lead[0].text, Profile(place="深圳市")).status == NOT_MET
    # the conditions it leads stay, and a lead that names no place is still left out
    assert any("一年内未受生态环境保护行政主管部门行政处罚" in c.text for c in it.conditions)
    assert all(PLACE_CUE.search(c.text) for c in it.conditions if c.text.endswith(("：", ":")))


def test_122_items_are_labelled_down_to_their_sub_item():
    doc = _doc("122")
    items = link_support(doc.units(), doc.sections)
    assert _item_with(items, "清洁生产优秀企业”的，给予15万元").label.endswith("（三）")
    assert _item_with(items, "换电设施项目").label.endswith("1.（2）")


def test_122_tiers_by_level_and_by_grade():
    doc = _doc("122")
    items = link_support(doc.units(), doc.sections)
    it = _item_with(items, "配套金额分别不超过500万元、300万元、100万元")
    assert [(t["tier"], t.get("rate"), t.get("cap")) for t in it.tiers] == [
        ("国家", "100%", "500万元"), ("省", "70%", "300万元"), ("市", "50%", "100万元")]
    assert "一年内提出配套申请" in it.window["end"]
    it = _item_with(items, "分别给予30万、20万、10万元")
    assert [(t["tier"], t["wan"]) for t in it.tiers] == [("优秀", 30.0), ("良好", 20.0), ("合格", 10.0)]


def test_122_heading_cap_applies_to_sub_item_rates():
    doc = _doc("122")
    items = link_support(doc.units(), doc.sections)
    for phrase, rate in (("按200元/千瓦", "200元/千瓦"), ("按60元/千瓦", "60元/千瓦"), ("按2000元/千瓦", "2000元/千瓦")):
        it = _item_with(items, phrase)
        assert (it.rate["text"], it.cap["text"]) == (rate, "100万元")


# --------------------------------------------------------- 309 深圳市2023年绿色低碳产业扶持计划申请指南

def test_309_window_office_and_applicants_are_linked_document_wide():
    doc = _doc("309")
    items = link_support(doc.units(), doc.sections)
    it = _item_with(items, "单个项目资助金额不超过1000万元")
    assert it.kind == "资助"
    assert (it.rate["text"], it.cap["wan"]) == ("30%", 1000.0)
    w = it.window
    assert (w["start"], w["end"], w["start_iso"], w["end_iso"]) == (
        "2022年7月4日", "2022年7月24日18时", "2022-07-04", "2022-07-24")
    assert w["document_wide"] and "网络填报受理时间" in w["sentence"]
    assert it.office.text == "深圳市工业和信息化局" and it.office.document_wide
    assert any("依法登记注册的企业" in a.text for a in it.applicants)
    assert any("高新技术企业" in c.text for c in it.conditions)
    assert any("不予资助" in e.text for e in it.exclusions)
    full = _item_with(items, "全额资助")
    assert (full.rate["value"], full.cap["wan"]) == (100.0, 300.0)


# ------------------------------------------------------------- 成都市优化能源结构促进城市绿色低碳发展政策措施

def test_chengdu_lists_of_bases_rates_and_unnamed_tiers():
    doc = _doc("成都")
    items = link_support(doc.units(), doc.sections)
    solar = [it for it in items if "分布式光伏试点示范" in it.quote or it.quote.startswith("按发电量")]
    assert [(it.cap["text"], it.kind) for it in solar] == [("300万元", "补贴"), ("1000万元", "补贴")]
    it = _item_with(items, "4000元/桩")
    assert [(t["tier"], t["rate"]) for t in it.tiers] == [("私家车位", "4000元/桩"), ("公共车位", "6000元/桩")]
    it = _item_with(items, "变电站分别给予每座50万元")
    assert [(t["tier"], t["wan"]) for t in it.tiers] == [("110千伏", 50.0), ("220千伏及以上变电站", 100.0)]
    it = _item_with(items, "改造成本的50%")
    assert (it.rate["text"], it.rate["base"], it.cap["wan"]) == ("50%", "改造成本", 500.0)
    assert _item_with(items, "最高500万补助").cap["wan"] == 500.0
    assert _item_with(items, "贷款贴息").kind == "贴息"
    assert _item_with(items, "贷款贴息").label in ("9．", "9.")  # the unit's own number, not repeated
    assert _item_with(items, "改造成本的50%").office.text.startswith("市经信局")


# ------------------------------------------------------------------ 583 云南省科技支撑碳达峰碳中和专项申报通知

def test_583_call_without_sums_still_gives_its_window():
    doc = _doc("583")
    [it] = link_support(doc.units(), doc.sections)
    assert (it.window["start_iso"], it.window["end_iso"]) == ("2021-08-19", "2021-08-29")
    assert it.amount is None and it.cap is None


def test_every_quote_and_field_sentence_is_in_the_document():
    for prefix in ("117", "122", "309", "583"):
        doc = _doc(prefix)
        texts = [u.text for u in doc.units()]
        for it in link_support(doc.units(), doc.sections):
            assert any(it.quote in t for t in texts)
            for f in _all_fields(it):
                assert any(f["sentence"] in t for t in texts), (prefix, f)


# ------------------------------------------------------------------------------------- store and CLI

def test_store_round_trip_filters_and_delete(tmp_path):
    from knowledge.store import KnowledgeStore

    store = KnowledgeStore(tmp_path / "kb.sqlite")
    for prefix in ("117", "309"):
        store.add_document(_doc(prefix))
    rows = store.support()
    assert len(rows) == len(_doc("117").support_items) + len(_doc("309").support_items) > 0
    assert {r.item.quote for r in rows} == {it.quote for p in ("117", "309") for it in _doc(p).support_items}
    open_rows = store.support(open_on="2022-07-10")
    assert {r.doc_id for r in open_rows if r.item.window} == {_doc("309").doc_id}
    assert all(r.doc_id != _doc("309").doc_id for r in store.support(open_on="2022-08-01"))
    assert {r.doc_id for r in store.support(qualification="高新技术企业")} == {_doc("309").doc_id}
    assert {r.doc_id for r in store.support(place="繁昌")} == {_doc("117").doc_id}
    # 光伏 is named in the unit of the three electricity rates (the 绿电 sentences inherit it from their unit).
    assert {r.item.rate["text"] for r in store.support(industry="光伏", doc_id=_doc("117").doc_id)} == {
        "0.05元/度", "0.04元/度", "0.03元/度"}
    again = store.get_document(_doc("117").doc_id)
    assert [it.to_json() for it in again.support_items] == [it.to_json() for it in _doc("117").support_items]
    assert [len(u.support) for u in again.units()] == [len(u.support) for u in _doc("117").units()]
    store.remove(_doc("117").doc_id)
    assert {r.doc_id for r in store.support()} == {_doc("309").doc_id}
    n = store._conn.execute("SELECT COUNT(*) FROM support_items WHERE doc_id = ?", (_doc("117").doc_id,)).fetchone()[0]
    assert n == 0
    store.close()


def test_cli_support_json_shape_and_csv(capsys, tmp_path):
    import app

    assert app.run(["ingest", str(_pdf("117"))]) == 0
    capsys.readouterr()
    assert app.run(["support", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 8
    keys = {"doc_id", "doc_title", "label", "kind", "amount", "rate", "cap", "tiers", "applicants", "conditions",
            "exclusions", "window", "office", "quote"}
    assert all(set(r) == keys for r in rows)
    assert all({"start", "end"} <= set(r["window"]) for r in rows)
    r = next(r for r in rows if "购置费的20%" in r["quote"])
    assert (r["kind"], r["cap"]["text"], r["cap"]["wan"], r["rate"]["text"]) == ("补贴", "200万元", 200.0, "20%")
    assert r["label"]  # the unit's label, or one built from its section and number
    assert app.run(["support", "--industry", "光伏", "--json"]) == 0
    assert {r["rate"]["text"] for r in json.loads(capsys.readouterr().out)} >= {"0.05元/度"}
    out = tmp_path / "support.csv"
    assert app.run(["support", "--csv", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").count("\n") == 9
    assert app.run(["support", "--open-on", "7/1/2022"]) == 2


def test_inspect_json_lists_support_items(capsys):
    import app

    assert app.run(["inspect", str(_pdf("117")), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    items = [it for u in out["units"] for it in u["support"]]
    assert len(items) == 8
    assert {it["cap"]["text"] for it in items if it["cap"]} == {"800万元", "200万元", "30万元"}
    assert all(it["label"] == u["label"] for u in out["units"] for it in u["support"] if u["label"])


def test_cli_support_marks_closed_windows_and_sorts(capsys):
    # 117 states no window; 309's 2023 guide closed on 2022-07-24: marked 已截止 and listed after the open ones.
    import app

    assert app.run(["ingest", str(_pdf("117")), str(_pdf("309"))]) == 0
    capsys.readouterr()
    assert app.run(["support", "--sort", "amount"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()[:-1]
    closed = [i for i, ln in enumerate(lines) if "（已截止）" in ln]
    assert closed and all("2022-07-24" in lines[i] for i in closed)
    assert closed == list(range(len(lines) - len(closed), len(lines)))  # the closed ones last
    assert "800万元" in lines[0]  # the largest sum among the open ones first
    assert app.run(["support", "--sort", "deadline", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ends = [r["window"]["end_iso"] for r in rows]
    assert ends[-1] == "2022-07-24" and ends[0] is None  # unknown windows before closed ones
    with pytest.raises(SystemExit):  # argparse refuses an unknown order
        app.run(["support", "--sort", "size"])


def test_store_place_filter_reads_a_province_wide_call_as_open_to_its_cities(tmp_path):
    """`support --place 苏州` lists a 江苏省 document's items (苏州 lies in 江苏, knowledge/divisions.py), not a
    district's of another province; a place the division table does not know matches only as text."""
    from knowledge.store import KnowledgeStore

    store = KnowledgeStore(tmp_path / "kb.sqlite")
    for prefix in ("117", "91"):
        store.add_document(_doc(prefix))
    jiangsu, fanchang = _doc("91").doc_id, _doc("117").doc_id
    assert _doc("91").support_items and "江苏" in _doc("91").source  # its title is 省政府关于…: the file name says 江苏
    assert {r.doc_id for r in store.support(place="苏州")} == {jiangsu}
    assert {r.doc_id for r in store.support(place="芜湖市繁昌区")} == {fanchang}
    assert {r.doc_id for r in store.support(place="杭州")} == set()
