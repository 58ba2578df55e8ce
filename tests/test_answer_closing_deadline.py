"""A "when" question whose quoted sentence belongs to a group of a work list closed by a bracket of labelled fields
(…完成发电企业碳排放配额分配…。督促企业…（责任部门：气候处，完成期限：2021年四季度）): the bracket's deadline holds for every
sentence of the group, so the answer adds the sentence carrying it instead of refusing (answer.parts.closing_deadline,
answer.asked_form.when_stated)."""
from __future__ import annotations

import pytest

from answer.parts import closing_deadline
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of

# 549 黑龙江 关于2021-2023年度推动碳达峰、碳中和工作滚动实施方案 （十一）, as stored (two groups, two brackets).
UNIT = ("（十一）做好碳市场监管。开展纳入全国碳交易市场的八大行业重点排放企业碳排放监测、报告和核查工作。根据国家碳排放权总量设定"
        "与重点行业配额分配方案，完成发电企业碳排放配额分配，组织企业参加全国碳排放权交易。督促企业按时完成配额清缴履约工作（责任部门："
        "气候处，完成期限：2021年四季度）。加强可再生能源、甲烷利用、林业碳汇等项目储备，建立低碳发展项目库。研究建立碳普惠机制，会同省"
        "碳排放权交易中心推进碳普惠及碳汇交易平台建设（责任部门：气候处，完成期限：2023年）。")


def test_the_bracket_closing_the_group_dates_each_sentence_of_it():
    s = "根据国家碳排放权总量设定与重点行业配额分配方案，完成发电企业碳排放配额分配，组织企业参加全国碳排放权交易。"
    carrier, due = closing_deadline(UNIT, s)
    assert due == "2021年四季度" and carrier.startswith("督促企业按时完成配额清缴履约工作")
    # a sentence of the second group is dated by the second bracket, not the first
    assert closing_deadline(UNIT, "加强可再生能源、甲烷利用、林业碳汇等项目储备，建立低碳发展项目库。")[1] == "2023年"


def test_no_bracket_or_a_bracket_without_a_deadline_dates_nothing():
    assert closing_deadline("开展碳排放监测工作。督促企业履约。", "开展碳排放监测工作。") is None
    assert closing_deadline("开展碳排放监测工作。督促企业履约（责任部门：气候处）。", "开展碳排放监测工作。") is None
    assert closing_deadline(UNIT, "不在本单元中的句子。") is None


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "deadline", [corpus_dc_file("549"), corpus_dc_file("46")])


def test_a_when_question_is_answered_with_the_groups_deadline(svc):
    doc = _doc(svc, "滚动实施方案")
    ans = svc.ask("发电企业的碳排放配额分配最晚什么时候完成？", doc=doc)
    assert not ans.refused
    assert "完成发电企业碳排放配额分配" in ans.answer and "2021年四季度" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_a_time_only_another_document_states_does_not_date_the_lead_one(svc):
    # b14 46 (no scope): 鼓励龙头企业在…新疆等中西部地区建设化纤纺织全产业链一体化基地 quoted from the 化纤 guideline, "另据"
    # a dated sentence of another document — the lead document states no time, so the when-question is refused
    from dataclasses import replace

    from answer.asked_form import when_stated
    from answer.decide import Decider
    from answer.extractive import ExtractiveAnswerer
    from answer.types import Answer

    dec = Decider(ExtractiveAnswerer(svc.catalog, svc.matcher).ctx)
    fibre = svc.catalog.documents[_doc(svc, "化纤")]
    m = next(u for u in fibre.units() if "一体化基地" in u.text)
    s = next(x.strip() for x in m.text.split("。") if "一体化基地" in x) + "。"
    work = svc.catalog.documents[_doc(svc, "滚动实施方案")]
    m11 = next(u for u in work.units() if "加强可再生能源、甲烷利用、林业碳汇等项目储备" in u.text)
    dated = dec.a.cite(work, m11, "加强可再生能源、甲烷利用、林业碳汇等项目储备，建立低碳发展项目库。", 0.8)
    q = "在新疆建化纤一体化基地的项目，申报截止时间是什么时候？"
    qv = dec.view(q, None)
    ans = Answer(question=q, answer="…[1]另据…[2]", refused=False, citations=[dec.a.cite(fibre, m, s, 0.9), dated])
    assert when_stated(dec.a, q, qv, ans).refused
    # led by the dated document, its group's bracket (完成期限：2023年) answers
    led = when_stated(dec.a, q, qv, replace(ans, citations=[dated, ans.citations[0]]))
    assert not led.refused and "2023年" in led.answer


def test_the_unit_named_for_a_sentence_is_the_same_in_every_process(svc):
    # 549 （九）: 组织编制省级温室气体排放清单…; its units 气候处 and 环科院 have one length, and the bureau handler took the
    # first in a set's order, which changes with the process's hash seed (由气候处负责 in one run, 由环科院负责 in the next):
    # now the first the unit lists
    doc = _doc(svc, "滚动实施方案")
    m = next(u for u in svc.catalog.documents[doc].units() if "组织编制省级温室气体排放清单" in u.text)
    ans = svc.ask("黑龙江省级温室气体排放清单由谁负责编制？", doc=doc)
    assert not ans.refused and ans.citations[0].seq == m.seq
    tied = list(dict.fromkeys(b.name for b in m.bureaus if len(b.name) == 3 and b.name in ans.citations[0].quote))
    assert tied[:2] == ["气候处", "环科院"] and "由气候处负责" in ans.answer
