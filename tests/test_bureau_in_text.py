"""Who does an act a sentence names (no responsibility clauses): the sentence that fits the question best over the
first hits, a body before a modal (省生态环境厅将会同…), a body labelling its line in a division of labour
(市政基础设施建设科：推进城市绿色照明); and a body's listing only when its share of the measures is asked. Real PDFs of
corpus-dc (dev: b15's 366 and 261, b7's 525)."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, doc_titled, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "inText", [corpus_dc_file(n) for n in ("366", "261", "525")])


def test_the_body_of_the_act_asked_not_the_first_hits_general_duty(svc):
    ans = svc.ask("广东低碳日当天的线上线下宣传活动由哪个部门牵头组织？", doc=doc_titled(svc, "节能宣传周"))
    assert not ans.refused and "省生态环境厅" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_a_body_labelling_its_line_answers_for_the_line(svc):
    doc = doc_titled(svc, "齐齐哈尔")
    ans = svc.ask("城市更新中老旧小区改造规划和年度改造计划的编制，由哪个科室督促指导？", doc=doc)
    assert not ans.refused and "建筑标准和科技科" in ans.answer
    ans = svc.ask("住建领域碳达峰行动专家库由哪些单位负责组建？", doc=doc)
    assert "市市政工程设计研究院、市建筑设计研究院" in ans.answer


def test_a_quoted_title_does_not_pull_another_sentence_of_the_document(svc):
    ans = svc.ask("《河北省降碳产品价值实现管理办法（试行）》从什么时候开始实施？由谁负责解释？",
                  doc=doc_titled(svc, "降碳产品价值实现管理办法"))
    assert "省生态环境厅" in ans.answer and "发布之日起" in ans.answer


def test_a_topic_asked_of_a_body_is_answered_by_its_sentence_not_its_listing(svc):
    doc = doc_titled(svc, "节能宣传周")
    ans = svc.ask("节能宣传周期间，教育部门要组织大中小学开展哪些征集活动？", doc=doc)
    assert not ans.refused and "讲好节能故事" in ans.answer and "共涉及" not in ans.answer
    # its share of the measures asked: the listing, as the own set's bureau questions get
    ans = svc.ask("各级教育部门参与了哪些举措？", doc=doc)
    assert "共涉及" in ans.answer
