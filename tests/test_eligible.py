"""The hand checks of the answer decision (answer.eligible): each accepts the way documents state the asked fact,
read on sentences of corpus-dc dev documents, and still rejects the near misses it was written for."""
import copy

from answer import answerability as A
from answer.decide import Decider
from answer.eligible import asks_count, carries_asked
from answer.evidence import TopicMatcher

M = TopicMatcher()


def _qv(question: str, words=(), kinds=("amount",)):
    return A.QuestionView(words=tuple(words), terms=frozenset(), kinds=kinds, years=(), scope_absent=False,
                          question=question)


def _ok(qv, sentence, unit_text=""):
    return carries_asked(qv, sentence, M, [list(qv.words)], "", unit_text)


def test_a_validity_stated_as_a_span_from_its_onset_answers_how_long():
    # 117 繁昌区节能降碳若干支持措施 closes with it; 有效期 is not written
    qv = _qv("繁昌这套节能降碳支持措施的有效期是多久", kinds=("date",))
    assert _ok(qv, "本办法自印发之日起实施，暂定三年。")
    assert _ok(qv, "本办法自2022年1月1日起施行，有效期5年。")
    assert not _ok(qv, "本意见自2022年8月5日起施行。")  # the onset alone: no expiry
    assert not _ok(qv, "项目建设期为三年。")  # a span with no onset is another period


def test_a_number_that_names_something_is_not_a_count():
    assert not asks_count("有问题该联系哪个处室？电话多少？")
    assert not asks_count("联系电话是多少")
    assert asks_count("电话会议开了多少次") and asks_count("要建多少座加氢站")
    qv = _qv("该联系哪个处室？电话多少？", kinds=("org",))
    assert _ok(qv, "联系人：环境和资源综合利用处邓涵联系电话：028-86268703；")


def test_a_hotline_or_a_document_number_asked_is_no_count():
    # b18's 29 (2022年能源工作指导意见) states its hotline in a sentence; b16's 271 a plan's 文号 in a list of documents
    assert not asks_count("能源监管投诉举报热线是多少") and not asks_count("覆盖哪几年，文号是多少？")
    assert asks_count("热线今年接到多少件投诉")  # a count of what the line received is still a count
    qv = _qv("能源监管投诉举报热线是多少", words=("能源", "监管", "投诉", "举报"))
    assert _ok(qv, "充分发挥12398能源监管热线作用，畅通互联网等投诉举报新途径，及时研究解决人民群众反映的突出问题。")


def test_a_change_of_a_share_in_percentage_points_answers_how_much_it_changes():
    # b19's 166 (龙岩市全国林业改革发展综合试点实施方案): the share's yearly fall in 百分点, as the asked-rate form reads it
    qv = _qv("马尾松林分面积占比每年要下降多少", words=("马尾松", "面积", "每年"))
    assert _ok(qv, "到2025年，马尾松林分面积占比每年下降1个百分点以上。")
    assert not _ok(qv, "到2025年，马尾松林分面积每年减少5万亩。")  # an area, no share


def test_a_term_split_by_its_alias_parenthesis_is_read_whole():
    # b18's 582 (贵州省…公共机构…促进碳达峰实施方案): 二氧化碳排放（以下简称“碳排放"）总量 states 碳排放总量
    q = "贵州全省公共机构到2025年能源消费总量和碳排放总量分别控制在多少以内？"
    words = ("全省", "公共机构", "能源", "消费", "总量", "碳排放总量", "控制")
    qv = _qv(q, words=words)
    title = "贵州省深入开展公共机构绿色低碳引领行动促进碳达峰实施方案"
    s = ("到2025年，全省公共机构用能结构持续优化，用能效率持续提升，年度能源消费总量控制在101万吨标准煤以内，"
         "二氧化碳排放（以下简称“碳排放\"）总量控制在277万吨以内。")
    assert carries_asked(qv, s, M, [list(words)], title, s, title)
    near = "到2025年，全省公共机构用能结构持续优化，年度能源消费总量控制在101万吨标准煤以内。"  # one of the two only
    assert not carries_asked(qv, near, M, [list(words)], title, near, title)


