"""The calibrated answer-or-refuse decision (answer.answerability, answer.decide) and the vocabulary's
provenance rules. Pure: no service, no index."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from answer import answerability as A
from answer.decide import Decider
from answer.evidence import TopicMatcher
from retrieval.vocabulary import SYNONYMS_FILE, QueryExpander

ROOT = Path(__file__).resolve().parent.parent


def test_model_file_matches_the_features_and_says_how_it_was_fitted():
    d = json.loads(A.MODEL_PATH.read_text(encoding="utf-8"))
    assert d["features"] == list(A.FEATURES)
    assert len(d["coef"]) == len(A.FEATURES)
    names = d.get("decision_features", list(A.DECISION_NAMES))  # a subset chosen by cross-validation
    assert set(names) <= set(A.DECISION_NAMES) and len(d["decision_coef"]) == len(names)
    assert 0 < d["threshold"] < 1
    fitted = d["fitted"]
    assert fitted["split"] == "dev" and "eval.fit_answerability" in fitted["how"]
    assert A.model().fitted


def test_asked_kinds_and_what_a_sentence_carries():
    assert "amount" in A.asked_kinds("单个项目最多能支持多少万元？")
    assert "date" in A.asked_kinds("申报截止时间是什么时候？")
    assert "org" in A.asked_kinds("这项工作由哪个部门负责？")
    assert "penalty" in A.asked_kinds("违反规定会受到什么处罚？")
    assert A.carries("amount", "单个项目支持金额原则上不超过5000万元")
    assert A.carries("date", "于每月10日前报送")
    assert A.carries("date", "在收到投资计划后20个工作日内分解")
    assert not A.carries("date", "加快推动加氢站等基础设施建设")
    assert A.carries("penalty", "处二万元以上二十万元以下罚款")
    # spans of time in Chinese numerals, as regulations write them
    assert A.carries("date", "可以自接到通知之日起七个工作日内，向省生态环境厅申请复核")
    assert A.carries("amount", "应当自受理之日起十五日内作出决定")


def test_a_refusal_for_a_word_nowhere_in_scope_stands_and_no_other():
    x = [0.0] * len(A.FEATURES)
    assert not A.refusal_stands(True, x) and not A.refusal_stands(False, x)
    x[A.FEATURES.index("scope_absent")] = 1.0
    assert A.refusal_stands(True, x) and not A.refusal_stands(False, x)


def test_a_refusal_for_a_word_nowhere_in_scope_gives_way_to_a_sentence_lacking_only_such_words():
    """Four asked words, one never used in scope (房地产 of 房地产企业…新建居民小区…充电桩): a candidate lacking just that
    one may be decided on; one lacking another word as well (光伏 unused, 装机 missing) may not."""
    cov, unused = A.FEATURES.index("cov_full"), A.FEATURES.index("scope_unused")
    x = [0.0] * len(A.FEATURES)
    x[A.FEATURES.index("scope_absent")], x[unused] = 1.0, 0.25
    x[cov] = 0.75  # one word of four missing: the unused one
    assert not A.refusal_stands(True, x)
    x[cov] = 0.5  # two missing: the unused one and a word the scope uses
    assert A.refusal_stands(True, x) and not A.refusal_stands(False, x)
    x[unused], x[cov] = 0.5, 0.5  # 地铁 of 地铁建设: the unused word is half the question, the asked thing itself
    assert A.refusal_stands(True, x)


def test_gold_match_labels_by_passage_or_by_every_required_fact():
    gold = "到2025年，全市单位地区生产总值能源消耗比2020年下降14.5%"
    assert A.gold_match("到2025年，全市单位地区生产总值能源消耗比2020年下降14.5%，能源消费总量得到合理控制。", gold)
    assert not A.gold_match("加强组织领导，压实各方责任。", gold)
    assert A.gold_match("其他表述，但给出了14.5%。", "", ["14.5%"])




def _decider():
    class _A:
        matcher = TopicMatcher()
    return Decider(_A())


def test_a_figure_for_another_year_is_not_eligible():
    qv = A.QuestionView(words=("可再生能源",), terms=frozenset(), kinds=("amount",), years=("2035",),
                        scope_absent=False, due_years=(2035,), question="到2035年可再生能源装机目标是多少")

    class M:
        title = "能源"
        path = ["二、主要目标"]  # a unit's headings (answer.eligible.goal_fits reads them)
        text = "到2030年，全市可再生能源发电装机超1000万千瓦。"

    class D:
        title = "某市方案"
    assert not Decider._year_fits(qv, D, M, M.text)
    qv2 = A.QuestionView(words=(), terms=frozenset(), kinds=(), years=("2030",), scope_absent=False,
                         due_years=(2030,), question="")
    assert Decider._year_fits(qv2, D, M, M.text)


def test_how_many_needs_a_figure_and_which_day_needs_a_date():
    d = _decider()
    qv = A.QuestionView(words=("加氢站",), terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                        question="连云港计划建设多少座加氢站")
    assert not d._carries_asked(qv, "大力发展氢能，加快推动加氢站等基础设施建设。")
    assert d._carries_asked(qv, "到2025年建成加氢站10座。")
    qv = A.QuestionView(words=(), terms=frozenset(), kinds=("date",), years=(), scope_absent=False,
                        question="这份文件是哪天印发的")
    assert not d._carries_asked(qv, "本办法由市发展改革委负责解释。")


def test_features_have_one_value_per_name():
    m = TopicMatcher()
    qv = A.QuestionView(words=("光伏",), terms=frozenset({"光伏"}), kinds=("amount",), years=(),
                        scope_absent=False, question="光伏补贴多少")
    x = A.features(qv, m, sentence="对分布式光伏按发电量给予0.15元/千瓦时补贴。", unit_title="扶持", doc_title="办法",
                   before="", rank=0, rel_score=1.0, vector=0.5, retrieved=True, structured=False)
    assert len(x) == len(A.FEATURES)
    assert A.model().prob(x) > 0


@pytest.mark.parametrize("form,official", [("发电量", "发电装机"), ("新能源", "可再生能源")])
def test_wrong_synonyms_are_gone(form, official):
    assert (form, official) not in QueryExpander().pairs


def test_entries_copied_from_single_questions_are_gone():
    text = "\n".join(ln for ln in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines() if not ln.startswith("#"))
    for w in ("攒积分", "换东西", "楼顶", "走路", "要装"):
        assert w not in text
    from knowledge.extract import INDUSTRY_WORDS
    assert "火锅" not in INDUSTRY_WORDS and "烧烤" not in INDUSTRY_WORDS


def test_every_synonym_block_says_where_it_comes_from():
    lines = SYNONYMS_FILE.read_text(encoding="utf-8").splitlines()
    source = False
    for ln in lines:
        if ln.startswith("# ["):
            source = True
        elif "=" in ln and not ln.startswith("#"):
            assert source, f"entry before any provenance block: {ln}"


def test_an_article_number_or_a_batch_is_no_amount():
    from answer.text import HAS_AMOUNT
    assert not HAS_AMOUNT.search("第十四条林业碳票由市级林业主管部门建立信息发布平台")
    assert not HAS_AMOUNT.search("建成一批超低能耗农房试点示范项目")
    assert HAS_AMOUNT.search("打造十大应用场景") and HAS_AMOUNT.search("新增三个示范区")


def test_a_calendar_day_or_an_expiry_needs_evidence_of_that_kind():
    d = _decider()
    qv = A.QuestionView(words=(), terms=frozenset(), kinds=("date",), years=(), scope_absent=False,
                        question="专项每年申报截止日期是几月几号")
    assert not d._carries_asked(qv, "本办法从印发之日起施行，有效期5年。")
    assert d._carries_asked(qv, "申报材料于每年6月30日前报送。")
    qv = A.QuestionView(words=(), terms=frozenset(), kinds=("date",), years=(), scope_absent=False,
                        question="实施意见的有效期到什么时候")
    assert not d._carries_asked(qv, "本意见自2022年8月5日起施行。")
    assert d._carries_asked(qv, "本意见自2022年8月5日起施行，有效期至2025年12月31日。")


def test_a_sentence_listing_siblings_of_the_asked_item_is_flagged():
    m = TopicMatcher()
    qv = A.QuestionView(words=("二氧化硫", "减排量"), terms=frozenset(), kinds=("amount",), years=(),
                        scope_absent=False, question="二氧化硫重点工程减排量目标是多少")
    s = "化学需氧量、氨氮、氮氧化物、挥发性有机物等主要污染物重点工程减排量分别达到1.6万吨、0.04万吨。"
    x = A.features(qv, m, sentence=s, unit_title="主要目标", doc_title="方案", before="", rank=0, rel_score=1.0,
                   vector=None, retrieved=True, structured=False)
    assert x[A.FEATURES.index("missing_beside_list")] == 1.0
    qv = A.QuestionView(words=("氨氮", "减排量"), terms=frozenset(), kinds=("amount",), years=(),
                        scope_absent=False, question="氨氮重点工程减排量目标是多少")
    x = A.features(qv, m, sentence=s, unit_title="主要目标", doc_title="方案", before="", rank=0, rel_score=1.0,
                   vector=None, retrieved=True, structured=False)
    assert x[A.FEATURES.index("missing_beside_list")] == 0.0


def test_a_sum_of_money_or_a_unit_asked_needs_it_in_the_evidence():
    d = _decider()
    qv = A.QuestionView(words=("配额",), terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                        question="没有按期完成配额清缴会被罚多少钱")
    assert not d._carries_asked(qv, "在配额清缴工作中设定配额履约缺口上限，其值为履约排放量的10%。")
    assert d._carries_asked(qv, "未按期完成配额清缴的，处二万元以上五万元以下罚款。")
    qv = A.QuestionView(words=("光伏",), terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                        question="光伏装机要达到多少万千瓦")
    assert not d._carries_asked(qv, "光伏建筑一体化应用面积达到50万平方米。")
    assert d._carries_asked(qv, "光伏发电装机达到560万千瓦。")


def test_a_span_of_time_is_a_figure_and_a_share_needs_a_share():
    assert A.carries("amount", "文件资料归档保存，保存期30年。") and A.carries("amount", "15个工作日内完成复审")
    assert not A.carries("amount", "到2025年底前完成") and not A.carries("amount", "自2015年7月1日起")
    d = _decider()
    qv = A.QuestionView(words=("拨付",), terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                        question="资金分几期拨付各期比例多少")
    assert not d._carries_asked(qv, "申报单位应当在收到核准文件之日起15日内办理资金拨付手续。")
    assert d._carries_asked(qv, "资金分两期拨付，首期拨付60%。")


def test_a_missing_or_stale_model_stops_with_the_refit_command(tmp_path):
    """No silent fallback to the unfitted prior: a missing model, or one fitted for other features, is a ConfigError
    that names the refit command."""
    import json

    import pytest

    from errors import ConfigError

    with pytest.raises(ConfigError, match="fit_answerability"):
        A.AnswerabilityModel.load(tmp_path / "missing.json")
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({"features": ["coverage"], "coef": [1.0], "threshold": 0.5}), encoding="utf-8")
    with pytest.raises(ConfigError, match="other features"):
        A.AnswerabilityModel.load(stale)


def test_the_decision_weighs_the_same_options_and_margins_at_fit_and_at_use():
    """answer.decide and eval.fit_answerability both take the options and their runner-ups from
    decision_options: the handler's quote first when it ranks within the slack of the best eligible sentence, then
    that sentence; an ineligible candidate is never an option, but it is a rival (a near miss)."""
    from eval.fit_answerability import _options

    probs, eligible, structured = [0.9, 0.7, 0.65, 0.2], [False, True, True, True], [False, False, True, False]
    opts = A.decision_options(probs, eligible, structured, first_answered=True)
    assert opts == [(2, 0.9), (1, 0.9)]  # 0.9 is ineligible: no option, but the runner-up of both
    assert A.decision_options(probs, eligible, structured, first_answered=False) == [(1, 0.9)]
    assert A.runner_up([0.4], 0) == 0.0
    assert A.decision_options(probs, [False] * 4, structured, first_answered=True) == []
    rec = {"eligible": eligible, "structured": structured, "first_refused": False}
    import numpy as np
    assert _options(rec, np.array(probs)) == opts
    cands = [A.Candidate("d", i, f"s{i}", prob=p, eligible=e, structured=st)
             for i, (p, e, st) in enumerate(zip(probs, eligible, structured))]
    assert A.choose(cands, True) is cands[2] and A.choose(cands, False) is cands[1]
    # The ranker's second choice weighed too (ranked=2): the next eligible sentence, after the first options;
    # the handler's quote is not weighed twice, and the model file says how many were weighed at fit.
    assert A.decision_options(probs, eligible, structured, True, ranked=2) == [(2, 0.9), (1, 0.9)]
    assert A.decision_options(probs, eligible, structured, False, ranked=2) == [(1, 0.9), (2, 0.9)]
    assert A.decision_options(probs, eligible, structured, False, ranked=3) == [(1, 0.9), (2, 0.9), (3, 0.9)]
    assert _options(rec, np.array(probs), 2) == A.decision_options(probs, eligible, structured, True, ranked=2)
    assert A.model().ranked == A.model().meta.get("ranked_options", 1)


def test_the_decision_reads_only_the_features_it_was_fitted_on(tmp_path):
    names = ("bias", "prob", "margin")
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"features": list(A.FEATURES), "coef": [0.0] * len(A.FEATURES), "threshold": 0.5,
                                "decision_features": list(names), "decision_coef": [-1.0, 4.0, 2.0]}), encoding="utf-8")
    m = A.AnswerabilityModel.load(path)
    c = A.Candidate("d", 1, "s", x=[1.0] + [0.0] * (len(A.FEATURES) - 1), prob=0.5)  # x[0] is the bias
    assert m.answerable(c, 0.25, False) == pytest.approx(A._sigmoid(-1.0 + 4.0 * 0.5 + 2.0 * 0.25))
    path.write_text(json.dumps({"features": list(A.FEATURES), "coef": [0.0] * len(A.FEATURES), "threshold": 0.5,
                                "decision_features": ["bias", "no such"], "decision_coef": [1.0, 1.0]}), encoding="utf-8")
    from errors import ConfigError
    with pytest.raises(ConfigError, match="decision"):
        A.AnswerabilityModel.load(path)


def test_the_threshold_balances_false_refusals_against_missed_refusals():
    """Each error as a share of what the contract allows (0.05 false refusals, 0.15 missed refusals); the worse
    one counts, so a threshold that meets one bar by giving up the other loses."""
    from eval.fit_answerability import choose_threshold, cost

    records = ([{"answerable": True, "chosen_right": True}] * 20 + [{"answerable": False}] * 10)
    p = [0.9] * 18 + [0.3, 0.5] + [0.1] * 8 + [0.4, 0.6]
    thr, r = choose_threshold(records, p)
    assert thr == 0.41  # refuses the 0.4 unanswerable one, and with it the 0.3 answerable one
    assert r["false_refusals"] == pytest.approx(0.05) and r["refusal_accuracy"] == pytest.approx(0.9)
    assert cost(r) == pytest.approx(1.0)


def test_a_count_in_a_counting_unit_needs_a_number_in_that_unit():
    d = _decider()
    qv = A.QuestionView(words=("新能源汽车",), terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                        question="十四五期间要推广多少辆新能源汽车")
    assert not d._carries_asked(qv, "新能源汽车新车销售量占比达到25%左右。")
    assert d._carries_asked(qv, "累计推广新能源汽车1.5万辆。")
    # Another clause asks a bare count: a sentence answering that one is not ruled out by the other's unit.
    qv = A.QuestionView(words=("节约型机关", "县"), terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                        question="要有多少党政机关建成节约型机关？要完成多少个县的认定？")
    assert d._carries_asked(qv, "80%以上的县级及以上党政机关建成节约型机关。")
    # 个 is the general classifier: a count in any individual one answers 多少个 (项 here)
    qv = A.QuestionView(words=("评价项目",), terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                        question="第三方机构最多能做多少个评价项目")
    assert d._carries_asked(qv, "第三方机构开展的评价项目总计不得超过15项。")
    assert not d._carries_asked(qv, "第三方机构开展的评价项目应当公开透明。")
    # 多少个百分点 asks a difference of shares in 百分点, not a count: a share alone does not answer it
    qv = A.QuestionView(words=("二氧化碳排放",), terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                        question="单位GDP二氧化碳排放要下降多少个百分点")
    assert not d._carries_asked(qv, "单位GDP二氧化碳排放下降18%。")
    assert d._carries_asked(qv, "单位GDP二氧化碳排放比全国平均水平多下降2个百分点。")


def test_a_span_asked_as_a_count_of_years_or_days_needs_a_span():
    d = _decider()
    qv = A.QuestionView(words=("建设期",), terms=frozenset(), kinds=("amount",), years=(), scope_absent=False,
                        question="近零碳排放园区试点的建设期最长不能超过几年")
    assert not d._carries_asked(qv, "以2020年为基准年，确定近零碳排放园区建设期。")
    assert d._carries_asked(qv, "建设期原则上不超过3年。")
    # 哪几年 asks which years, not how many
    qv = A.QuestionView(words=("规划期",), terms=frozenset(), kinds=("date",), years=(), scope_absent=False,
                        question="这份规划的规划期是哪几年")
    assert d._carries_asked(qv, "规划期为2021—2025年。")


def test_a_coefficient_a_ratio_or_an_electrical_unit_is_an_amount():
    # 市生态环境局关于天津市2021年度碳排放配额安排的通知; 武汉市推动降碳及发展低碳产业工作方案; 电力可靠性管理办法（暂行）
    assert A.carries("amount", "基准年为2019年和2020年单位产品碳排放量较大的年份，控排系数为0.98。")
    assert A.carries("amount", "不断提高废铁炼钢比例，到2025年，铁钢比下降至0.75以下。")
    assert A.carries("amount", "（三）直流输电系统可靠性信息，包括±120千伏及以上电压等级直流输电系统可靠性信息；")
    # an item number, a date written with points, a section number run on: no figure
    assert not A.carries("amount", "1.登录广东政务服务网——深圳市——市工业和信息化局——搜索申报事项名称")
    assert not A.carries("amount", "发布时间：2021.10.15")
    assert not A.carries("amount", "详见3.1.2节的说明")
    # a decimal inside a pollutant's name is no figure (细颗粒物（PM2.5）, as air-quality and climate plans name it)
    assert not A.carries("amount", "推进细颗粒物（PM2.5）和臭氧协同控制。")
    assert A.carries("amount", "PM2.5年均浓度降至40微克/立方米")  # its figure still is one


def test_a_plan_goal_without_a_year_is_due_at_the_end_of_the_plan_period():
    # 德州市“十四五”生态环境保护规划, 专栏二: the goal is stated without a year; the plan's period ends in 2025
    class M:
        title = "应对气候变化重大工程"
        path = ["第六章 积极应对气候变化"]
        text = "（5）推广节能和新能源车辆，加快充电基础设施建设，试点建设5个加氢站；"

    class D:
        title = "德州市“十四五”生态环境保护规划"

    def asked(year):
        return A.QuestionView(words=("加氢站",), terms=frozenset(), kinds=("amount",), years=(str(year),),
                              scope_absent=False, due_years=(year,), question=f"到{year}年德州加氢站要建多少个")
    assert Decider._year_fits(asked(2025), D, M, M.text)
    assert not Decider._year_fits(asked(2030), D, M, M.text)  # another year than the period's end

    class Past(M):
        title = "“十三五”成效"  # a part reviewing the past states no goal of the plan
    assert not Decider._year_fits(asked(2025), D, Past, Past.text)

    class UnderPast(M):  # a unit whose own title is neutral, under a heading that reviews the past (knowledge.extract
        title = "（二）能源结构持续优化"  # reads the unit's path and title the same way)
        path = ["第一章 发展基础"]
    assert not Decider._year_fits(asked(2025), D, UnderPast, UnderPast.text)


def test_each_question_of_a_two_part_question_is_answered_by_a_figure_about_it():
    """…比2005年下降多少？非化石能源消费比重要到多少？ (中共中央、国务院…碳达峰碳中和工作的意见): a figure whose clause
    names one part's policy terms carries an asked amount; the other part is added after the decision. A question
    of one part still needs its policy terms in the figure's clause."""
    d = _decider()
    from knowledge.text import fold

    def view(question):
        return A.QuestionView(words=tuple(d.a.matcher.content_words(question)), terms=frozenset(), kinds=("amount",),
                              years=(), scope_absent=False, question=fold(question))
    two = view("到2030年单位GDP二氧化碳排放要比2005年下降多少？非化石能源消费比重要到多少？")
    assert len(d._asked_parts(two)) == 2
    assert d._carries_asked(two, "单位国内生产总值二氧化碳排放比2005年下降65%以上；")
    assert d._carries_asked(two, "非化石能源消费比重达到25%左右；")
    one = view("到2030年非化石能源消费比重要到多少？")
    assert d._asked_parts(one) == [list(one.words)]
    assert not d._carries_asked(one, "单位国内生产总值二氧化碳排放比2005年下降65%以上；")
    # a second part with no word of its own (…多少钱？能补几年？) is no part of its own
    money = view("装配式建筑每平方米补贴多少钱？能补几年？")
    assert d._asked_parts(money) == [list(money.words)]
