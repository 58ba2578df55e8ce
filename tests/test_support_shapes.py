"""Support items on shapes the first support documents did not have (issue #12, blind gold 91/265/283): funding
tables, calls with one deadline a category, refunds, tax reductions, a 安排标准 list without kind words, yearless
deadlines. Text from real dev documents of ../shared/corpus-dc/ (quoted), and whole PDFs read in place."""
from __future__ import annotations

from types import SimpleNamespace

from knowledge.support import extract_support, link_support
from knowledge.support_fields import rates_in
from knowledge.support_windows import call_windows, issue_date, windows_in, with_year
from knowledge.support_tables import table_rows

from .test_support import _doc

# 283 福建省科学技术厅: the table the text layer runs together.
TABLE_283 = ("（一）本次创新战略定向项目名称、推荐（申报）单位及申请资助经费限额详见下表：\n"
             "序号项目名称推荐（申报）单位资助经费（万元）1科技支撑碳达峰碳中和战略和路径选择厦门大学10 "
             "2关于开展科研诚信政策宣传的有效途径研究福建师范大学5")


def test_table_rows_are_items_capped_when_the_table_says_limit():
    rows = table_rows(TABLE_283)
    assert [(r.wan, r.cap) for r in rows] == [(10.0, True), (5.0, True)]
    assert all(r.text in TABLE_283 for r in rows) and rows[0].text.endswith("厦门大学10")
    items = extract_support(TABLE_283)
    assert [(it.kind, it.cap["wan"], it.amount) for it in items] == [("资助", 10.0, None), ("资助", 5.0, None)]
    # Without a ceiling word the figure is the amount; 元 is converted to 万元; spaces between cells are kept out.
    rows = table_rows("序号 项目 补助金额（元） 1 屋顶光伏改造 300000 2 电机能效提升 150000\n")
    assert [(r.text, r.wan, r.cap) for r in rows] == [("1 屋顶光伏改造 300000", 30.0, False),
                                                      ("2 电机能效提升 150000", 15.0, False)]


def test_standard_heading_makes_figured_lines_items_with_region_tiers():
    # 502 附件1 二、安排标准 (中央预算内投资): no kind word in the lines, shares by region, a cap in 支持金额.
    text = ("二、安排标准\n污水处理、污水资源化利用项目、城镇生活垃圾分类和处理项目，按东、中、西和东北地区分别不超过项目总投资的"
            "30%、45%、60%、60%控制，单个项目支持金额原则上不超过5000万元，重大创新示范项目除外。\n"
            "节能减碳项目按不超过项目总投资的15%控制。\n按照国家有关规定享受特殊政策地区的建设项目，安排标准根据相关规定执行。")
    first, second = extract_support(text)
    assert [(t["tier"], t["rate"]) for t in first.tiers] == [("东", "30%"), ("中", "45%"), ("西", "60%"),
                                                            ("东北地区", "60%")]
    assert first.cap["wan"] == 5000.0 and first.kind == "资助"
    assert (second.rate["text"], second.rate["base"]) == ("15%", "项目总投资")


def test_refund_tax_reduction_and_threshold_shares():
    # 91 江苏 四、（一）达标返还机制.
    [it] = extract_support("对五项指标达到目标任务的市、县（市），各按收取该市、县（市）统筹资金总额的10%进行返还。")
    assert (it.kind, it.rate["text"]) == ("奖励", "10%")
    # 329 税费优惠指引 40.
    [it] = extract_support("对充填开采置换出来的煤炭，资源税减征50%。")
    assert (it.kind, it.rate["value"], it.rate["base"]) == ("减免", 50.0, "应纳税额")
    # 309: a share the applicant must reach is no rate paid.
    assert rates_in("其中建设投资不低于项目总投资的50%。") == []
    # 给予…支持 in general wording.
    [it] = extract_support("对认定的企业给予最高50万元支持。")
    assert (it.kind, it.cap["wan"]) == ("资助", 50.0)


