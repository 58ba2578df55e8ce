"""Responsibility beyond brackets, deadlines, and which quantities in sentences are targets (target tables:
tests/test_target_tables.py; extraction against the dev targets gold: tests/test_targets_precision.py)."""
from __future__ import annotations

import pytest

from ingest.structure import parse
from knowledge.actors import deadline_in, jurisdiction_of, labelled_bureaus, placed_name, sentence_actors
from knowledge.extract import enrich, targets_in
from tests.conftest import CORPUS_DC, PRIMARY_TXT, parsed_document


def test_labelled_lead_and_partners():
    got = labelled_bureaus("推进园区循环化改造。牵头单位：市发展改革委；配合单位：市工业和信息化局、市生态环境局。", ("苏州市",))
    assert [(b.name, b.lead) for b in got] == [("市发展改革委", True), ("市工业和信息化局", False),
                                               ("市生态环境局", False)]
    assert got[0].canonical == "苏州市发展和改革委员会" and "市发展和改革委员会" in got[0].aliases


def test_places_are_a_tuple_always():
    """A document's places are one type (document_places' tuple): a 市 body takes the 市 place of a joint issue
    (重庆市, 四川省), and a bare string — once accepted beside the tuple — is refused rather than read by character."""
    assert placed_name("市发展和改革委员会", ("重庆市", "四川省")) == "重庆市发展和改革委员会"
    assert placed_name("省生态环境厅", ("重庆市", "四川省")) == "四川省生态环境厅"
    assert placed_name("市发展和改革委员会", ()) == "市发展和改革委员会"
    with pytest.raises(TypeError):
        placed_name("市发展和改革委员会", "苏州市")


def test_actor_of_an_article_with_a_shared_kind_word():
    text = "第十三条本市建立碳排放统计核算体系。市统计、发展改革、生态环境等部门应当按照职责做好相关工作。"
    assert [b.name for b in sentence_actors(text)] == ["市统计部门", "市发展改革部门", "市生态环境部门"]
    lead = sentence_actors("第十四条市生态环境部门应当会同有关部门制定配额分配方案。")
    assert [(b.name, b.lead) for b in lead] == [("市生态环境部门", True)]
    assert [b.name for b in sentence_actors("由市住房城乡建设委负责组织实施。")] == ["市住房城乡建设委"]


def test_actors_of_a_regulation_without_a_named_place():
    # 第N条 regulations name the competent body by its field or level only (corpus-dc 58, 502, 162).
    text = "第十八条发展改革部门、生态环境部门和其他部门应当按照各自职责加强对碳排放情况的监督检查。"
    assert [b.name for b in sentence_actors(text)] == ["发展改革部门", "生态环境部门"]
    assert [b.name for b in sentence_actors("第十七条省级发展改革部门应在收到投资计划后20个工作日内分解。")] == ["省级发展改革部门"]
    assert [b.name for b in sentence_actors("第三十条本办法由国家发展改革委负责解释。")] == ["国家发展改革委"]
    assert [b.name for b in sentence_actors("县级以上人民政府生态环境主管部门负责本行政区域的监督管理。")] == [
        "县级以上人民政府生态环境主管部门"]
    # A body the sentence reports to is not its actor.
    assert sentence_actors("重点排放单位应当按照规定编制报告，并报送市生态环境部门。") == []


def test_actors_that_open_an_article_by_rule():
    # corpus-dc 306, 487, 58, 25, 158, 406: an article's actor acts by rule (按照, 对, 可以, 履行 …), after an article
    # title in brackets, with its local agencies, or as fields before one kind word.
    assert [b.name for b in sentence_actors("第五条【名单确定】省生态环境厅按照生态环境部的有关规定，确定重点排放单位名录。")] == [
        "省生态环境厅"]
    assert [b.name for b in sentence_actors("第九条省林业局对试点申报材料开展审查。")] == ["省林业局"]
    assert [b.name for b in sentence_actors("第五十七条国家能源局及其派出机构、地方政府能源管理部门对规章制度落实情况进行监督检查。")] == [
        "国家能源局", "地方政府能源管理部门"]
    assert [b.name for b in sentence_actors("交通运输、城市管理、邮政等部门应当推动公共交通领域车辆电动化。")] == [
        "交通运输部门", "城市管理部门", "邮政部门"]
    assert [b.name for b in sentence_actors("作业设计等前期工作由林草部门负责。")] == ["林草部门"]
    assert [b.name for b in sentence_actors("第五十三条本办法由国务院生态环境主管部门负责解释。")] == ["国务院生态环境主管部门"]
    # Inside a sentence these verbs mark no actor; a list that opens with a verb, 应急 and 确定的 are not actors either.
    assert sentence_actors("将林长制纳入省委对市县的考核。") == []
    assert sentence_actors("请各地市工信部门按照通知要求组织申报。") == []
    assert sentence_actors("加强应急、交通、水利等部门应急联动。") == []
    assert sentence_actors("4.区政府确定的其他节能降碳用途项目。") == []
    assert sentence_actors("地方各级党委和政府要扛起责任。") == []


