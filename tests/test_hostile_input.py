"""Hostile or meaningless input gets a clear refusal, never a confident cited answer."""
from __future__ import annotations

import re

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


# ------------------------------------------------------------------ uploaded files go with their document

POLICY_TEXT = """测试市推进绿色发展若干措施

一、能源转型

（一）推进屋顶光伏建设。到2026年，全市屋顶光伏装机达到50万千瓦。（市能源局牵头负责）

（二）推广新能源公交车。到2026年，新能源公交车占比达到90%。（市交通运输局牵头负责）
"""


class FakeIndex:
    """Stands in for Chroma + BM25 where only the bookkeeping matters."""

    def __init__(self):
        self.docs: dict[str, object] = {}

    def add_many(self, docs):
        for d in docs:
            self.docs[d.doc_id] = d

    def add(self, doc):
        self.add_many([doc])

    def remove(self, doc_id):
        self.docs.pop(doc_id, None)


def test_removing_a_document_deletes_its_uploaded_file(tmp_path):
    gradio_dir = tmp_path / "gradio"
    up = gradio_dir / "a1b2" / "测试市推进绿色发展若干措施.txt"
    bad = gradio_dir / "c3d4" / "空文件.txt"
    for p, text in ((up, POLICY_TEXT), (bad, "")):
        p.parent.mkdir(parents=True)
        p.write_text(text, encoding="utf-8")
    svc = PolicyService(Settings(home=tmp_path / "home", workers=1), search_index=FakeIndex())
    try:
        report = svc.ingest([up, bad])
        svc.keep_uploads([up, bad])
        assert len(report.ingested) == 1 and len(report.refused) == 1
        doc_id = report.ingested[0].doc_id
        # Out of Gradio's served folder, kept inside the home under the document; the refused one deleted.
        assert not up.exists() and not bad.exists() and not any(gradio_dir.iterdir())
        kept = svc.upload_of(doc_id)
        assert [p.name for p in kept] == [up.name] and kept[0].read_text(encoding="utf-8") == POLICY_TEXT
        assert svc.remove(doc_id)
        assert svc.upload_of(doc_id) == [] and not (svc.settings.uploads_dir / doc_id).exists()
    finally:
        svc.close()


def test_a_replaced_edition_loses_its_uploaded_file(tmp_path):
    first = tmp_path / "g" / "1" / "措施.txt"
    second = tmp_path / "g" / "2" / "措施.txt"
    first.parent.mkdir(parents=True)
    second.parent.mkdir(parents=True)
    first.write_text(POLICY_TEXT, encoding="utf-8")
    second.write_text(POLICY_TEXT.replace("50万千瓦", "60万千瓦"), encoding="utf-8")
    svc = PolicyService(Settings(home=tmp_path / "home", workers=1), search_index=FakeIndex())
    try:
        old_id = svc.ingest([first]).ingested[0].doc_id
        svc.keep_uploads([first])
        report = svc.ingest([second])
        svc.keep_uploads([second])
        new_id = report.ingested[0].doc_id
        assert report.replaced == [old_id] and new_id != old_id
        assert svc.upload_of(old_id) == [] and [p.name for p in svc.upload_of(new_id)] == ["措施.txt"]
    finally:
        svc.close()


# ------------------------------------------------------------------ login attempts are rate-limited

def test_login_locks_a_user_after_five_failures_within_a_minute():
    from ui.auth import RateLimitedLogin

    now = [1000.0]
    login = RateLimitedLogin("admin", "s3cret", clock=lambda: now[0])
    assert login("admin", "s3cret")
    for _ in range(4):
        assert not login("admin", "guess")
    assert login("admin", "s3cret")  # 4 failures: still allowed, and success clears the count
    for _ in range(5):
        assert not login("admin", "guess")
        now[0] += 1
    assert login.locked("admin")
    assert not login("admin", "s3cret")  # locked: even the right password is refused
    now[0] += 290
    assert not login("admin", "s3cret")
    now[0] += 20
    assert login("admin", "s3cret")  # the lockout has passed


def test_failures_spread_over_more_than_a_minute_do_not_lock():
    from ui.auth import RateLimitedLogin

    now = [0.0]
    login = RateLimitedLogin("admin", "s3cret", clock=lambda: now[0])
    for _ in range(10):
        assert not login("admin", "guess")
        now[0] += 20  # 3 failures per minute
    assert login("admin", "s3cret")


def test_rotating_user_names_pauses_all_logins():
    from ui.auth import RateLimitedLogin

    now = [0.0]
    login = RateLimitedLogin("admin", "s3cret", clock=lambda: now[0], global_max_failures=20)
    for i in range(20):
        assert not login(f"user{i}", "guess")
    assert not login("admin", "s3cret")
    now[0] += 301
    assert login("admin", "s3cret")


@pytest.mark.slow
def test_gradio_login_is_rate_limited(tmp_path):
    import socket

    import httpx

    from ui.web import serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = Settings(home=tmp_path / "home", port=port, auth="admin:s3cret")
    svc = PolicyService(settings, search_index=FakeIndex())
    app = serve(svc, block=False)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            for _ in range(5):
                assert http.post("/login", data={"username": "admin", "password": "wrong"}).status_code >= 400
            assert http.post("/login", data={"username": "admin", "password": "s3cret"}).status_code >= 400
            assert http.get("/config").status_code == 401
    finally:
        app.close()
        svc.close()


# ------------------------------------------------------------------ messages shown in the UI are Chinese

def test_loader_refusals_are_in_chinese(tmp_path):
    import re

    from ingest.loaders import FileLoader

    files = {"empty.txt": b"", "latin.txt": b"This is an English text, not a Chinese policy." * 5,
             "bad.pdf": b"%PDF-1.4\nnot really a pdf", "notes.docx": b"PK\x03\x04", "symbols.txt": "。，！".encode(),
             # a PDF with a header and an end marker but no cross-reference: pypdf says "startxref not found"
             "noxref.pdf": b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF"}
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    paths.append(tmp_path / "missing.pdf")
    results = list(FileLoader(max_file_mb=1, timeout_s=30, workers=1).load_many(paths))
    assert len(results) == len(paths)
    for r in results:
        reason = getattr(r, "reason", None)
        assert reason, r
        # Chinese sentences (names such as PDF, UTF-8 or .docx may appear inside them, not English words)
        assert len(re.findall(r"[\u4e00-\u9fff]", reason)) >= 3, reason
        assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", reason), reason
    noxref = next(r for r in results if str(r.path).endswith("noxref.pdf"))
    assert "损坏" in noxref.reason and "startxref" not in noxref.reason  # pypdf's English words go to the log


def test_service_messages_are_in_chinese(tmp_path):
    from errors import PolicyQAError

    svc = PolicyService(Settings(home=tmp_path / "home", workers=1), search_index=FakeIndex())
    try:
        with pytest.raises(PolicyQAError, match="知识库中没有"):
            svc.resolve_doc("不存在的文件")
    finally:
        svc.close()