def test_call_windows_one_a_deadline_and_paper_only_dropped():
    s1 = "（1）竞争择优类项目的网上及纸质材料申报受理截止时间为2022年2月28日（周一）前，逾期不予受理。"
    s2 = "（2）其它类别项目的网上及纸质材料申报受理截止时间为2022年3月4日（周五）前，逾期不予受理。"
    paper = "2.书面材料受理时间：2022年7月14日至2022年7月29日17时（工作日）。"
    online = "1.网络填报受理时间：2022年7月4日至2022年7月24日18时。"

    def w(s):
        x = windows_in(s)[0]
        return {"start": x.start, "end": x.end, "start_iso": x.start_iso, "end_iso": x.end_iso, "sentence": s}
    assert [c["end_iso"] for c in call_windows([w(s1), w(s2), w(s1)])] == ["2022-02-28", "2022-03-04"]
    assert [c["end_iso"] for c in call_windows([w(online), w(paper)])] == ["2022-07-24"]


def test_yearless_deadline_takes_the_notice_year_and_heading_windows():
    units = [SimpleNamespace(text="五、申报时间\n3月1日至3月15日。", seq=1),
             SimpleNamespace(text="一、支持内容\n对示范项目给予补助资金50万元。", seq=2),
             SimpleNamespace(text="某某省科学技术厅\n2022年2月10日", seq=3)]
    assert issue_date(units) == (2022, 2, 10)
    [it] = link_support(units)
    assert (it.amount["wan"], it.window["start_iso"], it.window["end_iso"]) == (50.0, "2022-03-01", "2022-03-15")
    # A month before the issue date falls in the next year.
    assert with_year({"start": "", "end": "1月5日", "start_iso": None, "end_iso": None}, (2021, 11, 20))["end_iso"] \
        == "2022-01-05"
    # A window never starts after it ends: the start takes the end's year, or the year before across a new year.
    w = with_year({"start": "3月1日", "end": "4月30日", "start_iso": None, "end_iso": None}, (2022, 3, 20))
    assert (w["start_iso"], w["end_iso"]) == ("2022-03-01", "2022-04-30")
    w = with_year({"start": "12月20日", "end": "1月10日", "start_iso": None, "end_iso": None}, (2022, 12, 25))
    assert (w["start_iso"], w["end_iso"]) == ("2022-12-20", "2023-01-10")


def test_blind_gold_shapes_on_the_pdfs():
    items = link_support(_doc("283").units(), _doc("283").sections)
    assert sorted((it.cap["wan"], it.window["end_iso"]) for it in items) == [(5.0, "2021-11-05"), (10.0, "2021-11-05")]
    # each row labelled by its number in the table, after the unit's label: two rows of one unit stay apart
    assert [it.label for it in items] == ["一、 （一）第1项", "一、 （一）第2项"]
    items = link_support(_doc("265").units(), _doc("265").sections)
    assert [it.window["end_iso"] for it in items] == ["2022-02-28", "2022-03-04"]


def test_a_sentence_granting_two_sums_to_two_cases_gives_two_items():
    # Common wording (not in the dev documents): two cases, each its own sum, one sentence; a ceiling after a
    # rate stays with the rate.
    a, b = extract_support("对首次入选的企业给予30万元奖励，再次入选的给予10万元奖励。")
    assert (a.amount["wan"], b.amount["wan"]) == (30.0, 10.0)
    a, b = extract_support("对新建加氢站给予200万元建设补贴，运营期间按照加氢量给予20元/公斤的运营补贴。")
    assert (a.amount["wan"], b.rate["unit"]) == (200.0, "元/公斤")
    [it] = extract_support("按照项目设备投资额的10%给予补助，单个项目最高不超过200万元。")
    assert (it.rate["text"], it.cap["wan"]) == ("10%", 200.0)


def test_common_range_and_base_wording():
    # Written examples of common notice wording (no dev document has them).
    assert [(w.start_iso, w.end_iso) for w in windows_in("2023年3月1日起至3月31日止。")] == [("2023-03-01", "2023-03-31")]
    assert [(w.start_iso, w.end_iso) for w in windows_in("自2023年3月1日开始，至2023年3月31日结束。")] == \
        [("2023-03-01", "2023-03-31")]
    [it] = extract_support("一次性给予5万元至20万元奖励。")  # a range: its top is the ceiling
    assert (it.amount, it.cap["wan"]) == (None, 20.0)
    [it] = extract_support("按上年度营业收入的1%给予奖励，最高100万元。")
    assert (it.rate["base"], it.cap["wan"]) == ("上年度营业收入", 100.0)
    [it] = extract_support("按不超过设备购置额的15%给予补助。")
    assert it.rate["base"] == "设备购置额"
    # A share paid in by the applicant is no rate (329 49.: 转让收入的65%上缴给国家).
    assert rates_in("将温室气体减排量转让收入的65%上缴给国家的项目") == []


