"""Issue 10, unanswerable questions answered on unseen documents (b16, ans30): the asked attribute absent from the
quote, which answers a neighbouring question — a when-question answered by a year that only qualifies a noun
(围绕2019和2020年度碳排放数据质量), an e-mail address asked of a sentence naming the mailbox (发送至联系人邮箱), a rate
asked and an area quoted (森林覆盖率 asked, 营造林任务600万亩). Real PDFs of corpus-dc (b16's dev documents 178, 225
and 147), real ingest, encoder, jieba, store."""
from __future__ import annotations

import pytest

from answer.asked_form import states_time
from answer.identifiers import EMAIL, FORMS, identifier_missing
from answer.asks import ASKS_EMAIL, ASKS_RATE
from knowledge.text import fold
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


def test_a_year_qualifying_a_noun_states_no_time():
    # attributive years: another act's year (b8 513, b14 553, b16 178)
    for s in ("我部将围绕2019和2020年度碳排放数据质量，对发电行业重点排放单位开展全面核实。",
              "对本地八大行业的企业进行2021年碳排放核算摸底。",
              "我局将开展2020年度碳排放报告编制报送及2021年度碳排放监测计划填报工作。",
              "2021年度配额分两批次发放。"):
        assert not states_time(s), s
    # years that date: after a time preposition, before a time suffix or a pause, before an event's 前, opening a
    # clause; and every other time the decision's date pattern or answer.text.STATES_WHEN reads
    for s in ("到2025年，全市装机达到1000万千瓦。", "低于基准水平的，2024年底前进行改造升级。", "至2027年年末。",
              "待2021年清缴期前，根据其2020年度实际经营数据对配额进行调整。", "2020年农作物秸秆综合利用率达86%。",
              "于2021年11月30日前报送我部。", "完成期限：2022年二季度）", "各地每年就碳排放数据质量管理情况向我部报告。",
              "城镇原生生活垃圾2021年底基本实现零填埋。", "为2030年实现城乡建设领域碳达峰奠定基础。"):
        assert states_time(s), s
    assert not states_time("成立以主要负责同志为组长的工作专班。")


def test_the_cues_and_what_states_them():
    for q in ("联系人邮箱地址是什么？", "电子版发到哪个邮箱？", "电子邮件是多少？"):
        assert ASKS_EMAIL.search(q), q
    assert not ASKS_EMAIL.search("投稿时，邮件标题有什么格式要求？")
    assert EMAIL.search("发送至keyanyuan@jsnu.edu.cn") and not EMAIL.search("以word文件将案例材料发送至联系人邮箱")
    assert identifier_missing("联系人邮箱地址是什么？", ["以word文件将案例材料发送至联系人邮箱。"]) == "所问的邮箱地址"
    for q in ("2022年全省森林覆盖率要达到多少？", "船舶靠港岸电使用率要提高到多少？", "漏损率要控制在多少？"):
        assert ASKS_RATE.search(q), q
    assert not ASKS_RATE.search("河北省2022年营造林任务总共多少？")
    q = fold("2022年全省森林覆盖率要达到多少？")
    assert identifier_missing(q, ["2022年全省营造林任务600万亩。"], FORMS) == "所问的比率"
    for s in ("森林覆盖率达到35%。", "提高2个百分点。", "达到百分之六十。"):
        assert identifier_missing(q, [s], FORMS) is None, s


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "attribute", [corpus_dc_file(n) for n in ("178", "225", "147")])


def test_a_neighbouring_sentence_without_the_asked_attribute_is_a_refusal(svc):
    data = _doc(svc, "数据质量监督管理")
    ans = svc.ask("生态环境部对发电行业排放报告的专项监督执法要在什么时候之前全部完成？", doc=data)
    assert ans.refused and "2019和2020年度" in ans.answer  # the attributive year is quoted as the closest text only
    cases = _doc(svc, "典型案例")
    ans = svc.ask("生态环境部这次全国碳排放管理案例征集的联系人邮箱地址是什么？", doc=cases)
    assert ans.refused and "邮箱地址" in ans.answer
    forest = _doc(svc, "营造林任务")
    ans = svc.ask("2022年全省森林覆盖率要达到多少？", doc=forest)
    assert ans.refused and "比率" in ans.answer


def test_the_same_documents_answer_the_attribute_they_state(svc):
    ans = svc.ask("全国碳市场这次数据质量自查，整改台账和自查报告最晚什么时候要报到生态环境部？",
                  doc=_doc(svc, "数据质量监督管理"))
    assert not ans.refused and "2021年11月30日" in ans.answer
    ans = svc.ask("碳排放管理员培训教材的典型案例征集截止到哪天？", doc=_doc(svc, "典型案例"))
    assert not ans.refused and "2022年2月28日" in ans.answer
    ans = svc.ask("河北省2022年营造林任务总共多少？其中造林和营林各多少？", doc=_doc(svc, "营造林任务"))
    assert not ans.refused and "600万亩" in ans.answer


def test_the_strict_year_reading_is_for_an_answer_of_one_document(svc):
    # over a library an answer may quote several documents, its lead the weaker one (b10 549-07 over the 74-document
    # dev library): the lead's years are read as before then, and the answer is not refused whole
    from answer.asked_form import when_stated
    from answer.decide import Decider
    from answer.extractive import ExtractiveAnswerer
    from answer.types import Answer

    dec = Decider(ExtractiveAnswerer(svc.catalog, svc.matcher).ctx)
    data = svc.catalog.documents[_doc(svc, "数据质量监督管理")]
    m = next(u for u in data.units() if "围绕2019和2020年度碳排放数据质量" in u.text)
    s = next(x.strip() for x in m.text.split("。") if "围绕2019和2020年度" in x) + "。"
    cases = svc.catalog.documents[_doc(svc, "典型案例")]
    m2 = next(u for u in cases.units() if "2022年2月28日" in u.text)
    dated = dec.a.cite(cases, m2, next(x.strip() for x in m2.text.split("。") if "2022年2月28日" in x) + "。", 0.5)
    q = "专项监督执法要在什么时候之前全部完成？"
    qv = dec.view(q, None)
    alone = Answer(question=q, answer="…[1]", refused=False, citations=[dec.a.cite(data, m, s, 0.9)])
    assert when_stated(dec.a, q, qv, alone).refused
    several = Answer(question=q, answer="…[1]…[2]", refused=False, citations=[*alone.citations, dated])
    assert not when_stated(dec.a, q, qv, several).refused
