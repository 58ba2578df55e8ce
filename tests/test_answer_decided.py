"""Issue 10 (answers, scoped): what a question asks is what its evidence must state, and a handler's choice that is
not read from the knowledge store goes through the answer-or-refuse decision (answer.decide). Real PDFs of
corpus-dc (dev documents), real ingest, encoder, jieba and store."""
from __future__ import annotations

import re

import pytest

from answer import asks as A
from answer import intents as I
from answer.text import with_enumeration
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


# -- the question's cues ----------------------------------------------------------------------------------------
def test_a_count_asked_with_ji_and_a_classifier_needs_that_classifier():
    assert A.ASKS_COUNT.search("至少要有几名专职核查人员？")
    assert A.ASKS_CLASSIFIER.search("至少要有几名专职核查人员？").group(1) == "名"
    assert A.ASKS_CLASSIFIER.search("一共有多少家？").group(1) == "家"
    # 哪几 lists, 好几/十几 say "several": no count is asked
    for q in ("提出了哪几个“不”？", "企业有好几项产品进了名单，最多补多少？", "十几个部门参与"):
        m = A.ASKS_CLASSIFIER.search(q)
        assert m is None, q
    assert A.ASKS_COUNT.search("哪几条") is None


def test_jie_zhi_asks_an_actions_deadline_not_the_documents_expiry():
    fields = dict(A.DATE_FIELDS)
    assert not fields["expires"].search("试点申报截止日期是哪天？")
    assert fields["expires"].search("这个办法的有效期是多久？")


def test_a_sentence_pointing_forward_is_quoted_with_its_items():
    text = ("核查机构存在下列行为之一的，纳入本市核查工作黑名单，有效期为五年。\n（一）从事与核查工作有利益冲突的活动的；\n"
            "（二）出具虚假、不实核查报告的。\n第十二条其他。")
    quote = with_enumeration(text, "核查机构存在下列行为之一的，纳入本市核查工作黑名单，有效期为五年。")
    assert quote.endswith("（二）出具虚假、不实核查报告的。") and quote in text
    # 以下 (at most; 以下简称) points nowhere: the quote stays as it is
    plain = "处二十万元以下罚款。\n（一）甲；"
    assert with_enumeration(plain, "处二十万元以下罚款。") == "处二十万元以下罚款。"



def test_the_formula_introducing_the_whole_document_is_no_list():
    # 现提出如下实施意见。 closes a preamble: the headings after it are the document, not items of the sentence
    text = ("为加快推进绿色低碳发展，现提出如下实施意见。\n一、总体要求\n（一）指导思想。坚持稳中求进。\n"
            "二、重点任务\n")
    first = "为加快推进绿色低碳发展，现提出如下实施意见。"
    assert with_enumeration(text, first) == first
    notice = "现将有关事项通知如下：\n一、申报条件\n（一）在本省注册的企业；\n（二）近三年无重大事故。"
    assert with_enumeration(notice, "现将有关事项通知如下：") == "现将有关事项通知如下："
    # a list introduced by 提出如下 with no kind of document after it (要求) is still quoted with its items
    demands = "对重点排放单位提出如下要求：\n（一）按时报送排放报告；\n（二）按时清缴配额。\n第五条其他。"
    assert with_enumeration(demands, "对重点排放单位提出如下要求：").endswith("（二）按时清缴配额。")
    materials = "第九条申报单位需提交如下材料：\n（一）申报表；\n（二）自查表。"
    assert with_enumeration(materials, "第九条申报单位需提交如下材料：").endswith("（二）自查表。")


def test_date_question_words_and_year_phrases_are_no_topic_words():
    from answer.evidence import TopicMatcher

    m = TopicMatcher()
    assert m.content_words("是哪天发的？") == []  # jieba glued 天发 before
    assert "比到" not in m.content_words("武汉钢铁行业铁钢比到2025年要降到多少？")
    assert "内在" not in m.content_words("核查人员如果几年内在被核查企业工作过，就不能派去核查？")
    assert m.content_words("几月份报送") == ["报送"]


