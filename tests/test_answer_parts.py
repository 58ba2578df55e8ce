"""An answer states every part asked (answer.parts): the pure helpers with the real topic matcher, and two-part
questions asked of real policy PDFs through the service."""
from __future__ import annotations

import pytest

from answer.evidence import TopicMatcher
from answer.parts import _with_previous, clauses, coordinated, figure_contexts, fine_kinds_missing, states_part
from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def matcher():
    return TopicMatcher()


def test_clauses_cut_at_question_marks():
    assert clauses("在某区投资分布式光伏，每千瓦时补多少钱？能补几年？") == ["在某区投资分布式光伏，每千瓦时补多少钱", "能补几年"]


def test_a_span_of_time_asked_and_not_quoted_is_missing():
    missing = fine_kinds_missing("每千瓦时补多少钱？能补几年？", ["补贴标准为0.15元/千瓦时。"])
    assert [k for k, _, _ in missing] == ["span"]
    assert missing[0][2] == "能补几年"
    assert fine_kinds_missing("每千瓦时补多少钱？能补几年？", ["补贴标准为0.15元/千瓦时，补贴5年。"]) == []


def test_coordinated_parts_keep_the_words_only_each_names(matcher):
    words = matcher.content_words("县区林业部门初审和省林业局复审分别要在多少个工作日内完成？")
    parts = coordinated("县区林业部门初审和省林业局复审分别要在多少个工作日内完成？", words, matcher)
    assert len(parts) == 2
    assert "初审" in parts[0] and "复审" not in parts[0]
    assert "复审" in parts[1] and "初审" not in parts[1]
    # A part named only by its year.
    years = coordinated("2030年前和2060年前的阶段目标分别是什么？", matcher.content_words("阶段目标"), matcher)
    assert years == [("2030年前",), ("2060年前",)]
    assert coordinated("初审要在多少个工作日内完成？", words, matcher) == []


def test_a_part_counts_as_stated_only_in_the_clause_of_a_figure(matcher):
    sentence = "县区林业主管部门在收到材料起20个工作日内，根据相关方法学进行初审，审核后报省林业局复审。"
    assert figure_contexts(sentence) == ["县区林业主管部门在收到材料起20个工作日内，"]
    assert states_part(("县区", "初审"), sentence, matcher)  # 县区 is named in the clause of the figure
    assert states_part(("省林业局", "复审"), sentence, matcher) is False  # named two clauses after it
    assert states_part(("省林业局", "复审"), "省林业局收到材料起10个工作日内完成项目合规性复审。", matcher)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    yield from service_of(tmp_path_factory, "parts", [corpus_dc_file("162"), corpus_dc_file("238")])


@pytest.mark.parametrize("title_word,question,parts", [
    # two questions in one: 质押 (不得转让) and 抵消 (注销)
    ("林业碳票", "林业碳票拿去质押以后还能转让吗？抵消了碳排放以后要怎么处理？", ("不得转让", "注销")),
    # two coordinated years, each with its own goal
    ("财政支持", "财政支持双碳工作，2030年前和2060年前分别要实现什么？", ("2030年前", "2060年前")),
])
def test_each_part_asked_is_answered(library, title_word, question, parts):
    doc = next(d.doc_id for d in library.documents() if title_word in d.title)
    ans = library.ask(question, doc=doc)
    assert not ans.refused
    assert all(p in ans.answer for p in parts)
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_the_clauses_of_a_quote_that_can_be_shown_alone():
    from answer.parts import _clauses_of

    quote = "推动储能技术应用，新增集中式风电、光伏发电项目原则上应配套建设一定比例储能设施，力争储能装机规模达到50万千瓦。"
    assert _clauses_of(quote) == ["推动储能技术应用", "新增集中式风电、光伏发电项目原则上应配套建设一定比例储能设施",
                                  "力争储能装机规模达到50万千瓦"]


def test_a_target_answer_keeps_the_documents_words_for_its_year():
    from answer.targets import _year_phrase

    assert _year_phrase("2025年底前，全市建筑垃圾综合利用率达到90%。", 2025) == "2025年底前"
    assert _year_phrase("力争到2025年，全国完成既有居住建筑节能改造面积超过1亿平方米。", 2025) == "力争到2025年"
    # A clause that states more than the year is not a year phrase: the answer says 到2025年 instead.
    assert _year_phrase("2025年全市新增装机100万千瓦。", 2025) is None
    assert _year_phrase("到2030年，非化石能源消费比重达到25%。", 2025) is None


# Sentences as the documents write them (武汉市推动降碳及发展低碳产业工作方案; a list of conditions).
UNIT = ("到2025年，非化石能源占比达到20%以上。（责任单位：市发改委）\n3.重点推动氢能示范应用。大力引进和培育制氢产业，"
        "着力培养氢能产业集群。\n申报单位应当符合下列条件：\n（三）依法纳税；\n（四）通过年度节能目标责任考核。")