def test_per_unit_rates_with_what_is_measured_and_sums_per_applicant():
    # Common wording of emission-reduction awards (written examples, no dev document has them): the thing measured
    # between the unit and the grant; the rate is per the unit of measure, one item a clause.
    a, b = extract_support("对减排项目，每吨氮氧化物减排量补贴1万元，每吨挥发性有机物减排量补贴2.5万元。")
    assert [(x.rate["value"], x.rate["unit"], x.amount) for x in (a, b)] == [(1.0, "万元/吨", None), (2.5, "万元/吨", None)]
    assert rates_in("每吨产物综合能耗小于15元") == []  # no grant word: not a rate paid
    # A sum per applicant (万元/家, 每个, 每项) is the amount each gets.
    [it] = extract_support("对新认定的市级示范企业，给予30万元/家的一次性奖励。")
    assert (it.amount["wan"], it.rate) == (30.0, None)
    [it] = extract_support("对新认定的示范项目，每个奖励100万元。")
    assert (it.amount["wan"], it.rate) == (100.0, None)


def test_unnamed_tiers_ratio_without_bili_and_ceilings_for_two_objects():
    # 分别 with no tier names: every sum is a tier (common award wording).
    [it] = extract_support("对评估结果排名前三的企业，按名次分别给予30万、20万、10万元奖励。")
    assert [(t["tier"], t["wan"]) for t in it.tiers] == [("", 30.0), ("", 20.0), ("", 10.0)]
    # A ratio without 的比例 (common: 按1:1给予配套).
    [it] = extract_support("对获得国家资金支持的项目，按1:1给予配套补助。")
    assert (it.rate["text"], it.rate["unit"]) == ("1:1", "比例")
    # Two ceilings for two objects in one sentence (common wording of science-fund guides), and a direction's
    # funding line (315 经费额度; 支持强度).
    a, b = extract_support("每个项目省拨经费不超过1500万元，每个课题省拨经费不超过500万元。")
    assert [(x.kind, x.cap["wan"]) for x in (a, b)] == [("资助", 1500.0), ("资助", 500.0)]
    [it] = extract_support("经费额度：原则上不超过300万元。")
    assert (it.kind, it.cap["wan"]) == ("资助", 300.0)
    # A ceiling after a share stays with the share even when it says 每个项目.
    [it] = extract_support("按照项目设备投资额的10%给予补助，每个项目最高不超过200万元。")
    assert (it.rate["text"], it.cap["wan"]) == ("10%", 200.0)


def test_table_rows_on_lines_of_their_own():
    # An annex table a row a line (a cell wrapped onto a second line), then the next section's numbered list.
    text = ("附件\n项目支持清单\n序号 项目名称 承担单位 支持金额（万元）\n1 工业园区余热利用示范 甲能源公司 300\n"
            "2 屋顶分布式光伏\n改造项目 乙制造公司 150\n3 电机能效提升 丙电机厂 80\n二、工作要求\n1.各单位要加强项目管理。")
    rows = table_rows(text)
    assert [(r.wan, r.cap) for r in rows] == [(300.0, False), (150.0, False), (80.0, False)]
    assert all(r.text in text for r in rows)
    assert [it.amount["wan"] for it in extract_support(text)] == [300.0, 150.0, 80.0]


