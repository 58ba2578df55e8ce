"""Issue 10: a question asking what the document was made on (是依据哪些法规制定的) is answered by the sentence of
its preamble naming the documents it follows (按照《…》和《…》等要求, 为贯彻落实《…》…制定本计划), not refused for
the question's frame words (依据, 法规, 制定). Real PDFs of corpus-dc (dev documents 369, 397, 475 and 521), real ingest,
encoder, jieba, store."""
from __future__ import annotations

import pytest

from answer.intents import ASKS_BASIS
from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


def test_the_cue_asks_the_making_of_a_document():
    assert ASKS_BASIS.search("《电机能效提升计划（2021-2023年）》是依据哪部部门规章制定的？")
    assert ASKS_BASIS.search("这份通知是依据生态环境部哪个文件制定的？")
    assert ASKS_BASIS.search("本方案的制定依据是什么？")
    # an act inside the document, done by a named standard: no making of a document asked
    assert not ASKS_BASIS.search("碳排放量按照哪个技术指南来核算？")
    assert not ASKS_BASIS.search("违反规定会依据什么处罚？")


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "basis", [corpus_dc_file(n) for n in ("369", "397", "475", "521")])


def test_the_documents_basis_is_quoted_from_its_preamble(svc):
    tianjin = _doc(svc, "天津市2021年度碳排放")
    ans = svc.ask("《关于做好天津市2021年度碳排放报告与核查及履约等工作的通知》是依据哪些地方法规和办法制定的？",
                  doc=tianjin)
    assert not ans.refused
    assert "天津市碳达峰碳中和促进条例" in ans.answer and "天津市碳排放权交易管理暂行办法" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
    # without a filter too: the question names the document
    ans = svc.ask("《电机能效提升计划（2021-2023年）》是依据哪部部门规章制定的？")
    assert not ans.refused and "工业节能管理办法" in ans.answer and "第33号" in ans.answer
    # the document named by a deictic and its kind (这份计划的…), the basis asked as a noun (制定依据)
    ans = svc.ask("这份计划的制定依据是什么？", doc=_doc(svc, "电机能效"))
    assert not ans.refused and "工业节能管理办法" in ans.answer
    # quoted from the sentence's own start, not from the signature date and title the text layer ran into it
    assert ans.citations[0].quote.startswith("为贯彻落实《中华人民共和国节约能源法》")


def test_an_act_inside_the_document_is_not_answered_by_the_preamble(svc):
    # the monitoring plan is made after a template (附件2), not after the notice's own basis
    ans = svc.ask("排放监测计划要按照什么模板制定？", doc=_doc(svc, "天津市2021年度碳排放"))
    assert "天津市碳达峰碳中和促进条例" not in ans.answer


def test_the_policys_own_title_run_into_the_preamble_is_not_quoted(svc):
    # 521 prints its title right before 为进一步推动…: the 实施 of 实施方案 opens no basis clause, and the title is cut
    ans = svc.ask("《齐齐哈尔市绿色建筑创建行动实施方案》是依据哪些文件制定的？", doc=_doc(svc, "齐齐哈尔"))
    assert not ans.refused and "绿色生活创建行动总体方案" in ans.answer
    assert ans.citations[0].quote.startswith("为进一步推动全市绿色建筑发展")
    # 475 prints its title as …行动的实施方案, not as stored (…行动实施方案): cut by its shape, a run ending in a kind
    ans = svc.ask("这份实施方案是根据什么文件制定的？", doc=_doc(svc, "绿色金融支持碳达峰"))
    assert not ans.refused and "完整准确全面贯彻新发展理念推进碳达峰碳中和工作的实施意见" in ans.answer
    assert ans.citations[0].quote.startswith("为深入贯彻落实党中央")
