"""Over the whole library (no document filter, no scope), an answer to a question that names the place of some
of the library's documents must come from a document of that place (answer.extractive._in_named_place)."""
from __future__ import annotations

import pytest

from answer.extractive import ExtractiveAnswerer
from answer.route import route
from tests.conftest import corpus_dc_file, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 214 天津市“十四五”节能减排工作实施方案 and 347 山东省绿色低碳转型2022年行动计划: only 山东's states a subsidy
    # per appliance in a 以旧换新 campaign.
    yield from service_of(tmp_path_factory, "place", [corpus_dc_file("214"), corpus_dc_file("347")])


def _unscoped(svc, question):
    catalog = svc.catalog
    hits = svc._hits(question, 5, None, catalog)
    return ExtractiveAnswerer(catalog, svc._now().topic_matcher()).answer(question, route(question, catalog), hits, None)


def test_an_answer_from_another_place_is_a_refusal(svc):
    assert {"天津", "山东"} <= svc.catalog.issuer_places()
    ans = _unscoped(svc, "天津家电以旧换新集中促销活动对特定机型怎么补贴？")
    assert ans.refused and ans.answer.startswith("文件未提及天津")
    # the closest passage is still shown, quoted exactly from the other place's document
    assert ans.citations and "山东" in ans.citations[0].doc_title
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_the_place_of_the_cited_document_answers(svc):
    ans = _unscoped(svc, "山东家电以旧换新集中促销活动对特定机型怎么补贴？")
    assert not ans.refused and "200元" in ans.answer
    ans = _unscoped(svc, "家电以旧换新集中促销活动对特定机型怎么补贴？")  # no place named: no constraint
    assert not ans.refused and "200元" in ans.answer
