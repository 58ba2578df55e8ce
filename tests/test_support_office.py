"""Where an application goes and which office handles it, asked in the chat (issue 12: "where to apply and which
office handles it"; "Chat uses the same fields"): answered from the item's office field, else from its call's
deadline sentence when that names where the papers are sent; and an application's papers handed in asked without
a word of support (材料最晚什么时候交). Real PDFs of two open dev calls: 209 (安徽 推荐…先进适用技术, 于…前报送安徽省
发展改革委) and 229 (河南 能碳管理示范企业, 于…前报送我厅（节能与综合利用处）)."""
from __future__ import annotations

import pytest

from answer.support import support_intent
from answer.support_fields import FIELDS, office_sentence
from knowledge.support_items import Field, SupportItem
from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "office", [corpus_dc_file(n) for n in ("209", "229")])


def _quoted(ans) -> bool:
    return bool(ans.citations) and all(c.quote in c.unit_text for c in ans.citations)


@pytest.mark.parametrize("question, intent", [
    ("申报材料要报送到哪个部门？", "office"),
    ("申请书交给谁？", "office"),
    ("这项补贴向哪里申请？", "office"),
    ("补贴由哪个单位受理？", "office"),
    ("书面材料交到哪里？", "office"),
    ("材料最晚什么时候交？", "window"),  # papers handed in: about applying without a word of support
    ("申报什么时候截止？", "window"),
    ("需要满足什么条件才能申报？", "conditions"),
    # the document requiring a channel (要求…通过什么平台报送) asks no office, window or condition of an applicant
    ("通知要求电子版材料通过什么平台报送？", None),
    ("示范工程总结报告要报到交通运输部吗？", None),  # 交 of 交通 is no handing in
])
def test_which_field_a_question_asks(question, intent):
    assert support_intent(question) == intent


def test_office_is_the_field_else_the_call_sentence_naming_where_papers_go():
    named = SupportItem(kind="资助", quote="q", office=Field("市工信局", "受理机关：市工信局。"))
    assert office_sentence(named) == "受理机关：市工信局。"
    own = "请于2022年2月16日前将申报表报送我厅（节能与综合利用处）。"
    call = SupportItem(kind="资助", quote=own, window={"sentence": own}, shape="call")
    assert office_sentence(call) == own and FIELDS["office"].carries(call)
    # a dated report duty that names no papers of an application and is no call's: no office
    duty = SupportItem(kind="资助", quote="q", window={"sentence": "各市于每月5日前将月度情况报送我厅。"})
    assert office_sentence(duty) is None and not FIELDS["office"].carries(duty)


def test_every_verb_of_handing_in_reads_an_organ_and_the_issuers_own_office_alike():
    """review24: the verbs have one home (knowledge.support_clauses.HAND_IN). Each names where a call's papers go,
    whether the sentence names an organ (the extraction's office field) or the issuer's own office (我厅)."""
    from knowledge.support_clauses import HAND_IN

    for verb in HAND_IN.split("|"):
        organ = f"请于2022年3月1日前将申报材料{verb}至安徽省发展改革委。"
        own = f"请于2022年2月16日前将申报表{verb}我厅（节能与综合利用处）。"
        for s in (organ, own):
            call = SupportItem(kind="资助", quote=s, window={"sentence": s}, shape="call")
            assert office_sentence(call) == s, s


def test_where_the_papers_of_a_call_go(svc):
    ans = svc.ask("推荐先进适用碳减排技术，申报材料要交到哪个部门？")
    assert ans.route == "support" and not ans.refused and "安徽省发展改革委" in ans.answer and _quoted(ans)


def test_the_issuers_own_office_named_in_the_call_sentence(svc):
    # 229 writes 报送我厅（节能与综合利用处）: no organ's name for the office field, but the sentence says which 处
    ans = svc.ask("河南能碳管理示范企业的申报表报送到哪个处室？")
    assert ans.route == "support" and "节能与综合利用处" in ans.answer and _quoted(ans)


def test_when_the_papers_are_due_asked_without_a_support_word(svc):
    ans = svc.ask("安徽征集先进适用技术，技术报告等材料最晚什么时候交？")
    assert ans.route == "support" and "2022年3月27日" in ans.answer and _quoted(ans)
