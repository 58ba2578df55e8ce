"""answer.text helpers of the blind-set work: a title named without 《》 is not the question's topic, and a
sentence that introduces a list is quoted with its items."""
from __future__ import annotations

import pytest

from answer.evidence import TopicMatcher
from answer.text import with_body, with_enumeration
from answer.title_reference import without_title_reference

TITLES = ["四川省“十四五”可再生能源发展规划", "中共中央办公厅、国务院办公厅印发《关于推动城乡建设绿色发展的意见》"]


@pytest.fixture(scope="module")
def matcher():
    return TopicMatcher()


@pytest.mark.parametrize("question,kept,gone", [
    ("按四川可再生能源规划，到2025年水风光装机和占比预计是多少？", "水风光装机", "可再生能源"),
    ("在保护乡村风貌方面，城乡建设绿色发展意见提出了哪几个“不”？", "乡村风貌", "城乡建设"),
])
def test_a_title_named_without_brackets_leaves_the_question(matcher, question, kept, gone):
    q = without_title_reference(question, TITLES, matcher.content_words, matcher.present)
    assert kept in q and gone not in q


def test_a_question_that_names_no_title_is_kept(matcher):
    q = "四川对分布式光伏项目的度电补贴标准是多少？"  # 四川 is in a title, but nothing here names a policy
    assert without_title_reference(q, TITLES, matcher.content_words, matcher.present) == q
    q = "哪些场所支持推广分布式光伏的措施？"  # ends in a kind of document, but its words are no title's
    assert without_title_reference(q, TITLES, matcher.content_words, matcher.present) == q


UNIT = ("第十条江西省林业碳汇项目及碳汇量申报登记材料如下：\n（一）登记申请表；\n（二）项目业主的法人统一社会信用代码证；\n"
        "（三）林权证明文件；\n第十一条其他事项另行规定。")


def test_a_sentence_that_introduces_a_list_is_quoted_with_its_items():
    quote = with_enumeration(UNIT, "第十条江西省林业碳汇项目及碳汇量申报登记材料如下：\n（一）登记申请表；")
    assert quote.endswith("（三）林权证明文件；") and quote in UNIT
    assert "第十一条" not in quote


def test_other_quotes_are_kept_as_they_are():
    assert with_enumeration(UNIT, "（三）林权证明文件；") == "（三）林权证明文件；"  # the last item
    text = "到2025年，达到5%；力争6%。"
    assert with_enumeration(text, "到2025年，达到5%；") == "到2025年，达到5%；"
    assert with_enumeration(text, "not in text") == "not in text"


def test_the_items_stop_at_the_limit():
    items = "".join(f"\n（{n}）第{n}项材料的名称与份数要求；" for n in "一二三四五六七八九十")
    text = "申报材料如下：" + items
    quote = with_enumeration(text, "申报材料如下：", limit=40)
    assert quote in text and len(quote) <= len("申报材料如下：") + 40 + 1


# Headings with their bodies, as the documents write them (住房和城乡建设部《“十四五”建筑节能与绿色建筑发展规划》,
# 北京市绿色社区创建行动实施方案, 城市绿色货运配送示范工程管理办法).
PLAN = ("（注：表中指标均为预期性指标）\n2.具体目标。到2025年，完成既有建筑节能改造面积3.5亿平方米以上，"
        "建设超低能耗、近零能耗建筑0.5亿平方米以上。\n三、重点任务")


def test_a_quote_ending_in_a_bare_heading_takes_the_sentence_it_heads():
    quote = with_body(PLAN, "（注：表中指标均为预期性指标）\n2.具体目标。")
    assert quote.endswith("0.5亿平方米以上。") and quote in PLAN
    assert "三、" not in quote
    # with_enumeration reads a quote so completed
    assert with_enumeration(PLAN, "（注：表中指标均为预期性指标）\n2.具体目标。") == quote
    text = "（一）强化组织领导\n建立全市绿色社区创建行动部门协作机制。\n（二）加强宣传"
    assert with_body(text, "（一）强化组织领导") == "（一）强化组织领导\n建立全市绿色社区创建行动部门协作机制。"


def test_a_list_item_or_a_sentence_is_no_heading():
    text = "材料如下：\n（七）林业碳汇收益分配协议；\n（八）第三方审核机构出具的审核报告。\n第十一条其他事项另行规定。"
    # the last item of a list, closed by 。 on its own line, heads nothing
    assert with_body(text, "（八）第三方审核机构出具的审核报告。") == "（八）第三方审核机构出具的审核报告。"
    assert with_body(text, "（七）林业碳汇收益分配协议；") == "（七）林业碳汇收益分配协议；"
    assert with_body(PLAN, "到2025年，完成既有建筑节能改造面积3.5亿平方米以上，") == "到2025年，完成既有建筑节能改造面积3.5亿平方米以上，"
    # a heading followed by the next heading has no body to take
    assert with_body("（一）城市自评。（二）部级验收。交通运输部组织验收。", "（一）城市自评。") == "（一）城市自评。"


def test_clauses_are_not_cut_inside_brackets():
    from answer.text import clause_with, split_clauses

    s = "1.1纳入全国碳市场履约的发电行业14家重点排放单位（简称“重点排放单位”，名单见附件1）；1.2其他行业8家报告单位。"
    assert split_clauses(s) == ["1.1纳入全国碳市场履约的发电行业14家重点排放单位（简称“重点排放单位”，名单见附件1）；",
                                "1.2其他行业8家报告单位。"]
    assert clause_with(s, "14家").endswith("名单见附件1）；")
    # a bracket that never closes (a quote cut inside it): every mark cuts
    assert split_clauses("到2025年，达到14家（简称，名单") == ["到2025年，", "达到14家（简称，", "名单"]
    assert split_clauses("甲，乙；丙") == ["甲，", "乙；", "丙"]


def test_a_provision_cut_at_a_semicolon_is_quoted_to_its_full_stop():
    from answer.text import whole_provision

    text = ("第十九条有关机构及其工作人员，违反本办法规定，由其上级主管部门责令改正并通报批评；情节严重的，依法给予处分；"
            "涉嫌犯罪的，移送司法机关。\n第二十条本办法自印发之日起施行。")
    clause = "第十九条有关机构及其工作人员，违反本办法规定，由其上级主管部门责令改正并通报批评；"
    whole = whole_provision(text, clause)
    assert whole.endswith("移送司法机关。") and "给予处分" in whole and whole in text
    assert whole_provision(text, "第二十条本办法自印发之日起施行。") == "第二十条本办法自印发之日起施行。"
    assert whole_provision(text, clause, limit=40) == clause  # too long to be one quote
    assert whole_provision("甲；\n乙。", "甲；") == "甲；"  # the rest is on another line: another item