def test_a_four_digit_amount_is_no_year():
    from answer.evidence import TopicMatcher

    m = TopicMatcher()
    # 不低于2050元: an amount (a unit of money follows), not 于2050 cut out as a year leaving 不低 as a topic word
    words = m.content_words("月收入不低于2050元的职工可以申请吗？")
    assert "不低" not in words and "2050元" in words
    assert "2030万千瓦" in m.content_words("海上风电装机达到2030万千瓦")
    # a year stays a year, with or without 年, with its preposition and time word
    assert m.content_words("到2030年底前完成改造") == m.content_words("完成改造")
    assert m.content_words("比2020年下降多少") == m.content_words("下降多少")
    # the year of an annual round goes out whole: no 度 glued to the next word (度省)
    assert not any(w.startswith("度") for w in m.content_words("2021年度省碳排放报告什么时候报送？"))


# -- on the documents --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 554 上海市碳排放核查第三方机构管理暂行办法（修订版）: 第十一条 …黑名单，有效期为五年 and its list of acts;
    # 306 陕西省碳排放权交易管理实施细则（试行）: no count of listed units, no 有效期 stated;
    # 377 安徽…第三方机构管理暂行办法: 第九条（六）…不得使用3年之内…的核查人员, no number of staff.
    # 31 氢能产业发展中长期规划（2021-2035年）: states no issuer nor date of issue.
    yield from service_of(tmp_path_factory, "decided", [corpus_dc_file(n) for n in ("554", "306", "377", "31")])


def test_a_blacklisting_validity_is_not_the_documents(svc):
    ans = svc.ask("考评不合格的核查机构会被怎么处理？黑名单有效期多久？", doc=_doc(svc, "上海"))
    assert not ans.refused
    assert "纳入本市核查工作黑名单，有效期为五年" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_the_acts_listed_after_xia_lie_are_quoted(svc):
    ans = svc.ask("上海核查机构有哪些行为会被直接纳入核查工作黑名单？", doc=_doc(svc, "上海"))
    assert not ans.refused
    assert "出具虚假、不实核查报告" in ans.answer and "利益冲突" in ans.answer


def test_a_count_the_document_does_not_state_is_refused(svc):
    doc = _doc(svc, "陕西")
    ans = svc.ask("陕西省目前纳入名录的重点排放单位一共有多少家？", doc=doc)
    assert ans.refused and ans.route == "count"
    assert svc.ask("陕西省碳排放权交易管理实施细则（试行）的有效期是几年？", doc=doc).refused


def test_a_count_of_persons_needs_a_number_of_persons(svc):
    doc = _doc(svc, "安徽")
    assert svc.ask("在安徽从事温室气体核查的机构至少要有几名专职核查人员？", doc=doc).refused
    ans = svc.ask("核查人员如果几年内在被核查企业工作过，就不能派去核查这家企业？", doc=doc)
    assert not ans.refused and "3年之内" in ans.answer


def test_the_documents_validity_is_the_one_it_states_of_itself(svc):
    # 554's front matter took 有效期五年 from the blacklisting of 第十一条; 第十三条 says 本办法…有效期三年
    ans = svc.ask("《上海市碳排放核查第三方机构管理暂行办法（修订版）》什么时候施行，有效期多长？", doc=_doc(svc, "上海"))
    assert not ans.refused
    assert "有效期三年" in ans.answer and "有效期五年" not in ans.answer


def test_a_who_question_falling_through_to_the_general_handler_is_decided(svc):
    ans = svc.ask("《氢能产业发展中长期规划（2021-2035年）》是哪个部门、哪天印发的？", doc=_doc(svc, "氢能"))
    assert ans.refused and ans.route == "bureau"


def test_a_when_question_is_answered_only_by_a_time(svc):
    # 377 第五条: 可通过政府购买服务的方式公开择优确定核查机构 — how, with no time said
    ans = svc.ask("安徽生态环境主管部门什么时候通过政府购买服务确定核查机构？", doc=_doc(svc, "安徽"))
    assert ans.refused
    assert ans.citations and all(c.quote in c.unit_text for c in ans.citations)
    # a moment relative to an event is a time: 本办法自发布之日起施行 stays the answer
    ans = svc.ask("安徽这份核查机构管理暂行办法什么时候开始施行？", doc=_doc(svc, "安徽"))
    assert not ans.refused and "自发布之日起施行" in ans.answer


