"""Issue 10: a handler's answer stands only when the answer-or-refuse decision agrees with its quotes — a second
quote the decision ranks below another sentence it would add is replaced by that sentence. Real PDF of corpus-dc
(dev document 373), real ingest, encoder, jieba, store."""
from __future__ import annotations

import pytest

from tests.conftest import corpus_dc_file, doc_titled as _doc, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "stands", [corpus_dc_file("373")])


def test_the_second_part_is_the_sentence_the_decision_ranks_higher(svc):
    # 不合格 is asked twice; the general handler's second pick was about passing (评估合格的…保留其称号)
    ans = svc.ask("示范城市动态评估不合格，整改期多长？整改完还不合格怎么办？", doc=_doc(svc, "城市绿色货运配送示范工程"))
    assert not ans.refused and "3个月" in ans.answer and "取消其称号" in ans.answer, ans.answer
    assert "保留其称号" not in ans.answer