def test_a_count_without_classifier_answers_a_count_of_that_noun():
    # formal Chinese: 15部门共同研究制定 (514 北京绿色社区), 从6方面谋划 (370 云南任务清单)
    qv = _qv("实施方案是由几个部门联合制定的")
    assert _ok(qv, "市住房城乡建设委、市发展改革委等15部门共同研究制定了实施方案。")
    qv = _qv("要推广多少辆新能源汽车", words=("新能源汽车",))
    assert not _ok(qv, "新能源汽车新车销售量占比达到25%左右。")
    assert _ok(qv, "累计推广新能源汽车1.5万辆。")


def test_a_share_of_the_asked_money_answers_how_much_of_it():
    # 122 黄埔区绿色低碳发展办法: repayment of a grant stated as a share of it
    qv = _qv("不满一年就停止运营，要退多少补贴", words=("补贴",))
    assert _ok(qv, "（1）未满一年退出正常运行的，退还100%补贴资金；")
    qv = _qv("没有按期完成配额清缴会被罚多少钱", words=("配额",))
    assert not _ok(qv, "在配额清缴工作中设定配额履约缺口上限，其值为履约排放量的10%。")


def test_a_penalty_for_listed_acts_is_about_the_acts_it_lists():
    # 58 天津碳达峰碳中和促进条例 第七十四条: the offence is in the items after the penalty
    unit = ("第七十四条违反本条例规定，重点排放单位有下列行为之一的，由市生态环境部门责令改正，处二万元以上二十万元以下罚款；"
            "拒不改正的，由市生态环境部门依照法律、行政法规责令停产整治：\n（一）虚报、瞒报温室气体排放报告的；\n"
            "（二）未按照规定编制并报送温室气体排放报告的；\n（三）拒绝履行温室气体排放报告义务的。")
    lead = "第七十四条违反本条例规定，重点排放单位有下列行为之一的，由市生态环境部门责令改正，处二万元以上二十万元以下罚款；"
    qv = _qv("重点排放单位没有按规定编制报送温室气体排放报告，会被罚多少", words=("重点排放单位", "温室气体", "排放报告"))
    assert _ok(qv, lead, unit)
    assert not _ok(qv, lead)  # without its items the clause names none of the asked terms


def test_the_rest_of_a_two_part_answer_fills_the_slots_of_the_part_it_completes():
    class _A:
        matcher = M
    d = Decider(_A())
    # 认定 is a topic word here (县的认定), not a question about an organisation: the 70% sentence completes it
    q = "云南2022年要有多少党政机关建成节约型机关？节水型社会达标建设要完成多少个县的认定？"
    assert d._slots_of(q, ["党政机关", "节约型机关"]) == ["amount"]
    # the part still open asks when; 多长 is the other part's question word, no topic
    q = "《广东省碳普惠交易管理办法》什么时候开始施行？有效期多长？"
    assert d._slots_of(q, ["开始", "施行", "多长"]) == ["date"]
    assert d._slots_of("建设多少座加氢站", ["加氢站"]) == ["amount"]


def test_a_classification_asked_is_answered_by_a_sentence_stating_the_classes():
    from answer.intents import ASKS_CLASSES
    from answer.text import STATES_CLASSES
    for q in ("第三方机构分哪几类", "试点分成哪几类", "服务评价结果分几档", "项目分为哪几类", "有哪些类型的项目"):
        assert ASKS_CLASSES.search(q), q
    assert not ASKS_CLASSES.search("哪几个部门负责") and not ASKS_CLASSES.search("有哪些要求")
    # 487 浙江林业固碳增汇, 282 苏州征集通知, 377 安徽第三方机构办法: each states its classes so
    for s in ("试点分为林业增汇试点县和林业碳汇先行基地两大类（简称“试点县”“先行基地”）。",
              "本次征集项目类型分前沿基础研究、关键核心技术攻关、重大科技示范、重大创新载体建设等四类。",
              "评价结果按“优秀”“良好”“合格”“不合格”四档次分级，一并向社会公开。"):
        assert STATES_CLASSES.search(s), s
    assert not STATES_CLASSES.search("于2021年11月10日前将项目需求征集汇总，集中报送苏州市科技局农社处。")


