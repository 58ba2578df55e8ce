"""Who signed a document jointly (answer.signatures, knowledge.signers.split_bodies; docs/issuers.md): the signature
cut into the closing unit (结尾) is read (review-r18 F8: 17, 46, 245), a run of names is split into bodies by their
kinds (生态环境部办公厅 is one body, 交通运输部国家铁路局中国民用航空局国家邮政局 four), and a heading that opens with a
verb taking a quoted document's name (245: …国家邮政局贯彻落实《…》的实施意见) names its issuer before the verb. Real
PDFs of corpus-dc's dev split, opened in earlier rounds."""
from __future__ import annotations

import pytest

from answer.consts import ISSUER
from answer.extractive import ExtractiveAnswerer
from answer.route import route
from answer.signatures import signature, signed_body
from ingest.closing import _CLOSING_LINE
from knowledge.bureaus import BODY_KINDS
from knowledge.signers import split_bodies
from knowledge.catalog import Catalog
from tests.conftest import corpus_dc_file, parsed_document


def _ask(doc, question: str):
    catalog = Catalog([doc])
    return ExtractiveAnswerer(catalog).answer(question, route(question, catalog), [], [doc.doc_id])


@pytest.mark.parametrize("number, bodies", [
    ("17", ["工业和信息化部", "国家发展和改革委员会", "生态环境部"]),
    ("46", ["工业和信息化部", "国家发展改革委"]),
    ("245", ["交通运输部", "国家铁路局", "中国民用航空局", "国家邮政局"]),
    # the guide's own name runs into the signature (…改造升级实施指南国家发展改革委…): cut at its kind
    ("26", ["国家发展改革委", "工业和信息化部", "生态环境部", "国家能源局"]),
])
def test_a_joint_signature_cut_into_the_closing_unit_is_read_body_by_body(number, bodies):
    doc = parsed_document(corpus_dc_file(number))
    unit, run, signed = signature(doc)
    assert unit.label == "结尾" and unit in doc.extra_units  # the closing ingest.closing cut off the last measure
    assert signed == bodies and run == "".join(bodies) and run in unit.text


@pytest.mark.parametrize("number, bodies", [
    # a regulator's local branch stays with its parent (中国银保监会三明监管分局)
    ("262", ["中国银保监会三明监管分局", "三明市地方金融监督管理局"]),
    # an office named by its field, with no level of its own, is its party committee's (中共福建省委精神文明建设办公室);
    # a bank's name (中国人民银行) and a federation's (妇女联合会) end in their kinds
    ("295", ["福建省生态环境厅", "福建省发展和改革委员会", "中共福建省委精神文明建设办公室", "福建省财政厅", "福建省林业局",
             "福建省机关事务管理局", "中国共产主义青年团福建省委员会", "福建省妇女联合会"]),
    ("550", ["生态环境部", "商务部", "国家发展和改革委员会", "住房和城乡建设部", "中国人民银行", "海关总署", "国家能源局",
             "国家林业和草原局"]),
])
def test_the_bodies_of_a_signature_are_told_apart_by_their_kinds(number, bodies):
    _, run, signed = signature(parsed_document(corpus_dc_file(number)))
    assert signed == bodies and run == "".join(bodies)


@pytest.mark.parametrize("number, body", [
    ("178", "生态环境部办公厅"),  # a ministry's general office: 部 then 办公厅 is one body, not two
    ("58", None),  # 天津市人民代表大会常务委员会: a congress's standing committee signs its regulation
])
def test_one_body_with_a_kind_inside_its_name_is_not_a_joint_signature(number, body):
    doc = parsed_document(corpus_dc_file(number))
    assert signature(doc) is None
    if body:
        assert signed_body(doc)[1] == body and split_bodies(body) == [body]
    assert split_bodies("天津市人民代表大会常务委员会") == ["天津市人民代表大会常务委员会"]


def test_an_issuer_before_a_verb_and_a_quoted_document_is_read_before_the_verb():
    # 579: 中共青海省委、青海省人民政府贯彻落实《关于完整准确全面贯彻…》: the 关于 is the quoted document's
    doc = parsed_document(corpus_dc_file("579"))
    m = ISSUER.match(doc.meta.get("notice_title") or doc.title)
    assert m and m.group(1) == "中共青海省委、青海省人民政府"


def test_who_issued_a_document_whose_heading_names_one_of_its_signers():
    doc = parsed_document(corpus_dc_file("245"))
    heading = doc.meta.get("notice_title") or doc.title
    m = ISSUER.match(heading)
    assert m and "《" not in m.group(1) and m.group(1) == "国家邮政局"  # not 国家邮政局贯彻落实《中共中央国务院
    for question in ("这份文件是哪几个部门联合发的？", "这份实施意见是哪个部门印发的？"):
        ans = _ask(doc, question)
        assert not ans.refused, question
        assert "交通运输部、国家铁路局、中国民用航空局、国家邮政局" in ans.answer, ans.answer
        assert all(c.quote in c.unit_text for c in ans.citations)


def test_the_closing_reads_a_signature_line_ending_in_any_body_kind():
    # ingest.closing takes its kinds from knowledge.bureaus (review-r18 F4): every BODY_KINDS and the signing organs
    for kind in (*BODY_KINDS, "人民政府", "部"):
        assert _CLOSING_LINE.match(f"广东省测试{kind}2022年1月27日"), kind
    assert not _CLOSING_LINE.match("请于2022年1月27日")  # a deadline sentence ending in a date is no signature
