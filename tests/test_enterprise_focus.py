"""An enterprise question that asks something of its industry (存量电机的节能改造) gets the sentences stating it first,
from the units that name the industry, though they do not name the industry themselves."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, doc_titled, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "enterprise-focus", [corpus_dc_file("397")])


def test_what_is_asked_of_the_industry_comes_first(svc):
    doc = doc_titled(svc, "电机能效提升计划")
    ans = svc.ask("我们是一家钢铁企业，厂里存量电机的节能改造有什么要求？", doc=doc)
    assert ans.route == "enterprise" and not ans.refused
    lines = ans.answer.splitlines()
    assert lines[1].startswith("【与") and "电机" in lines[1] and "直接相关】" in lines[1]
    focus = lines[2:lines.index(next(x for x in lines[2:] if x.startswith("【")))]
    # the unit's neighbour sentence states what is asked (淘汰…落后低效电机); its numbered heading is not a sentence
    assert any("落后低效电机" in x for x in focus) and not any(x.endswith("开展存量电机节能改造。[1]") for x in focus)
    assert 1 <= len(focus) <= 3
    # the industry's own sentence is still listed, once
    assert sum("鼓励钢铁、有色" in x for x in lines) == 1
    for c in ans.citations:
        assert c.quote in c.unit_text


def test_an_industry_question_without_a_topic_is_listed_as_before(svc):
    doc = doc_titled(svc, "电机能效提升计划")
    ans = svc.ask("我们是一家钢铁企业，有哪些要求？", doc=doc)
    assert ans.route == "enterprise" and "直接相关】" not in ans.answer and "鼓励钢铁" in ans.answer
