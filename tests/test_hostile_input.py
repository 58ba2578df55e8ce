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


# ------------------------------------------------------------------ the evaluation page reads no server paths

class _NoProgress:
    def __call__(self, *a, **k):
        pass


@pytest.mark.parametrize("path", ["/etc/shadow", "/etc/passwd", "/dev/zero", "/nonexistent/x.jsonl",
                                  "../../etc/passwd", "eval/testsets/../../settings.py",
                                  "policyqa-home/knowledge.sqlite3", "tests/conftest.py"])
def test_evaluation_page_refuses_server_paths_alike(tmp_path, path, monkeypatch):
    from ui.pages import evaluation

    monkeypatch.setattr(evaluation, "_upload_folder", lambda: (tmp_path / "uploads").resolve())
    svc = PolicyService(Settings(home=tmp_path / "home"))
    try:
        for name, upload in ((path, None), (None, path)):
            html, *_ = evaluation.run_eval(svc, name, upload, True, _NoProgress())
            # The same message whether the file exists or not: no existence oracle, nothing read.
            assert "只能评测通过本页上传的测试集" in html, (name, upload)
            assert "Permission" not in html and "No such file" not in html
        assert svc.store.is_empty()
    finally:
        svc.close()


def test_evaluation_page_offers_only_the_projects_test_sets(tmp_path, monkeypatch):
    from ui.pages import evaluation

    names = evaluation.project_testsets()
    assert "policyqa.jsonl" in names and all("/" not in n for n in names)
    assert evaluation.testset_path("policyqa.jsonl", None) == evaluation.TESTSET_DIR / "policyqa.jsonl"
    assert evaluation.testset_path("", None) == evaluation.DEFAULT_TESTSET
    uploads = (tmp_path / "uploads").resolve()
    uploads.mkdir()
    monkeypatch.setattr(evaluation, "_upload_folder", lambda: uploads)
    up = uploads / "abc123" / "mine.jsonl"
    up.parent.mkdir()
    up.write_text("{not json\n", encoding="utf-8")
    assert evaluation.testset_path(None, str(up)) == up
    # A symlink in the upload folder pointing outside it is not an upload.
    (uploads / "link.jsonl").symlink_to("/etc/passwd")
    with pytest.raises(Exception, match="只能评测"):
        evaluation.testset_path(None, str(uploads / "link.jsonl"))
    svc = PolicyService(Settings(home=tmp_path / "home"))
    try:
        html, *_ = evaluation.run_eval(svc, None, str(up), True, _NoProgress())
        assert "mine.jsonl:1" in html and str(uploads) not in html  # the error names the file, not the server path
    finally:
        svc.close()