def test_generic_bodies_are_not_actors():
    assert sentence_actors("各有关部门负责抓好落实。") == []
    assert sentence_actors("各地区各部门要结合实际抓好贯彻落实。") == []


def test_deadlines():
    assert deadline_in("开展节能诊断。完成时限：2022年6月底") == "2022年6月底"
    assert deadline_in("2023年底前完成全部改造任务。") == "2023年底前"
    assert deadline_in("加强监督检查。") == ""
    # 完成期限 in a closing bracket (corpus-dc 73, 549)
    assert deadline_in("帮助金融机构实现绿色信贷精准投放（责任部门：财审处、气候处，完成期限：2022年二季度）。") == "2022年二季度"


def test_goal_years_and_dates_of_a_condition_are_not_deadlines():
    assert deadline_in("我国力争2030年前实现碳达峰、2060年前实现碳中和。") == ""
    assert deadline_in("二氧化碳排放力争于2030年前达到峰值。") == ""
    assert deadline_in("到2025年底前完成全市乡镇级水源保护区划定。") == ""  # a goal year of the plan
    assert deadline_in("到2025年，基本完成2000年底前建成的需改造城镇老旧小区改造任务。") == ""
    assert deadline_in("对1990年以前建成、尚未完成抗震节能改造的小区实施改造。", base_year=2020) == ""
    assert deadline_in("2000年前建成的小区改造。2023年底前完成整改工作。") == "2023年底前"


def test_jurisdiction_from_the_title():
    assert jurisdiction_of("连云港市加快经济社会发展全面绿色转型政策举措（征求意见稿）") == "连云港市"
    assert jurisdiction_of("中共杭州市委杭州市人民政府关于…的实施意见") == "杭州市"
    assert jurisdiction_of("关于推动城乡建设绿色发展的意见") == ""


def test_bodies_take_the_place_of_a_notice_or_file_when_the_title_names_none():
    # 511 (省政府办公厅关于江苏省…), 89 江西 and others: titles that name no place at their start; the notice, the
    # issuer or the file name does, so 省发展和改革委员会 of two provinces stay two bodies in one library.
    pages = ["江西省人民政府关于印发加快建立健全绿色低碳循环发展经济体系若干措施的通知\n各设区市人民政府：\n"
             "现将《加快建立健全绿色低碳循环发展经济体系若干措施》印发给你们，请认真贯彻执行。\n2021年12月1日\n"
             "加快建立健全绿色低碳循环发展经济体系若干措施\n一、健全绿色低碳循环发展的生产体系\n（一）推进工业绿色升级。"
             "加快实施钢铁、石化等行业绿色化改造。（省工业和信息化厅、省发展改革委按职责分工负责）\n"]
    doc = enrich(parse(pages, "x", source="x.pdf"))
    assert doc.title == "加快建立健全绿色低碳循环发展经济体系若干措施"
    assert [b.canonical for b in doc.measures[0].bureaus] == ["江西省工业和信息化厅", "江西省发展和改革委员会"]
    plain = enrich(parse(["关于推进节能的若干措施\n一、总则\n（一）推进节能。加强管理。（省发展改革委负责）\n"],
                         "x", source="89、江西省关于推进节能的若干措施.pdf"))
    assert [b.canonical for b in plain.measures[0].bureaus] == ["江西省发展和改革委员会"]  # from the file name