def test_time_expressions_beyond_dates_state_when():
    from answer.answerability import carries
    from answer.text import STATES_WHEN

    def states(s):
        return carries("date", s) or STATES_WHEN.search(s) is not None

    for s in ("本办法自发布之日起施行。", "石油消费“十五五”时期进入峰值平台期。", "并于5月发布年度地质灾害防治方案。",
              "每季度首月12日前报送。", "2025年底前全部实施循环化改造。", "项目实施期间按季度报送进展。",
              # a five-year plan's part (473's sentence): 终期, 末 date a goal as 时期 does
              "提高垃圾焚烧比例，到“十四五”终期实现全市生活垃圾零填埋的目标。", "到“十四五”末基本建成。"):
        assert states(s), s
    for s in ("本年度拟立项项目将在科技厅网站进行公示，未立项项目不再另行通知。", "省生态环境厅定期公开重点排放单位名录。",
              "编制生态环境保护“十四五”规划。"):
        assert not states(s), s
    assert A.ASKS_WHEN.search("拟立项名单什么时候公示？") and not A.ASKS_WHEN.search("有效期是几年？")


def test_the_signature_date_and_a_date_noun_ask_the_documents_issue(svc):
    # 落款日期 is the date over the signature (成文日期); 日期 names the asked slot, not another thing's date
    assert any(k == "issued" and p.search("落款日期是哪天") for k, p in A.DATE_FIELDS)
    doc = next(d for d in svc.documents() if "上海" in d.title)
    for q in ("《上海市碳排放核查第三方机构管理暂行办法（修订版）》的落款日期是哪天？",
              "《上海市碳排放核查第三方机构管理暂行办法（修订版）》的印发日期是哪天？"):
        ans = svc.ask(q, doc=doc.doc_id)
        assert not ans.refused and "印发于" in ans.answer, ans.answer
        assert all(c.quote in c.unit_text for c in ans.citations)


def test_front_matter_fields_asked_together_are_each_answered(svc):
    # each front-matter field has its own handler: the number answers 文号, the dates the day of issue
    doc = next(d for d in svc.documents() if "上海" in d.title)
    ans = svc.ask("《上海市碳排放核查第三方机构管理暂行办法（修订版）》是哪天印发的，文号是多少？", doc=doc.doc_id)
    assert not ans.refused and "文号是" in ans.answer and "印发于" in ans.answer, ans.answer
    assert [int(n) for n in re.findall(r"\[(\d+)\]", ans.answer)] == list(range(1, len(ans.citations) + 1))
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_a_course_of_action_asked_is_no_figure_question():
    # 规模, 目标 state the case when the question asks what to do; a figure word still asks a figure
    assert I.route_kind(I.Cues("项目建设过程中调整了规模和工艺，导致碳排放比原来多了，该怎么办？")) != I.TARGET
    assert I.route_kind(I.Cues("对没有完成碳达峰碳中和目标任务的地区和部门会怎么处理？")) != I.TARGET
    assert I.route_kind(I.Cues("规模以上工业企业单位增加值能耗要下降多少？")) == I.TARGET


@pytest.fixture(scope="module")
def svc_375(tmp_path_factory):
    # 375 深圳市市场监督管理局…备案的通知: its own number 深市监【2022】37号 in 【】, a cited 《深圳市机构改革方案》
    # （深发〔2019〕2号） after it
    yield from service_of(tmp_path_factory, "number", [corpus_dc_file("375")])


def test_the_document_number_is_the_front_matters_in_any_brackets(svc_375):
    doc = next(iter(svc_375.documents()))
    ans = svc_375.ask(f"《{doc.title}》的文号是什么？", doc=doc.doc_id)
    assert not ans.refused and "深市监【2022】37号" in ans.answer and "深发" not in ans.answer, ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_a_list_cut_after_its_head_is_quoted_from_its_lead(svc_375):
    # 375 二、（一）: …由其所在的核查机构统一提交，包括：1.核查员备案申请表（见附件1）；2.身份证扫描件…; the best sentence
    # was item 2 and its run of items, without the lead and item 1
    doc = next(iter(svc_375.documents()))
    ans = svc_375.ask("深圳碳排放核查员首次备案要准备哪些材料？", doc=doc.doc_id)
    assert not ans.refused and "核查员备案申请表" in ans.answer and "身份证扫描件" in ans.answer, ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
    # a single item answers for itself; a run of items is completed from its lead
    text = "第十七条有下列情形之一的，取消其称号：\n（一）因环境问题被曝光的；\n（二）受到处罚的；\n（三）复查抽查得分在80分以下的。"
    assert with_enumeration(text, "（三）复查抽查得分在80分以下的。") == "（三）复查抽查得分在80分以下的。"
    assert with_enumeration(text, "（二）受到处罚的；") == text
