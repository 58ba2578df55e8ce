"""Hostile or meaningless input gets a clear refusal, never a confident cited answer."""
from __future__ import annotations

import pytest

from answer.question import REFUSAL, contentless_reason
from settings import Settings
from service import PolicyService

CONTENTLESS = ["？？？", "???", "😀😀😀", "🙂 👍", "。，！……", "'; DROP TABLE units;--", "1=1; --", "SELECT * FROM documents",
               "<script>alert(1)</script>", "hello world", "123456", "啊啊啊", "吗？", "你好！", "谢谢", "   ~~~   "]
REAL = ["到2030年可再生能源装机目标是多少？", "交通领域由哪个部门牵头？", "碳", "ESG信息披露", "PUE要求是什么",
        "我们是化工企业，有哪些要求？", "目标是多少？", "光盘行动"]


@pytest.mark.parametrize("q", CONTENTLESS)
def test_contentless_questions_are_recognised(q):
    assert contentless_reason(q) == REFUSAL


@pytest.mark.parametrize("q", REAL)
def test_real_questions_pass(q):
    assert contentless_reason(q) is None


def test_service_refuses_contentless_questions_without_citations(tmp_path):
    svc = PolicyService(Settings(home=tmp_path / "home"))
    try:
        for q in CONTENTLESS:
            ans = svc.ask(q)
            assert ans.refused and not ans.citations, q
            assert ans.answer == REFUSAL and ans.route == "invalid"
            assert "中文" in ans.answer
        # Nothing was looked up, so nothing was ingested or embedded for them.
        assert svc.store.is_empty()
    finally:
        svc.close()