@pytest.mark.parametrize("sentence,expected", [
    ("到2025年，非化石能源消费比重达到20%左右。", [(2025, "20", "%")]),
    ("2020年，全市可再生能源装机达到500万千瓦。", []),  # a past year (plan of 2021)
    ("比2020年下降13.5%。", []),  # a baseline, no due year
    ("对2017年3月31日之前建成的项目给予20%奖励。", []),  # a date of a condition, a support rate
    ("到2025年，对总投资1000万元以上的项目给予补贴。", []),  # a threshold, support
    # size classes that define a group (corpus-dc 446, 559, 573), but a count or an amount to complete is a goal
    ("到2025年，年综合能耗1万吨标准煤以上企业全部完成能源审计。", []),
    ("到2025年，单机容量10万千瓦及以上的燃煤机组全部完成超低排放改造。", []),
    ("重点推进100吨以上船舶水污染物的规范收集与处置。", []),
    ("到2025年，完成1000万平方米以上公共机构既有建筑绿色化改造工作。", [(2025, "1000", "万平方米")]),
    ("到2025年，建成100个以上示范项目。", [(2025, "100", "个")]),
    ("到2025年，主要农作物病虫害绿色防控覆盖率和统防统治覆盖率分别达到60%、50%以上。",
     [(2025, "60", "%"), (2025, "50", "%")]),
])
def test_which_quantities_are_targets(sentence, expected):
    assert [(t.year, t.value, t.unit) for t in targets_in(sentence, None, base_year=2021)] == expected


def test_primary_document_stays_exact():
    doc = enrich(parse([PRIMARY_TXT.read_text(encoding="utf-8")], PRIMARY_TXT.stem))
    assert len(doc.sections) == 7 and len(doc.measures) == 22
    assert sum(len(m.targets) for m in doc.units()) == 19
    assert all(m.bureaus for m in doc.measures)
    assert [m.label for m in doc.measures if any(b.lead for b in m.bureaus)] == ["（五）", "（七）", "（八）"]
    m5 = doc.measures[4]
    assert m5.bureaus[0].name == "市发改委" and m5.bureaus[0].canonical == "连云港市发展和改革委员会"


def test_starting_value_is_not_a_target_and_a_deadline_is_not_a_bureau():
    from knowledge.bureaus import parse_clause

    got = targets_in("非化石能源消费比重由2020年的11.2%提高到20%。", 2025, base_year=2021)
    assert [(t.value, t.indicator) for t in got] == [("20", "非化石能源消费比重")]
    assert [b.name for b in parse_clause("责任单位：市发改委、市工信局；完成时限：2022年底").bureaus] == ["市发改委", "市工信局"]


@pytest.mark.parametrize("sentence,carried,default,expected", [
    ("截至2020年底，全省森林覆盖率达到23.04%。", None, None, []),  # a reporting date, not a due year
    ("2021年起，快递网点使用不可降解塑料袋比例每年下降20%。", None, None, []),  # the start of a rule
    ("新建绿色工厂12家、绿色工业园区2个。", None, 2025, [(2025, "12", "家"), (2025, "2", "个")]),  # a plan's period
    ("全市机动车保有量已突破430万辆。", None, 2025, []),  # a figure already reached
    ("全省电力投资总规模约7000亿元。", None, 2025, []),  # an investment amount
    ("按替代煤电机组测算，相应每年减少煤炭消费1.9亿吨。", 2025, None, []),  # an estimate
    ("“十四五”期间全面淘汰30万千瓦以下纯凝机组。", None, None, []),  # a size class
    ("到2025年，臭氧日最大8小时滑动平均第90百分位浓度不超过145微克/立方米。", None, None,
     [(2025, "145", "微克/立方米")]),  # 8小时 is part of the indicator's name
    ("到2025年，农田灌溉水有效利用系数达到0.535。", None, None, [(2025, "0.535", "")]),  # no unit
    ("到2025年，建成5个—6个科技成果转化示范基地。", None, None, [(2025, "5", "个")]),  # a range: its lower end
    ("城市生活污水集中收集率100%（2023年），绿地率达到40%。", 2025, None, [(2025, "100", "%"), (2025, "40", "%")]),
    ("到2 022年，建设健康建筑示范项目50万平方米。", None, 2025, [(2022, "50", "万平方米")]),  # pypdf split the year
    ("实施年产40万吨球团生产线和银海铝业50万吨电解铝项目超低排放改造。", 2025, None, []),  # a plant's capacity
    ("到2022年，力争完成20万亩节水增粮增效项目。", None, None, [(2022, "20", "万亩")]),  # an area to complete
])
def test_due_years_and_goal_forms(sentence, carried, default, expected):
    got = targets_in(sentence, carried, base_year=2021, default=default)
    assert [(t.year, t.value, t.unit) for t in got] == expected


