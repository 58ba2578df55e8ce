"""Which papers an application hands in (issue 12, support24): a support field read by construction
(knowledge/support_materials.py) and the chat's answer for "需要提交哪些材料" (answer/support_materials.py)."""
from __future__ import annotations

import pytest

from knowledge.support_materials import statements
from tests.conftest import corpus_dc_file, doc_titled as _doc_id, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 162 毕节林业碳票 (第十条 应当提供登记申请表，…: one sentence), 175 重庆碳惠通 (第十三条 …提交以下材料： and its list),
    # 309 深圳绿色低碳产业扶持计划 (support items; 五、申报材料 cut one paper per unit)
    yield from service_of(tmp_path_factory, "materials", [corpus_dc_file(n) for n in ("162", "175", "309")])


def _quoted(ans) -> bool:
    return bool(ans.citations) and all(c.quote in c.unit_text for c in ans.citations)


def test_the_three_constructions_on_written_text():
    lead = "第九条申报单位需提交如下材料：\n（一）申报表；\n（二）自评报告；\n（三）佐证材料。\n第十条其他。"
    assert statements(lead) == [("第九条申报单位需提交如下材料：\n（一）申报表；\n（二）自评报告；\n（三）佐证材料。", True)]
    one = "申请制发碳票，应当提供登记申请表，申请人身份证复印件。"
    assert statements(one) == [(one, False)]
    # a unit under a heading of papers is the list itself
    assert statements("（二）项目实施方案原件；", path=["附件1", "五、申报材料"]) == [("（二）项目实施方案原件；", True)]
    # a plan's report duty, papers under review and a sentence without a verb of handing in are no papers asked for
    assert statements("各区每年12月底前报送工作总结报告。") == []
    assert statements("委托第三方专业机构，对申报项目的资金等材料进行评审。") == []
    assert statements("申报单位对申报材料的真实性负责。") == []


def test_items_carry_the_papers_of_their_notice(svc):
    doc = svc.catalog.documents[_doc_id(svc, "绿色低碳产业扶持计划")]
    assert doc.support_items
    for it in doc.support_items:
        papers = [f for f in it.materials if f.document_wide]
        assert any("项目实施方案原件" in f.sentence for f in papers)
        assert all(any(f.sentence in u.text for u in doc.units()) for f in it.materials)


def test_papers_named_in_one_sentence(svc):
    ans = svc.ask("申请制发林业碳票需要准备哪些材料？", doc=_doc_id(svc, "林业碳票"))
    assert ans.route == "support" and not ans.refused and _quoted(ans)
    assert "登记申请表" in ans.answer and "碳减排量证书" in ans.answer


def test_a_lead_and_its_list_quoted_whole(svc):
    ans = svc.ask("申请碳惠通项目备案要向市生态环境局交哪些材料？", doc=_doc_id(svc, "碳惠通"))
    assert ans.route == "support" and _quoted(ans)
    assert "（五）项目设计文件" in ans.citations[0].quote and "（六）项目审定报告" in ans.citations[0].quote


def test_a_list_cut_one_paper_per_unit_is_answered_whole(svc):
    ans = svc.ask("申请深圳绿色低碳产业扶持计划需要提交哪些材料？", doc=_doc_id(svc, "绿色低碳产业扶持计划"))
    assert ans.route == "support" and _quoted(ans)
    assert "项目实施方案原件" in ans.answer and "完税证明" in ans.answer


def test_not_taken_for_other_asks_nor_over_the_whole_library(svc):
    from answer.support import answer_support, support_intent
    from answer.support_materials import answer_materials
    from retrieval.scope import Scope

    docs = list(svc.catalog.documents.values())
    assert support_intent("申请制发林业碳票需要准备哪些材料？") == "materials"
    assert support_intent("建设碳普惠体系计划出台什么文件？") is None  # nothing handed in
    # an office asked besides: the ordinary routes answer both
    assert answer_materials("向谁申请碳票，要交什么材料？", docs, cite=None) is None
    assert answer_support("申请制发林业碳票需要准备哪些材料？", "materials", [], None, Scope(None, {}), docs) is None
