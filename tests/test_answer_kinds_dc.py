"""Question kinds answered on real corpus-dc documents (dev split), through the whole service: a validity stated as a
span from the document's onset, a classification, a two-part question, the head of a group. Real PDFs, store, index and encoder."""
import pytest

from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "kinds", [corpus_dc_file(n) for n in ("117", "377", "451", "139", "475")])


@pytest.mark.slow
def test_a_validity_stated_as_a_span_from_the_onset_is_answered(svc):
    # 117 繁昌区节能降碳若干支持措施 ends: 本办法自印发之日起实施，暂定三年。 — no 有效期, no expiry date
    ans = svc.ask("这套支持措施的有效期多长？", doc=_doc(svc, "繁昌"))
    assert not ans.refused and "暂定三年" in ans.answer
    assert ans.citations[0].quote in ans.citations[0].unit_text


@pytest.mark.slow
def test_a_classification_is_answered_with_the_sentence_stating_the_classes(svc):
    ans = svc.ask("办法所称的第三方机构分为哪几类？", doc=_doc(svc, "第三方机构"))
    assert not ans.refused and "报告机构" in ans.answer and "核查机构" in ans.answer


@pytest.mark.slow
def test_the_second_part_of_a_two_part_figure_question_is_added(svc):
    # 451 德州: 试点建设5个加氢站 (专栏) and 充电桩保有量达到4000个以上 (第四章第二节) are in different units
    ans = svc.ask("到2025年充电桩要建多少个？加氢站要建几个？", doc=_doc(svc, "德州"))
    assert not ans.refused and "4000个" in ans.answer and "5个加氢站" in ans.answer


@pytest.mark.slow
def test_the_addressee_of_an_act_is_answered_with_the_sentence_doing_it(svc):
    # 139 四川近零碳排放园区试点: 向所在市（州）生态环境局、经济和信息化主管部门提出验收申请 (附件 三、（二）)
    ans = svc.ask("试点园区建成后应当向谁提出验收申请？", doc=_doc(svc, "近零碳"))
    assert not ans.refused and "所在市（州）生态环境局" in ans.answer
    from answer.intents import ADDRESSEE_ASKED, ROLE_ASKED
    assert ADDRESSEE_ASKED.search("应该向哪里申报").group("verb") == "申报"
    assert ROLE_ASKED.search("建设主体是谁") and not ROLE_ASKED.search("牵头单位是谁")


def test_the_head_of_a_group_asked_reads_the_post_and_its_holder():
    # b10 475, b14 70 and 395 ask who heads a leading group or a task force; the holder is a post, named before 任/为
    from answer.addressee import _stating
    from answer.intents import HEAD_ASKED
    for q in ("领导小组由谁当组长", "整改工作专班的组长由谁担任", "绿色金融领导小组由谁担任组长", "召集人是谁"):
        assert HEAD_ASKED.search(q), q
    assert not HEAD_ASKED.search("领导小组办公室设在哪个部门")
    said = _stating("领导小组由谁当组长")
    assert said.search("省政府成立降碳产品价值实现工作领导小组，由分管副省长任组长，省生态环境厅…为成员单位")
    assert said.search("建立由分管副省长为组长，省有关部门…为成员的绿色金融领导小组")
    assert said.search("组长由省长担任")
    assert not said.search("分管领导同志任副组长")  # the deputy's post is not the one asked
    assert not said.search("领导小组日常工作由省地方金融监管局负责")


@pytest.mark.slow
def test_the_head_of_a_group_is_answered_with_the_sentence_naming_the_holder(svc):
    # 475 广东发展绿色金融支持碳达峰行动实施方案 三、（一）: 建立由分管副省长为组长…的绿色金融领导小组; its 负责 clause names
    # the office for the group's daily work, not the head
    ans = svc.ask("绿色金融领导小组由谁担任组长？", doc=_doc(svc, "绿色金融"))
    assert not ans.refused and "分管副省长" in ans.answer
    assert ans.citations[0].quote in ans.citations[0].unit_text