def test_plan_period_and_written_year_from_the_title():
    from knowledge.plan_period import plan_end_of

    assert plan_end_of("内蒙古自治区“十四五”电力发展规划") == 2025
    assert plan_end_of("阜阳市重点领域节能降碳技术改造总体实施方案（2022-2025年）") == 2025
    assert plan_end_of("关于推动城乡建设绿色发展的意见") is None
    # The dashes typists use for a span (corpus-dc 513 writes U+2015), and plans of work for one year.
    assert plan_end_of("四川省重点领域企业节能降碳工作方案（2022―2025年）") == 2025
    assert plan_end_of("上海市2021年节能减排和应对气候变化重点工作安排") == 2021
    assert plan_end_of("重庆市生态环境系统2022年应对气候变化工作要点") == 2022
    assert plan_end_of("云南省推动成为生态文明建设排头兵2022年措施任务清单") == 2022
    # Not plans of work: an allocation scheme, a notice, a peak before a year.
    assert plan_end_of("福建省2020年度用能权指标分配方案") is None
    assert plan_end_of("关于天津市2021年度碳排放配额安排的通知") is None
    assert plan_end_of("某省2030年前碳达峰实施方案") is None  # the peak year documents cite (249 and a provincial 碳达峰实施方案)


def test_title_of_an_annual_plan_of_work_ends_at_its_kind_word():
    from ingest.structure import find_title

    # corpus-dc 195's first page: the title's kind word (要点) ends it; the opening sentence is not part of it.
    page = ("2022 年山东省公共机构能源资源节约 \n和生态环境保护工作要点 \n  \n2022 年是实施公共机构节约能源资源“十四五”规划的\n"
            "关键之年。全省各级公共机构要坚持以习近平生态文明思想\n")
    assert find_title(page)[0] == "2022年山东省公共机构能源资源节约和生态环境保护工作要点"


@pytest.mark.parametrize("sentence,expected", [
    # Two due years and a 分别 list: one year per figure, in order (corpus-dc 247).
    ("2025年和2030年，全国短流程炼钢占比分别提升至15%、20%以上。", [(2025, "15", "%"), (2030, "20", "%")]),
    ("到2025年，全国短流程炼钢占比分别提升至15%、20%以上。", [(2025, "15", "%"), (2025, "20", "%")]),
    # A size that qualifies what a rule covers (corpus-dc 438), classes of a benchmark table (169): not targets.
    ("到2025年，面积大于10平方公里或所辖岸线长度大于10公里的海湾单列为一个治理单元。", []),
    ("到2025年，平板玻璃≥500≤800吨/天单位产品能耗千克标准煤/重量箱13.5 9.5 GB 21340参照此标准>800吨/天单位产品能耗", []),
    ("到2025年，近岸海域优良水质面积比例≥99.39%，森林覆盖率超过30%的目标。", [(2025, "99.39", "%"), (2025, "30", "%")]),
    # The number of a standard is no quantity (169: …GB 21344天然气…), a goal beside one is.
    ("到2025年，合成氨单位产品能耗千克标准煤/吨1350 1100 GB 21344天然气单位产品能耗", []),
    ("到2025年，执行GB/T 50378标准的建筑达到100万平方米。", [(2025, "100", "万平方米")]),
    # The total of the plan's own list of works (473) is no goal.
    ("提出在“十四五”期间能够对环境保护有巨大推进效益、操作性强的重大工程共110个，分12大类。", []),
    # A note in brackets between a ratio and its comparator (486); figures describing the members of an unquantified
    # batch (565: 一批…不低于2亿千瓦时…的园区); a bound of a range of operation (565), but not an administrative level.
    ("到2025年，新建大型、超大型数据中心电能利用效率（PUE，指数据中心总耗电量与信息设备耗电量的比值）优于1.3。", [(2025, "1.3", "")]),
    ("到2025年，示范建设一批新能源消纳电量不低于2亿千瓦时且新能源消纳电量占比不低于总体电量消费50%的绿色供电园区。", []),
    ("到2025年，在建和新建煤电机组应具备深度调峰能力，实现30%额定容量及以下稳定出力。", []),
    ("到2025年，力争80%以上的县级及以上党政机关建成节约型机关。", [(2025, "80", "%")]),
    # A data centre's power usage effectiveness is a ratio without a unit (205, 223).
    ("到2025年，大型及以上数据中心电能利用效率不超过1.3，数据中心电能利用效率普遍不超过1.5。", [(2025, "1.3", ""), (2025, "1.5", "")]),
])
def test_years_paired_with_figures_and_classes(sentence, expected):
    assert [(t.year, t.value, t.unit) for t in targets_in(sentence, None, base_year=2022)] == expected