def test_table_units_in_a_note_or_in_the_cells_and_ceilings_in_a_cell():
    # Funding tables as notices and annexes write them (the money column's unit in a note over the table, or in each
    # cell with none in the header; a ceiling word in a cell caps that row only); not in any dev document of
    # corpus-dc, whose one funding table is 283's above.
    text = ("附件2\n单位：万元\n序号 支持类别 补助金额\n1 绿色工厂 100\n2 绿色供应链管理企业 50\n二、其他事项")
    assert [(r.no, r.wan, r.unit, r.cap) for r in table_rows(text)] == [(1, 100.0, "万元", False), (2, 50.0, "万元", False)]
    text = "序号 项目类别 奖励标准\n1 国家级绿色工厂 最高100万元\n2 省级绿色工厂 300000元\n3 市级绿色工厂 20万元\n"
    rows = table_rows(text)
    assert [(r.wan, r.cap) for r in rows] == [(100.0, True), (30.0, False), (20.0, False)]
    assert all(r.text in text for r in rows) and rows[1].text == "2 省级绿色工厂 300000元"
    items = extract_support(text)
    assert [(it.kind, it.label, (it.cap or it.amount)["wan"]) for it in items] == [
        ("奖励", "第1项", 100.0), ("奖励", "第2项", 30.0), ("奖励", "第3项", 20.0)]
    # a header with no unit anywhere and bare figures in the cells is not a funding table (a count, a share…)
    assert table_rows("序号 项目 补助资金\n1 屋顶光伏改造 3\n2 电机能效提升 2\n") == []


def test_shares_as_fractions_and_rates_per_measured_thing_without_a_grant_word():
    # Common wording (written examples): a share as a fraction; per-ton standards listed with 、 (tiers a rate each).
    [it] = extract_support("对符合条件的项目，按照项目总投资的1/3给予补助，最高不超过500万元。")
    assert (it.rate["text"], it.rate["value"], it.rate["base"], it.cap["wan"]) == ("1/3", 33.33, "项目总投资", 500.0)
    [it] = extract_support("按其年度研发费用的三分之一给予补助。")
    assert (it.rate["value"], it.rate["base"]) == (33.33, "其年度研发费用")
    [it] = extract_support("奖励资金按每吨二氧化硫1000元、每吨氮氧化物1200元的标准核定。")
    assert ([t["rate"] for t in it.tiers], it.amount) == (["每吨二氧化硫1000元", "每吨氮氧化物1200元"], None)
    assert rates_in("每吨产品成本降低100元") == []  # a price or a saving is no rate paid


def test_review_times_are_no_windows_and_regulations_without_sums_give_grant_items():
    # 277 天津 四、申报方式: the applicants' window, then two review steps dated under the same heading.
    units = [SimpleNamespace(text="四、申报时间\n（一）项目申报。项目申报时间为2021年11月23日9:00至2021年12月23日17:00。\n"
                                  "（二）局级主管单位审查。局级主管单位审查时间为2021年12月24日9:00至2021年12月28日17:00。",
                             seq=1),
             SimpleNamespace(text="一、支持内容\n对揭榜项目给予经费资助。", seq=2)]
    [it] = link_support(units)
    assert (it.window["start_iso"], it.window["end_iso"]) == ("2021-11-23", "2021-12-23")
    # 314 浦东绿色金融若干规定 第二十四条 (quoted): an article granting support without a sum is an item; a plan's measure is not.
    s1 = "第二十四条市中小微企业政策性融资担保基金应当为开展绿色项目融资的中小微企业加大担保支持力度，提高绿色融资担保业务比重和担保额度，给予费率优惠。"
    s2 = "对于获得市中小微企业政策性融资担保基金担保的浦东新区中小微企业，浦东新区相关部门应当按照规定给予经费补助等支持。"
    items = link_support([SimpleNamespace(text=s1 + "\n" + s2, seq=1, label="第二十四条")])
    assert [(it.kind, it.quote, it.amount, it.rate, it.cap) for it in items] == [("减免", s1, None, None, None),
                                                                                ("补贴", s2, None, None, None)]
    assert link_support([SimpleNamespace(text="（三）对绿色工厂给予奖励。", seq=1, label="（三）")]) == []
    # … and not when the document states a sum somewhere.
    units = [SimpleNamespace(text=s2, seq=1, label="第二十四条"),
             SimpleNamespace(text="第二十五条对绿色工厂给予50万元奖励。", seq=2, label="第二十五条")]
    assert [it.amount["wan"] for it in link_support(units)] == [50.0]


