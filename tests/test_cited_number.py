"""The number of a document the text cites (《…》（环环评〔2022〕26号）) when the question asks for that one, and the
document's own number when it names itself: real PDFs of corpus-dc (dev: b8's 513, b15's 478)."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, doc_titled, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "cited", [corpus_dc_file("478"), corpus_dc_file("513")])


def test_a_quoted_cited_title_gets_its_own_number(svc):
    doc = doc_titled(svc, "贯彻落实")
    ans = svc.ask("生态环境部印发的《“十四五”环境影响评价与排污许可工作实施方案》文号是什么？", doc=doc)
    assert not ans.refused and "环环评〔2022〕26号" in ans.answer and "粤环函" not in ans.answer
    assert all(c.quote in c.unit_text for c in ans.citations)
    # the document named by its own title keeps its own number
    ans = svc.ask("广东省生态环境厅关于贯彻落实“十四五”环境影响评价与排污许可工作实施方案的通知的文号是多少？", doc=doc)
    assert "粤环函〔2022〕278号" in ans.answer and "环环评" not in ans.answer


def test_a_described_cited_document_gets_its_number_and_edition(svc):
    doc = doc_titled(svc, "节能降碳工作方案")
    ans = svc.ask("做节能降碳改造升级时参照的那份高耗能行业实施指南是哪年版的？文号是什么？", doc=doc)
    assert not ans.refused and "发改产业〔2022〕200号" in ans.answer and "2022年版" in ans.answer
    ans = svc.ask("这份四川节能降碳工作方案的文号是多少？", doc=doc)
    assert "发改产业〔2022〕200号" not in ans.answer