def test_goals_of_a_plan_stated_without_a_year():
    """A real plan (corpus-dc 574): its 发展目标 subsections name no year — the plan's period is their due year —
    and its review of investment and jobs (第八章) holds no targets."""

    path = next((CORPUS_DC).glob("574、*.pdf"))
    doc = parsed_document(path)
    found = {(t.year, t.value, t.unit) for u in doc.units() for t in u.targets}
    assert {(2025, "5220", "亿千瓦时"), (2025, "2.71", "亿千瓦"), (2025, "305", "克标煤/千瓦时")} <= found
    assert not [t for u in doc.units() for t in u.targets if "元" in t.unit]


@pytest.mark.parametrize("sentence,expected", [
    ("完成全民义务植树3亿株。", [(2025, "3", "亿株")]),  # a measure word with a magnitude
    ("治理松材线虫病3.33万公顷次。", [(2025, "3.33", "万公顷次")]),  # a frequency, not 万公顷
    ("森林火灾受害率控制在0.9‰以下。", [(2025, "0.9", "‰")]),
    ("单位工业增加值新鲜水耗不超过8m3/万元。", [(2025, "8", "m3/万元")]),  # Latin letters, a denominator
    ("城市中心区防洪能力不低于200年一遇。", [(2025, "200", "年一遇")]),  # a return period is not a year
    ("已经市生态环境局2022年第1次局务会审议通过。", []),  # an ordinal
    ("按照生态环境部等7部委的要求开展工作。", []),  # 部委 is a word, not 部 of a count
    ("在城镇新建建筑100%执行绿色建筑标准的基础上，建设高品质绿色建筑项目。", []),  # a basis, reached already
    ("新建住宅建筑高度控制在80米以下。", []),  # a building standard: 米 is not a unit of goals here
])
def test_units_of_goals(sentence, expected):
    got = targets_in(sentence, None, base_year=2021, default=2025)
    assert [(t.year, t.value, t.unit) for t in got] == expected


@pytest.mark.parametrize("sentence,expected", [
    ("力争 60%以上的城市社区参与创建行动并达到创建要求。", [(2025, "60", "%")]),  # a share of a population
    ("对单位产品能耗高于标准10%以上的企业实施阶梯电价。", []),  # a threshold
    ("推动全省不低于85%的县级及以上党政机关建成节约型机关。", [(2025, "85", "%")]),  # a floor on a share
    ("推进既有公共建筑节能改造（其中，节能率不低于15%的公共建筑）。", []),  # a measure before the floor: which ones
    ("增加的调峰空间，按不低于50%的比例建设。", []),  # a ratio to build by
    ("沿江各市选择 3—5 个不同类型的农村社区开展试点。", [(2025, "3", "个")]),  # pypdf's spaces, a range
    ("确保“十四五”末期林木良种使用率达到76%。", [(2025, "76", "%")]),
    ("到2025年，建设油茶示范林15.33万公顷（新造2万公顷、改造13.33万公顷）。",
     [(2025, "15.33", "万公顷"), (2025, "2", "万公顷"), (2025, "13.33", "万公顷")]),  # a breakdown in brackets
    ("乌东德（1020万千瓦）建成投产。", []),  # the size of a named project
    ("深化园林城市建设，打造“10分钟公园绿地服务圈”。", []),  # part of a name
    ("指标体系由四个方面共20个指标构成。", []),  # the size of a list of indicators
    ("全面完成沿江岸线1公里范围内化工生产企业搬迁改造任务。", []),  # a scope
])
def test_shares_breakdowns_and_names(sentence, expected):
    got = targets_in(sentence, None, base_year=2021, default=2025)
    assert [(t.year, t.value, t.unit) for t in got] == expected