def test_a_consequence_asked_prefers_a_sentence_stating_one_and_never_refuses():
    mdl = A.model()
    qv = A.QuestionView(words=("央企", "碳达峰", "碳中和"), terms=frozenset(), kinds=("penalty",), years=(),
                        scope_absent=False, question="央企没完成碳达峰碳中和目标会有什么后果")

    def cand(sentence, rank):
        x = A.features(qv, M, sentence=sentence, unit_title="加强考核约束", doc_title="关于推进中央企业做好碳达峰碳中和工作的指导意见",
                       before="", rank=rank, rel_score=1.0, vector=None, retrieved=True, structured=False)
        return A.Candidate("d", 1, sentence, x=x, prob=mdl.prob(x))
    # 11 国资委指导意见 八、（三）: the reward sentence ranks first, the consequence second
    reward = cand("国资委将碳达峰、碳中和工作纳入中央企业考核评价体系，对工作成效突出的企业予以表彰奖励。", 0)
    penalty = cand("对落实党中央、国务院决策部署不力、未完成目标的企业实行通报批评和约谈，对造成严重不良影响的，严肃追责问责。", 1)
    got = Decider._states_consequence(qv, reward, [reward, penalty], False, mdl)
    assert got in (reward, penalty)
    assert (got is penalty) == (mdl.answerable(penalty, reward.prob, False) >= mdl.threshold)
    # The same fitted model at either end of its threshold: the consequence replaces the reward when the decision
    # rates it answerable, and the reward stands (no refusal) when it does not — whatever the committed threshold is.
    lenient, strict = copy.copy(mdl), copy.copy(mdl)
    lenient.threshold, strict.threshold = 0.0, 1.01
    assert Decider._states_consequence(qv, reward, [reward, penalty], False, lenient) is penalty
    assert Decider._states_consequence(qv, reward, [reward, penalty], False, strict) is reward
    ineligible = A.Candidate("d", 1, penalty.sentence, x=penalty.x, prob=penalty.prob, eligible=False)
    assert Decider._states_consequence(qv, reward, [reward, ineligible], False, lenient) is reward
    assert Decider._states_consequence(qv, penalty, [reward, penalty], False, mdl) is penalty
    other = A.QuestionView(words=qv.words, terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                           question="央企碳达峰目标是多少")
    assert Decider._states_consequence(other, reward, [reward, penalty], False, mdl) is reward


def test_persons_counted_in_chinese_numerals_are_an_amount():
    # 375 深圳核查机构备案条件: 具有十名以上…专职核查员，其中至少有两名…三年以上
    from answer.text import HAS_AMOUNT
    assert A.carries("amount", "3.具有十名以上经市市场监管部门备案的专职核查员，其中至少有两名从事碳核查业务三年以上。")
    assert HAS_AMOUNT.search("配备三位专职人员") and not HAS_AMOUNT.search("第十四条林业碳票由市级林业主管部门建立信息发布平台")


def test_the_asked_sum_must_be_a_figure_of_the_asked_subject():
    # b9 422 攀枝花“十四五”生态环境保护规划, 第一章第三节 (a review of the past): the sum is of 蓝天保卫战, the steel
    # plants' clause gives tonnes; the sentence carries a sum and the asked terms, but not in one figure's clause
    qv = _qv("攀枝花对完成超低排放改造的钢铁企业给多少财政补贴", words=("超低排放", "改造", "钢铁", "财政补贴"))
    review = ("蓝天保卫战成效明显，累计投入资金13.9亿元，持续淘汰落后产能，关停燃煤发电小机组，推动实施钢铁超低排放改造，"
              "挥发性有机物重点工程减排0.3476万吨。")
    assert not _ok(qv, review)
    # the same sum in the clause of the asked subject answers
    assert _ok(qv, "对完成超低排放改造的钢铁企业，给予财政补贴500万元。")


