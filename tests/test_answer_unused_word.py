"""Issue 10, a handler's refusal for a word the documents in scope never use (answer.answerability.refusal_stands):
it gives way when the decision's chosen sentence states every other asked word — the unused word is the asker's
framing (房地产企业, 我们是开饭店的) — and stands when the sentence lacks a word the scope does use as well
(docs/answerability-transfer.md section 16). Real PDFs of corpus-dc (dev documents 198 and 495 of b14 and b17, and
347), real ingest, encoder, jieba, store."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "unused_word", [corpus_dc_file(n) for n in ("198", "495", "347")])


def test_the_askers_sector_never_used_in_scope_does_not_refuse_the_rule_for_its_case(svc):
    # 房地产 is used nowhere in the 山东 县城 意见; 新建居民小区停车场…充电基础设施 answers the rest of the question
    ans = svc.ask("房地产企业在山东的县城新建居民小区，停车场充电桩方面有什么要求？", doc=_doc(svc, "绿色低碳县城"))
    assert not ans.refused and "预留安装条件" in ans.answer, ans.answer


def test_the_askers_business_never_used_in_scope_does_not_refuse_the_rule_for_its_trade(svc):
    # 饭店 is used nowhere in the 山西 方案; its 餐饮企业厨余垃圾计量收费 sentence states every other asked word
    ans = svc.ask("我们是开饭店的，以后厨余垃圾收费会怎么收？", doc=_doc(svc, "促进绿色消费"))
    assert not ans.refused and "超定额累进加价" in ans.answer, ans.answer


def test_a_topic_never_used_in_scope_still_refuses_a_sentence_that_lacks_more(svc):
    # 光伏 is used nowhere in the 山东 2022 行动计划; the sentence the decision rates highest (煤电…改造600万千瓦) lacks
    # 新增 and 装机 too, words the plan does use: the refusal stands (answered, it quoted another thing's figure)
    ans = svc.ask("山东2022年光伏新增装机目标是多少万千瓦？", doc=_doc(svc, "绿色低碳转型2022年行动计划"))
    assert ans.refused, ans.answer