def test_written_year_from_the_documents_own_baselines():
    from knowledge.plan_period import known_year

    # No issue date and no period in the title: the latest year whose figures the text knows dates it.
    assert known_year("到2025年，单位地区生产总值能耗比2020年下降14%。截至2019年底，全省…") == 2021
    assert known_year("加快建设绿色工厂。") is None
    # The document's own year is due: 2021年，压减地下水超采量1亿立方米 in a text written in 2021.
    got = targets_in("2021年，压减地下水超采量1亿立方米以上。", None, base_year=2021)
    assert [(t.year, t.value) for t in got] == [(2021, "1")]
    # Without any date, a year marked due is due and a bare year reports.
    assert [t.year for t in targets_in("到2025年，森林覆盖率达到40%。", None, base_year=None)] == [2025]
    assert targets_in("2020年，全市森林覆盖率达到38%。", None, base_year=None) == []


@pytest.mark.parametrize("sentence,expected", [
    # A measure inside a named project's name sizes the project (郑州 417's 专栏 list); a 工程 of works is sized by its goal.
    ("实施荥阳3万吨废机油滤芯、机油壶、机油桶综合处置项目，郑州新区污水处理厂配套1000吨/日污泥资源化综合利用项目。", []),
    ("建设20条300公里示范性绿道提升工程。", [(2025, "20", "条"), (2025, "300", "公里")]),
    ("建成3个国家级示范项目。", [(2025, "3", "个")]),  # a count of projects is a goal
    ("工程通过改造设备，可新增销售收入35000万元，利税6166万元。", []),  # what a project is estimated to yield
])
def test_project_lists_and_estimates(sentence, expected):
    got = targets_in(sentence, None, base_year=2021, default=2025)
    assert [(t.year, t.value, t.unit) for t in got] == expected


def test_plan_quantities_after_verbs_of_setting_up():
    # A plan's task stated without a year: 开展/设立/营建 … a count or an area is due at the end of its period (157).
    got = targets_in("开展中央财政林业科技推广示范项目90项，营建示范林（园）1200公顷，设立巡护监测站点20处。", None,
                     base_year=2021, default=2025)
    assert [(t.year, t.value, t.unit) for t in got] == [(2025, "90", "项"), (2025, "1200", "公顷"), (2025, "20", "处")]


@pytest.mark.parametrize("sentence,expected", [
    # The size of a set the text names (广元 427, 攀枝花 422, 邯郸 242) is not a goal; building what it counts is (郑州 417).
    ("推进广元经济技术开发区等8个工业园区（集聚区）污水治理能力和污水管网排查整治。", []),
    ("加快推进涉县经济开发区、邱县经济开发区等11个园区实施循环化改造，总结成功模式，为其他园区提供借鉴。", []),
    ("建成西流湖公园、青少年公园等40个综合公园和专类公园。", [(2025, "40", "个")]),
    ("建设省道312市区段、长江路等20条200公里生态廊道，三环快速路、江山路等20条300公里示范性绿道提升工程。",
     [(2025, "20", "条"), (2025, "200", "公里"), (2025, "20", "条"), (2025, "300", "公里")]),
    # The plan's own list of works (内江 425, 泰州 455) and the scope a task focuses on (黑龙江 389, 国家 302).
    ("有力有序开展农业节水增效、工业节水减排等6项重点行动。", []),
    ("在全市范围内规划7大类70项工程，计划投资135.83亿元。", []),
    ("选择100家以上工作基础好的企业开展绿色工厂创建。", [(2025, "100", "家")]),
    ("以26个养殖大县为重点，整县推进畜禽粪污资源化利用。", []),
    # The count of a plan's own indicators of any kind (三亚 438), and a figure that states when a rule applies (天津 218).
    ("到2025年，根据全国和海南省海洋规划要求设置4项约束性指标，根据三亚市特点设置8项特征指导性指标，具体见下表。", []),
    ("到2025年，当纳入企业配额缺口量占其履约排放量比例超过20%时，其配额清缴义务另行确定。", []),
    ("到2025年，用3年时间完成改造面积100万平方米。", [(2025, "100", "万平方米")]),
])
def test_named_sets_own_lists_and_scopes(sentence, expected):
    got = targets_in(sentence, None, base_year=2021, default=2025)
    assert [(t.year, t.value, t.unit) for t in got] == expected


