"""Issue 10, answers on documents nobody tuned for (the blind batches b11 and b12): a front-matter question asking
two fields in one clause gets both; a document issued jointly names every body signed over its date; approximate
counts (30余条) are figures; a figure after a semicolon is not about the clause before it; a run-in item title
(低碳零碳钢铁。研发…) is quoted with its body; several due years asked get a target each. Real PDFs of corpus-dc (dev
documents 121, 295 and 577), real ingest, encoder, jieba, store."""
from __future__ import annotations

import pytest

from answer.bureau_answers import JOINT_ISSUER
from answer.eligible import _own_contexts
from answer.intents import ASKS_SEVERAL_ISSUERS
from answer.text import HAS_AMOUNT, with_body
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


def test_approximate_counts_are_amounts():
    # 数词+余/多+量词 (b12's 89: 等30余条省级管道; b11's 121 states 5-10项, a range read before)
    for text, figure in (("重点建设井开区支线、赣州南支线等30余条省级管道", "30余条"), ("培育100多个示范项目", "100多个"),
                         ("建成十余项标准", "十余项")):
        assert [m.group(0) for m in HAS_AMOUNT.finditer(text)] == [figure]
    # an ordinal or 许多 counts nothing
    assert not HAS_AMOUNT.search("第3余条") and not HAS_AMOUNT.search("许多个")


def test_a_figure_after_a_semicolon_is_not_about_the_clause_before():
    # b12's 223: the 20% is the base stations', the renewable share is only 明显提升
    s = "全省数据中心电能利用效率（PUE）普遍不超过1.5，整体利用率和可再生能源利用率明显提升；5G基站能效提升20%以上。"
    contexts = _own_contexts(s)
    assert "5G基站能效提升20%以上。" in contexts
    assert not any("可再生能源" in c for c in contexts)
    # a comma leaves the year and subject of the clause before in force
    assert _own_contexts("到2025年，风电装机达到200万千瓦。") == ["到2025年，风电装机达到200万千瓦。"]


def test_a_run_in_item_title_is_quoted_with_its_body():
    text = "专栏2低碳零碳工业流程再造技术\n低碳零碳钢铁。研发全废钢电炉流程集成优化技术、富氢或纯氢气体冶炼技术。\n低碳零碳水泥。研发低钙水泥熟料技术。"
    quote = with_body(text, "专栏2低碳零碳工业流程再造技术\n低碳零碳钢铁。")
    assert quote.endswith("富氢或纯氢气体冶炼技术。") and quote in text
    # a short sentence closing its line has no body to add
    assert with_body("一、总体要求\n加强组织领导。\n二、", "一、总体要求\n加强组织领导。") == "一、总体要求\n加强组织领导。"


def test_the_cues_of_a_joint_issue():
    assert JOINT_ISSUER.search("福建省生态环境厅等八部门") and JOINT_ISSUER.search("两部门")
    assert not JOINT_ISSUER.search("杭州市科学技术局")
    assert ASKS_SEVERAL_ISSUERS.search("是哪几个部门联合印发的") and ASKS_SEVERAL_ISSUERS.search("是哪两个部门发的")
    assert not ASKS_SEVERAL_ISSUERS.search("是哪个部门印发的")


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "unseen_b12", [corpus_dc_file(n) for n in ("121", "295", "577")])


def test_a_clause_asking_issuer_and_date_gets_both(svc):
    ans = svc.ask("《杭州市科创领域碳达峰行动方案》是哪个部门在哪天印发的？", doc=_doc(svc, "杭州市科创领域"))
    assert not ans.refused and "杭州市科学技术局" in ans.answer and "2021年9月24日" in ans.answer
    ans = svc.ask("科技部等九部门印发《科技支撑碳达峰碳中和实施方案（2022-2030年）》的文号和日期是什么？",
                  doc=_doc(svc, "科技支撑"))
    assert "国科发社〔2022〕157号" in ans.answer and "2022年6月24日" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_a_joint_issue_names_every_body_signed(svc):
    ans = svc.ask("福建这个大型活动和会议碳中和方案是哪些部门联合印发的？", doc=_doc(svc, "大型活动"))
    assert not ans.refused
    for body in ("福建省生态环境厅", "福建省发展和改革委员会", "福建省妇女联合会"):
        assert body in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
    ans = svc.ask("《科技支撑碳达峰碳中和实施方案（2022—2030年）》是哪几个部门共同制定的？", doc=_doc(svc, "科技支撑"))
    assert "国家发展改革委" in ans.answer and "国家能源局" in ans.answer


def test_several_due_years_get_a_target_each(svc):
    ans = svc.ask("CCUS技术方面，单位二氧化碳捕集能耗到2025年、2030年分别要比2020年下降多少？", doc=_doc(svc, "科技支撑"))
    assert not ans.refused and "20%" in ans.answer and "30%" in ans.answer


def test_a_run_in_title_in_a_box_answers_with_its_technologies(svc):
    ans = svc.ask("钢铁行业低碳零碳流程再造要研发哪些技术？", doc=_doc(svc, "科技支撑"))
    assert "全废钢电炉流程集成优化技术" in ans.answer and "富氢或纯氢气体冶炼技术" in ans.answer