def test_a_goal_is_not_answered_from_a_review_of_the_past():
    # 562 四川省“十四五”可再生能源发展规划, 一、（四）面临形势: a national goal quoted as background, with its own year
    from answer.eligible import goal_fits, year_fits

    class Situation:
        title = "（四）面临形势"
        path = ["一、发展基础和面临形势"]
        text = "我国承诺2030年前力争实现碳达峰，国家明确2030年全国风电和太阳能发电总装机容量达到12亿千瓦以上。"

    class Goals(Situation):
        title = "（三）发展目标"
        path = ["三、发展目标"]

    class D:
        title = "四川省“十四五”可再生能源发展规划"

    def qv(question, years=()):
        return A.QuestionView(words=("装机",), terms=frozenset(), kinds=("amount",), years=tuple(map(str, years)),
                              scope_absent=False, due_years=tuple(years), question=question)
    goal = qv("四川可再生能源规划里，到2030年水电装机目标是多少", (2030,))
    assert not goal_fits(goal, Situation) and not year_fits(goal, D, Situation, Situation.text)
    assert year_fits(goal, D, Goals, Goals.text)
    # the past asked (截至2020年底, “十三五”期间) is answered from the review; a question asking no goal too
    assert goal_fits(qv("截至2020年底，四川可再生能源装机容量是多少"), Situation)
    assert goal_fits(qv("“十三五”期间新增装机多少，“十四五”目标是多少"), Situation)
    assert goal_fits(qv("四川可再生能源装机容量是多少"), Situation)


def test_a_price_or_fee_asked_needs_money():
    # a price is money per unit: 电价/价格/收费标准/费用 asked with 多少 need a sum in 元 (ASKS_MONEY)
    from answer.asks import ASKS_MONEY
    for q in ("新能源汽车充电桩的电价是多少", "林业碳票每吨的最低交易价格是多少", "核证报告的收费标准是多少",
              "每家企业的核查费用标准是多少钱", "组件生产成本的单价为多少"):
        assert ASKS_MONEY.search(q), q
    for q in ("降碳产品的价格由哪个部门监督管理", "价格参考什么来定", "评价指标有多少个"):
        assert not ASKS_MONEY.search(q), q
    # the money noun a few characters before 多少, or a fee right after it (dev 562, b14 395 and 70, b12 57 and 577)
    for q in ("四川对分布式光伏项目的度电补贴标准是多少", "降碳产品每吨的交易价格定的是多少", "需要向交易机构交多少手续费",
              "开立登记账户要交多少开户费", "罚款标准是多少", "中央财政科技经费每年安排多少"):
        assert ASKS_MONEY.search(q), q
    # 消费, 税费 and 评价 hold no sum asked; a count of what is subsidised is a count
    for q in ("非化石能源消费比重要到多少", "一共梳理了多少项税费优惠政策", "分局审核评价要达到多少分", "补贴的企业有多少家"):
        assert not ASKS_MONEY.search(q), q
    qv = _qv("降碳产品每吨的交易价格定的是多少", words=("降碳产品", "交易价格"))
    assert not _ok(qv, "原则上新改扩建项目按照年核发排放量的1%一次性购买降碳产品，交易价格由市场决定。")
    assert _ok(qv, "降碳产品交易价格为30元/吨。")
    # 122 黄埔区绿色低碳发展办法: a rate in 元 per kWh answers; a share does not
    qv = _qv("分布式光伏发电的补贴标准是多少", words=("分布式光伏",))
    assert _ok(qv, "（一）对分布式光伏发电的项目投资方按照发电量给予补贴，补贴标准为0.15元/千瓦时。")
    qv = _qv("分布式光伏发电的上网电价是多少", words=("分布式光伏",))
    assert not _ok(qv, "分布式光伏发电量占比达到20%。")