def test_national_bodies_after_you_are_actors_with_canonical_names():
    # 由 + bodies named bare, as State Council documents write them (no 市/省 level)
    found = sentence_actors("由国家发展改革委、国家能源局负责组织实施。")
    assert [(b.name, b.canonical) for b in found] == [("国家发展改革委", "国家发展和改革委员会"), ("国家能源局", "国家能源局")]
    assert "国家发改委" in found[0].aliases
    assert [(b.canonical, b.lead) for b in sentence_actors("由商务部牵头，各有关部门配合。")] == [("商务部", True)]
    assert [b.canonical for b in sentence_actors("由人民银行、银保监会按职责分工负责。")] == [
        "中国人民银行", "中国银行保险监督管理委员会"]
    assert [b.name for b in sentence_actors("由农业农村部和气象局负责。")] == ["农业农村部", "气象局"]
    assert sentence_actors("由企业自行负责。") == [] and sentence_actors("由申报单位负责。") == []
    # a clause before the body is not part of its name
    assert [b.name for b in sentence_actors("确定名录的省级生态环境主管部门应当公开名录。")] == ["省级生态环境主管部门"]


def test_a_review_sentence_does_not_take_the_period_an_earlier_sentence_opened():
    # corpus-dc 125, 第一章 环境基础与形势: “十四五”时期，… opens the section; a sentence on “十三五” reports the past.
    text = ("第一章 环境基础与形势\n第二节 “十四五”生态环境保护任重道远\n“十四五”时期，巴中生态环境保护仍处于关键期。"
            "“十三五”期间，巴中市2个地表水国控断面水质虽优于Ⅲ类。\n第二章 规划目标\n第一节 主要目标\n到2025年，森林覆盖率达到40%。\n")
    doc = enrich(parse([text], "巴中市“十四五”生态环境保护规划"))
    assert [(t.year, t.value, t.unit) for u in doc.units() for t in u.targets] == [(2025, "40", "%")]


def test_a_box_stands_apart_from_the_text_before_it():
    # corpus-dc 565: “十四五”期间… opens the unit's period; the project box after it lists projects, and 建设 in its
    # title is no goal verb of its items. A box item with its own goal verb stays a goal of the plan.
    text = ("第三章 主要任务\n一、发展水电\n“十四五”期间，新增水电并网装机规模110万千瓦以上。\n专栏4水电重点建设项目\n"
            "续建投产：大藤峡水利枢纽电站右岸5台机组。\n专栏5生物质能\n新增农林生物质发电并网装机规模40万千瓦。\n")
    doc = enrich(parse([text], "广西可再生能源发展“十四五”规划"))
    assert [(t.year, t.value, t.unit) for u in doc.units() for t in u.targets] == [(2025, "110", "万千瓦"), (2025, "40", "万千瓦")]


def test_a_goal_heading_run_into_the_first_sentence_still_opens_its_year():
    # corpus-dc 578 上海: pypdf ran 二、主要目标 into 到2025年，…; the figures of the next sentence are due in 2025.
    text = ("二、主要目标到2025年，产业结构和能源结构明显优化，经济体系初步建立。单位生产总值能源消耗比2020年下降14%，"
            "非化石能源占能源消费总量比重力争达到20%，森林覆盖率达到19.5%以上。")
    doc = enrich(parse([text], "上海市关于完整准确全面贯彻新发展理念做好碳达峰碳中和工作的实施意见"))
    assert [(t.year, t.value) for u in doc.units() for t in u.targets] == [(2025, "14"), (2025, "20"), (2025, "19.5")]


def test_a_share_before_its_year_is_not_a_baseline():
    # 431 乌海 (blind dev gold): 占比2023年底达到50%以上 — 比 ends 占比, the year is due (比2020年 stays a baseline).
    got = targets_in("城区公交新增及更新车辆中新能源车辆占比2023年底达到50%以上，2025年底达到60%以上。", None,
                     base_year=2021, default=2025)
    assert [(t.year, t.value) for t in got] == [(2023, "50"), (2025, "60")]
    got = targets_in("到2025年，单位GDP能耗比2020年下降13.5%。", None, base_year=2021)
    assert [(t.year, t.value) for t in got] == [(2025, "13.5")]