def test_new_dev_documents_on_the_pdfs():
    # 303 清洁发展机制基金管理办法 第十四条: the fund's grants, no sum; 277: one call, its applicants' window only.
    [it] = link_support(_doc("303").units(), _doc("303").sections)
    assert (it.kind, it.label) == ("资助", "第十四条") and "赠款" in it.quote
    items = link_support(_doc("277").units(), _doc("277").sections)
    assert [(it.window["start_iso"], it.window["end_iso"]) for it in items] == [("2021-11-23", "2021-12-23")]


def test_a_lead_to_conditions_is_no_item():
    # 329 税费优惠指引 (quoted): the lead names the relief its conditions qualify for; the relief is its own item.
    assert extract_support("1.减半征收车船税的节能乘用车应同时符合以下标准：") == []
    [it] = extract_support("19.节能汽车减半征收车船税")
    assert (it.kind, it.rate["value"]) == ("减免", 50.0)


def test_deadline_variants_of_notice_wording():
    # 即日起—B (a dash for 至), 截止到/截止至 B, 截至B前: an end without a start.
    for text, end in (("申报时间：即日起—2022年3月15日", "2022-03-15"), ("网上申报截止到2022年3月15日", "2022-03-15"),
                      ("申报材料截至2022年3月20日前报送", "2022-03-20"), ("申报时间为即日起至2022年4月1日17:00", "2022-04-01")):
        (w,) = windows_in(text)
        assert (w.start, w.end_iso) == ("", end), text


def test_shares_by_region_each_after_its_region():
    # Central investment rules set shares by the four regions (502: 按东、中、西和东北地区分别不超过项目总投资的30%、45%、60%、60%);
    # written out with each share after its region, in one sentence: a tier a region, the ceiling beside them.
    from knowledge.support import extract_support

    (it,) = extract_support("东部地区补助比例为项目总投资的20%，中部地区为25%，西部地区为30%，单个项目补助不超过3000万元。")
    assert [(t["tier"], t["rate"]) for t in it.tiers] == [("东部地区", "20%"), ("中部地区", "25%"), ("西部地区", "30%")]
    assert it.rate is None and it.cap["wan"] == 3000 and it.kind == "补贴"
    # a single region's share is no tier list
    (one,) = extract_support("对西部地区项目按总投资的30%给予补助。")
    assert one.rate["text"] == "30%" and one.tiers == []


def test_the_grantee_enjoying_a_support_policy_is_a_grant():
    # 373 城市绿色货运配送示范工程管理办法 (dev gold): 示范城市按照有关要求，享受奖励政策 — a regulation granting support
    # without a sum by the grantee enjoying it (the construction 享受…<kind>…政策; 158 第十四条 可享受相关补助等政策 too).
    [it] = link_support(_doc("373").units(), _doc("373").sections)
    assert (it.kind, it.shape, it.quote.strip()) == ("奖励", "grant", "示范城市按照有关要求，享受奖励政策。")
    assert it.label.startswith("第")
    # denied, stopped or limited is no grant (158 不享受电价补贴政策; 329 停止享受; 117 只能享受其中一项奖补政策)
    for s in ("第五条经营性项目不享受电价补贴政策。", "第六条转让的，应当停止享受补贴政策。", "第七条同一项目只能享受其中一项奖补政策。"):
        assert link_support([SimpleNamespace(text=s, seq=1, label=s[:3])]) == []
    s = "第十四条验收合格后，造林承包方可享受相关补助等政策。"
    assert [it.kind for it in link_support([SimpleNamespace(text=s, seq=1, label="第十四条")])] == ["补贴"]


def test_a_long_grant_of_support_and_fees_waived():
    """support25: 给予…支持 read within its clause however long the sum is named, and 免收 (a fee waived) a 减免 as
    免征 is — 329's 免收大中型水库移民后期扶持基金 was a 资助 by the 扶持 of the fund's name."""
    (it,) = extract_support("给予项目总投资10%、最高500万元的资金支持。")
    assert (it.kind, it.rate["text"], it.cap["wan"]) == ("资助", "10%", 500)
    from knowledge.support_clauses import kind_of
    assert kind_of("对分布式光伏发电自发自用电量免收大中型水库移民后期扶持基金") == "减免"
    # the chat's offers keep the narrow reading
    from knowledge.support_clauses import GIVE_SUPPORT_RE
    assert not GIVE_SUPPORT_RE.search("给予项目总投资10%、最高500万元的资金支持")