def test_a_figure_for_the_conditions_stated_above_is_about_them():
    # 405 上海市2020年碳排放配额分配方案 附件2: the table's conditions are the sentence before it (上述条件)
    unit = ("一、对于基于排放效率分配的企业，前三年各类产品碳排放强度（单位产量碳排放、单位业务量碳排放等）持续下降的，对于基于"
            "历史排放法分配的企业，前三年碳排放量持续下降的，按表3中相关参数确定企业直接发放配额。\n"
            "表3直接发放配额相关参数（适用于满足上述条件的企业）分类含碳能源排放比例（a）直接发放配额工业企业*a≥75%企业年度基础配额×94%"
            "50%≤a<75%企业年度基础配额×96%\n二、对于其它企业，按表4中相关参数确定企业直接发放配额。\n"
            "表4直接发放配额相关参数（适用于其他企业）分类含碳能源排放比例（a）直接发放配额工业企业*a≥75%企业年度基础配额×93%")
    q = "上海一家工业企业，含碳能源排放比例在75%以上，前三年碳排放强度持续下降，直接发放配额按基础配额的多少比例给？"
    qv = _qv(q, words=tuple(M.content_words(q)))
    table3 = unit.split("\n")[1]
    table4 = unit.split("\n")[3]
    assert _ok(qv, table3, unit)
    assert not _ok(qv, table3)  # without its unit the conditions are nowhere
    assert not _ok(qv, table4, unit)  # the other table refers to nothing above: not about those conditions


def test_a_policy_term_of_the_documents_title_frames_every_figure_of_it():
    # 121 杭州市科创领域碳达峰行动方案 (b11 121-11): 碳达峰 asked, the figure's clause says 关键核心技术5-10项 of the plan's
    # own subject; the unit's title is not read so (a heading may group siblings)
    qv = _qv("碳达峰技术攻关要重点突破哪些领域的关键核心技术，突破多少项？",
             words=("碳达峰", "技术", "攻关", "重点", "突破", "关键", "核心技术"))
    s = "瞄准世界前沿，强化零碳、低碳、负碳技术攻关，重点突破可再生能源、储能、氢能、碳捕集利用与封存（以下简称“CCUS”）、生态碳汇等领域关键核心技术5-10项。"
    parts = [list(qv.words)]
    assert not carries_asked(qv, s, M, parts, "主要目标", "")
    assert not carries_asked(qv, s, M, parts, "碳达峰主要目标", "")  # a unit title naming it does not count
    assert carries_asked(qv, s, M, parts, "主要目标杭州市科创领域碳达峰行动方案", "", "杭州市科创领域碳达峰行动方案")
    # the title frames the clause, it does not make a clause about another figure about the asked one
    qv = _qv("海上风电装机要达到多少万千瓦？", words=("海上风电", "装机"))
    assert not carries_asked(qv, "光伏发电装机达到500万千瓦。", M, [list(qv.words)], "", "", "四川省可再生能源发展规划")


def test_the_title_frames_a_clause_only_when_the_sentence_states_the_rest_of_the_question():
    # 493 山东省钢铁行业…温室气体排放环境影响评价技术指南 (b15 493-12): 溴素 asked, another product's row quoted
    q = "山东新建溴素项目，温室气体排放绩效Ⅰ级和Ⅱ级参考值分别是多少？"
    qv = _qv(q, words=M.content_words(q))
    s = "Ⅱ级0.74注：1参考值适用于山东省内依据本指南核算方法计算得出的温室气体排放绩效值。"
    assert not carries_asked(qv, s, M, [list(qv.words)], "", "", "山东省钢铁行业建设项目温室气体排放环境影响评价技术指南")
