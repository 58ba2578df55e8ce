"""Who issued a document whose front matter names no issuer: the body signed over its date of issue
(answer.signatures.signed_body), read from real corpus-dc PDFs of the dev split."""
from __future__ import annotations

import pytest

from answer.signatures import signed_body
from answer.extractive import ExtractiveAnswerer
from answer.route import route
from knowledge.catalog import Catalog
from tests.conftest import corpus_dc_file, parsed_document


@pytest.fixture(scope="module")
def data_quality_notice():
    # 178: the signature runs on from the contact line (…电话：…65645641生态环境部办公厅2021年10月23日)
    return parsed_document(corpus_dc_file("178"))


@pytest.fixture(scope="module")
def follow_up_notice():
    # 379: the signature runs on from an attachment's file name (…汇总表.doc生态环境部办公厅2022年2月15日)
    return parsed_document(corpus_dc_file("379"))


def test_the_body_signed_over_the_date_of_issue_is_read_past_what_runs_into_it(data_quality_notice, follow_up_notice):
    for doc in (data_quality_notice, follow_up_notice):
        assert not doc.meta.get("issuer") and doc.meta.get("issued")  # the front matter found no issuer
        unit, body, quote = signed_body(doc)
        assert body == "生态环境部办公厅"
        assert quote == body + doc.meta["issued"] and quote in unit.text


def test_a_person_signing_is_no_issuing_body():
    # 406 生态环境标准管理办法: the order is signed 部长黄润秋 over its date — a person, not a body
    doc = parsed_document(corpus_dc_file("406"))
    assert doc.meta.get("issued") and not doc.meta.get("issuer")
    assert signed_body(doc) is None


@pytest.mark.parametrize("question", ["《关于做好全国碳排放权交易市场数据质量监督管理相关工作的通知》是哪个部门、哪天印发的？",
                                      "这份通知是哪个单位印发的？"])
def test_issuer_and_date_asked_are_answered_from_the_signature(data_quality_notice, question):
    doc = data_quality_notice
    catalog = Catalog([doc])
    ans = ExtractiveAnswerer(catalog).answer(question, route(question, catalog), [], [doc.doc_id])
    assert not ans.refused and "生态环境部办公厅" in ans.answer, ans.answer
    if "哪天" in question:
        assert "2021年10月23日" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)


def test_the_act_a_document_regulates_is_not_its_issue(data_quality_notice):
    # 发布/制定 name acts the document regulates (名单由哪个部门发布): the signature answers only the document's own issue
    doc = data_quality_notice
    catalog = Catalog([doc])
    q = "咨询机构名单由哪个部门发布？"
    ans = ExtractiveAnswerer(catalog).answer(q, route(q, catalog), [], [doc.doc_id])
    assert "印发单位（落款）" not in ans.answer
