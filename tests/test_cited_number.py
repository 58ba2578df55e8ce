"""The number of a document the text cites (《…》（发改产业〔2021〕1609号）) when the question asks for that one, and the
document's own when it names itself: a real PDF of corpus-dc (dev: b8's 513)."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, doc_titled, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "cited", [corpus_dc_file("513")])


def test_a_quoted_cited_title_gets_its_own_number(svc):
    doc = doc_titled(svc, "节能降碳工作方案")
    ans = svc.ask("《关于发布〈高耗能行业重点领域能效标杆水平和基准水平（2021年版）〉的通知》的文号是多少？", doc=doc)
    assert not ans.refused and "发改产业〔2021〕1609号" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
    # the document quoted by its own title is not answered with a cited one's number
    ans = svc.ask("《四川省重点领域企业节能降碳工作方案（2022-2025年）》的文号是多少？", doc=doc)
    assert "1609号" not in ans.answer and "〔2022〕200号" not in ans.answer


def test_a_described_cited_document_gets_its_number_and_edition(svc):
    doc = doc_titled(svc, "节能降碳工作方案")
    ans = svc.ask("做节能降碳改造升级时参照的那份高耗能行业实施指南是哪年版的？文号是什么？", doc=doc)
    assert not ans.refused and "发改产业〔2022〕200号" in ans.answer and "2022年版" in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
    ans = svc.ask("这份四川节能降碳工作方案的文号是多少？", doc=doc)
    assert "发改产业〔2022〕200号" not in ans.answer