def test_a_heading_is_never_the_sentence_added_for_a_missing_part():
    sentences = [s for _, s in _with_previous(UNIT)]
    assert not any(s.endswith("3.重点推动氢能示范应用。") for s in sentences)
    assert "大力引进和培育制氢产业，着力培养氢能产业集群。" in sentences
    # a list's last item closed by 。 states a condition: it stays
    assert any(s.endswith("（四）通过年度节能目标责任考核。") for s in sentences)


def test_only_a_question_word_makes_a_slot_the_added_sentence_must_fill(matcher):
    from answer.parts import _states_asked, slot_kinds

    # 审核 is a topic verb here, not a question for an organisation; 会受到什么处理 asks a consequence
    assert slot_kinds("第三方机构没按规定审核、情节严重的，会受到什么处理") == []
    assert slot_kinds("由哪个部门审核") == ["org"]
    assert slot_kinds("补贴多少？什么时候截止？") == ["amount", "date"]
    assert slot_kinds("哪家企业打造首个零碳工厂") == []  # a firm: no organisation pattern states one
    clauses_ = ["第三方机构没按规定审核、情节严重的，会受到什么处理"]
    assert _states_asked("情节严重", "情节严重的，3年内不得参与有关活动；", clauses_, matcher)
    # a slot asked with a question word still has to be filled
    assert not _states_asked("审核", "情节严重的，3年内不得参与有关活动；", ["由哪个部门审核"], matcher)
    assert _states_asked("审核", "由省生态环境厅审核。", ["由哪个部门审核"], matcher)


def test_a_figure_given_in_a_table_row_and_in_a_sentence_is_quoted_from_the_sentence():
    from types import SimpleNamespace

    from answer.targets import _prose_over_table
    from knowledge.model import Target

    doc = SimpleNamespace(doc_id="d")
    row = Target(2025, "PM2.5年均浓度", "", "40", "微克/立方米", "PM2.5年均浓度（微克/立方米）51 40约束性")
    prose = Target(2025, "PM2.5年均浓度", "降至", "40", "微克/立方米", "到2025年，PM2.5年均浓度降至40微克/立方米。")
    other = Target(2025, "优良天数比例", "", "80", "%", "优良天数比例（%）72 80约束性")
    fitting = [(1.0, 1.0, doc, None, row, row.text), (0.9, 1.0, doc, None, prose, prose.text),
               (0.5, 0.5, doc, None, other, other.text)]
    kept = [f[4] for f in _prose_over_table(fitting)]
    assert kept == [prose, other]  # a row no sentence states in words stays


def test_a_clause_the_quotes_leave_unanswered_is_open(matcher):
    from answer.parts import answers_clause, open_clauses

    q = "企业对分配的碳排放配额有异议，多少天内可以申请复核？省里多久作出复核决定？"
    words = matcher.content_words(q)
    quote = "省生态环境厅应当自接到复核申请之日起十个工作日内，作出复核决定。"
    opened = open_clauses(q, words, [quote], matcher)
    assert len(opened) == 1 and "配额" in opened[0][1] and "复核" not in opened[0][2]
    first = "重点排放单位对分配的碳排放配额有异议的，可以自接到通知之日起七个工作日内，向省生态环境厅申请复核；"
    assert answers_clause(*opened[0], first, matcher)
    assert not answers_clause(*opened[0], "碳排放配额按年度分配。", matcher)  # no span of days
    assert open_clauses(q, words, [quote, first], matcher) == []
    # one question: its sentence is the decision's to choose
    assert open_clauses("多少天内可以申请复核？", words, ["碳排放配额按年度分配。"], matcher) == []


@pytest.fixture(scope="module")
def grants(tmp_path_factory):
    # 309 深圳绿色低碳产业扶持计划申请指南: each kind of project (产业链关键环节提升, 公共服务, 高端展会) has its own ceiling;
    # 122 黄埔区促进绿色低碳发展办法: a rate per kWh, and how long it is paid in the sentence after it.
    yield from service_of(tmp_path_factory, "grants", [corpus_dc_file("309"), corpus_dc_file("122")])


def test_two_kinds_asked_together_are_each_answered_with_their_own_ceiling(grants):
    # 附件1 三、（二）: 1.产业链关键环节提升项目 …不超过1000万元; 2. 公共服务：…最高不超过300万元 — one field asked of two
    # coordinated kinds of project is answered for each, each cited in its unit.
    doc = next(d.doc_id for d in grants.documents() if "绿色低碳产业扶持计划" in d.title)
    ans = grants.ask("产业链关键环节提升项目和公共服务项目的资助上限分别是多少？", doc=doc)
    assert ans.route == "support" and not ans.refused
    assert "1000万元" in ans.answer and "300万元" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_the_sentence_after_a_quote_is_read_with_it_for_the_asked_span(grants):
    # 单个项目最高享受补贴时间为5年 names no word of the question: its subject (分布式光伏 …按照发电量给予补贴) is the
    # quoted sentence just before it, so it fills the span 能补几年 asks for.
    doc = next(d.doc_id for d in grants.documents() if "黄埔" in d.title)
    ans = grants.ask("在黄埔区建分布式光伏，每千瓦时补多少钱？能补几年？", doc=doc)
    assert not ans.refused and "0.15元/千瓦时" in ans.answer and "5年" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
