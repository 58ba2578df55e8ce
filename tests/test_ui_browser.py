"""The Gradio app in a real browser: the real service on a free 127.0.0.1 port (data home in tmp), driven by
Playwright with Debian's chromium. Each tab is screenshotted into a temporary folder, or into the folder
POLICYQA_SCREENSHOTS names (relative to the repository: `POLICYQA_SCREENSHOTS=docs/screenshots` refreshes the
README's screenshots); a test run never rewrites files of the checkout by itself.

Tests share one server and run in file order (the upload tests add documents the later ones use).
"""
from __future__ import annotations

import csv
import json
import os
import re
import socket
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SHOTS = ROOT / os.environ["POLICYQA_SCREENSHOTS"] if os.environ.get("POLICYQA_SCREENSHOTS") else \
    Path(tempfile.mkdtemp(prefix="policyqa-screenshots-"))
CHENGDU = CORPUS / "成都市优化能源结构促进城市绿色低碳发展政策措施.pdf"
TIMEOUT_MS = 60_000

# A policy file whose measure carries markup: it must show as text, never become elements.
MALICIOUS_NAME = "测试市推进绿色发展若干措施.txt"
PAYLOAD_IMG = "<img src=x onerror=\"document.title='pwned'\">"
PAYLOAD_SCRIPT = "<script>alert(1)</script>"
MALICIOUS_TEXT = f"""测试市推进绿色发展若干措施

一、能源转型

（一）推进屋顶光伏建设。到2026年，全市屋顶光伏装机达到50万千瓦。鼓励企业建设{PAYLOAD_IMG}屋顶光伏示范项目，详见[点我](http://evil.example/)和![图](http://evil.example/a.png)。{PAYLOAD_SCRIPT}（市能源局牵头负责）

（二）推广新能源公交车。到2026年，新能源公交车占比达到90%。（市交通运输局牵头负责）

二、保障措施

（三）加强资金保障。统筹安排专项资金支持绿色发展项目。（市财政局牵头负责）
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from service import PolicyService
    from settings import Settings

    home = tmp_path_factory.mktemp("ui") / "home"
    settings = Settings(home=home, host="127.0.0.1", port=_free_port(), auth=None)
    service = PolicyService(settings)
    service.ensure_default_corpus()
    yield from served(service)


def served(service):
    """A module fixture's body: the real Gradio app on the service's host and port, closed with the service."""
    from ui.web import serve

    settings = service.settings
    app = serve(service, host=settings.host, port=settings.port, block=False)
    try:
        yield {"url": f"http://127.0.0.1:{settings.port}/", "service": service}
    finally:
        app.close()
        service.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def page(server, browser):
    """One page for the whole module; records requests that leave the server and any JS dialog."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN",
                                  accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.external_requests = []
    pg.dialogs = []
    host = server["url"].rstrip("/")
    local = (host, "data:", "blob:")
    pg.on("request", lambda r: None if r.url.startswith(local) else pg.external_requests.append(r.url))
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.goto(server["url"])
    pg.wait_for_selector("#pq-question textarea")
    yield pg
    context.close()


def _tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(300)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # let plots and fonts settle
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _ask(page, question: str) -> None:
    """Type a question, send it, and wait until its answer is complete (the input is enabled again and
    the last bot message is not the placeholder)."""
    before = page.locator("#pq-chat .message-row").count()
    page.locator("#pq-question textarea").fill(question)
    page.locator("#pq-send").click()
    page.wait_for_function(
        """([sel, n]) => {
             const rows = document.querySelectorAll(sel);
             if (rows.length < n + 2) return false;
             const last = rows[rows.length - 1].innerText;
             return !last.includes('正在检索') && !document.querySelector('#pq-chat .generating, .pending');
           }""",
        arg=["#pq-chat .message-row", before], timeout=TIMEOUT_MS)
    page.wait_for_timeout(700)  # the stream's last steps


def _pick(page, dropdown_id: str, label: str) -> None:
    page.locator(f"#{dropdown_id} input").click()
    page.get_by_role("option", name=label, exact=True).click()


def _upload(page, files: list[Path]) -> None:
    _tab(page, "文件")
    page.locator("#pq-upload input[type=file]").set_input_files([str(f) for f in files])
    for f in files:
        page.locator("#pq-upload").get_by_text(f.stem[:12]).first.wait_for()  # shown as stem + ".pdf"
    page.locator("#pq-ingest").click()
    # The report names every file of this batch (ingested, unchanged or refused).
    for f in files:
        page.locator("#pq-ingest-report .pq-report").get_by_text(f.stem[:12]).first.wait_for()


# ------------------------------------------------------------------------------------------------ chat


def test_example_question_answer_and_citation(page):
    page.get_by_role("button", name="到2030年可再生能源装机目标是多少？").click()
    card = page.locator("#pq-sources .pq-cite").first
    card.wait_for()
    page.wait_for_function("() => document.querySelector('#pq-chat').innerText.includes('1000万千瓦')")
    chat_text = page.locator("#pq-chat").inner_text()
    assert "1000万千瓦" in chat_text and "[1]" in chat_text
    sources = page.locator("#pq-sources").inner_text()
    assert "连云港市加快经济社会发展全面绿色转型政策举措" in sources
    assert "（五）加快绿色低碳能源供给" in sources
    assert "市发改委" in sources and "第1页" in sources
    assert "1000万千瓦" in page.locator("#pq-sources mark").first.inner_text()
    _shot(page, "chat")


def test_bad_question_and_refusal_are_shown(page):
    _ask(page, "能" * 600)
    assert "问题过长" in page.locator("#pq-chat").inner_text()
    assert "问题过长" in page.locator("#pq-sources").inner_text()
    _ask(page, "到2035年连云港可再生能源发电装机目标是多少？")
    assert page.locator("#pq-sources .pq-badge-refused").inner_text() == "未找到依据"
    assert "未找到依据" in page.locator("#pq-chat .message-row").last.inner_text()


# --------------------------------------------------------------------------------------------- targets


def test_targets_table_filters_and_csv(page, tmp_path):
    _tab(page, "目标")
    table = page.locator("#pq-t-table")
    table.get_by_text("超1000万千瓦").first.wait_for()
    page.locator("#pq-t-by-year").locator("img, svg, canvas").first.wait_for()
    _shot(page, "targets")
    with page.expect_download() as info:
        page.locator("#pq-t-download").click()
    path = tmp_path / "targets.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    hit = [r for r in rows if r["目标值"] == "超1000万千瓦"]
    assert hit and hit[0]["年份"] == "2030" and "市发改委" in hit[0]["责任部门"]
    assert len(rows) >= 19
    # Filter by year: only 2027 targets remain.
    _pick(page, "pq-t-year", "2027")
    page.wait_for_function("() => !document.querySelector('#pq-t-table').innerText.includes('超1000万千瓦')")
    assert "2027" in table.inner_text()


# ------------------------------------------------------------------------------------- bureaus, enterprise


def test_responsibility_matrix_and_bureau_page(page):
    _tab(page, "部门")
    matrix = page.locator("#pq-matrix table.pq-matrix")
    matrix.wait_for()
    assert matrix.locator("td.pq-lead").count() >= 3
    assert "市交通局" in matrix.inner_text()
    _pick(page, "pq-b-bureau", "市交通局（市交通运输局）")
    page.locator("#pq-bureau-detail").get_by_text("加快提升交通运输领域绿色化水平").first.wait_for()
    assert "牵头负责" in page.locator("#pq-bureau-detail").inner_text()
    _shot(page, "bureaus")


def test_enterprise_requirements(page):
    _tab(page, "企业")
    page.locator("#pq-e-go").click()
    page.locator("#pq-e-sources .pq-cite").first.wait_for()
    result = page.locator("#pq-e-result").inner_text()
    assert "化工" in result and "[1]" in result
    _shot(page, "enterprise")


# ------------------------------------------------------------------------------------------- documents


def test_upload_pdf_is_listed(page, corpus, tmp_path):
    broken = tmp_path / "损坏的文件.pdf"
    broken.write_bytes(b"%PDF-1.7\n this is not really a PDF \n%%EOF\n")
    _upload(page, [CHENGDU, broken])
    report = page.locator("#pq-ingest-report").inner_text()
    assert "已导入" in report and "成都市优化能源结构促进城市绿色低碳发展政策措施" in report
    # The bad file is refused with its reason; the good one in the same batch still went in.
    assert "拒收 1" in report and "损坏的文件.pdf" in report
    page.locator("#pq-docs").get_by_text("成都市优化能源结构").first.wait_for()
    # The other tabs re-read the knowledge base: the chat's document filter now offers it.
    _tab(page, "问答")
    page.locator("#pq-doc-filter input").click()
    page.get_by_role("option", name="成都市优化能源结构促进城市绿色低碳发展政策措施").wait_for()
    page.keyboard.press("Escape")
    _tab(page, "文件")
    _shot(page, "documents")


def test_markup_in_a_document_shows_as_text(page, tmp_path):
    src = tmp_path / MALICIOUS_NAME
    src.write_text(MALICIOUS_TEXT, encoding="utf-8")
    _upload(page, [src])
    assert "测试市推进绿色发展若干措施" in page.locator("#pq-ingest-report").inner_text()
    _tab(page, "问答")
    _pick(page, "pq-doc-filter", "测试市推进绿色发展若干措施")
    _ask(page, "鼓励企业建设什么屋顶光伏示范项目？")
    sources = page.locator("#pq-sources")
    sources.locator(".pq-cite").first.wait_for()
    text = sources.inner_text()
    # Shown literally (the cleaner makes ASCII parentheses full-width: alert（1）).
    assert "<script>alert" in text and "</script>" in text
    assert "<img src=x onerror=" in text
    assert "[点我]" in text and "![图]" in text
    # The user's own markup in a question is text too.
    _ask(page, "<img src=x onerror=alert(3)> [链接](http://evil.example/q) 是什么？")
    assert "<img src=x onerror=alert(3)>" in page.locator("#pq-chat").inner_text()
    _shot(page, "chat-escaped")
    # Nothing became an element, nothing ran, nothing was fetched.
    for selector in ('img[src="x"]', "img[onerror]", 'a[href*="evil.example"]', 'img[src*="evil.example"]',
                     "#pq-sources script", "#pq-chat script"):
        assert page.locator(selector).count() == 0, selector
    assert page.title() != "pwned"
    assert page.dialogs == []
    assert not [u for u in page.external_requests if "evil.example" in u]
    _pick(page, "pq-doc-filter", "全部文件")


def test_remove_document(page):
    _tab(page, "文件")
    page.locator("#pq-remove-choice input").click()
    page.get_by_role("option", name="测试市推进绿色发展若干措施").click()
    page.locator("#pq-remove").click()
    page.locator("#pq-ingest-report").get_by_text("已删除《测试市推进绿色发展若干措施》").wait_for()
    page.wait_for_function("() => !document.querySelector('#pq-docs').innerText.includes('测试市推进绿色发展')")
    assert "成都市优化能源结构" in page.locator("#pq-docs").inner_text()


# ------------------------------------------------------------------------------------------ evaluation


def test_evaluation_page_runs_a_test_set(page, tmp_path):
    lines = (ROOT / "eval" / "testsets" / "policyqa.jsonl").read_text(encoding="utf-8").splitlines()
    items = [json.loads(x) for x in lines if x.strip()]
    lyg = [i for i in items if i.get("doc", "").startswith("连云港")]
    chosen = [i for i in lyg if i["answerable"]][:3] + [i for i in lyg if not i["answerable"]][:1]
    testset = tmp_path / "mini.jsonl"
    testset.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in chosen), encoding="utf-8")
    _tab(page, "评测")
    # Test sets come in through the page's upload (the page reads no server paths).
    page.locator("#pq-eval-upload input[type=file]").set_input_files(str(testset))
    page.locator("#pq-eval-upload").get_by_text("mini").first.wait_for()
    page.locator("#pq-eval-run").click()
    page.locator("#pq-eval-metrics").get_by_text("总体正确率").wait_for()
    summary = page.locator("#pq-eval-summary").inner_text()
    assert f"{len(chosen)} 题" in summary
    assert "hit@3" in page.locator("#pq-eval-metrics").inner_text()
    _shot(page, "evaluation")


def test_no_request_left_the_server(page):
    assert page.external_requests == []


# ------------------------------------------------------------------------------------------------- API


def test_ten_concurrent_chat_calls_all_answer(server):
    from gradio_client import Client

    client = Client(server["url"], verbose=False)
    questions = ["到2030年可再生能源装机目标是多少？", "交通领域由哪个部门牵头？", "市发改委牵头负责哪些举措？",
                 "我们是化工企业，有哪些要求？", "非化石能源消费占比目标是多少？"] * 2
    start = time.perf_counter()
    jobs = [client.submit(q, [], "", api_name="/chat") for q in questions]
    with ThreadPoolExecutor(len(jobs)) as pool:
        results = list(pool.map(lambda j: j.result(timeout=120), jobs))
    elapsed = time.perf_counter() - start
    assert len(results) == 10
    for q, (history, sources_html, box) in zip(questions, results):
        answer = history[-1]["content"]
        text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        assert text and "正在检索" not in text and "内部错误" not in text, (q, text)
        assert "pq-cite" in sources_html, q
    assert elapsed < 90


# ------------------------------------------------------------------------------------- login and limits


class _WithSettings:
    """The running service under other settings (auth, upload limit), without a second knowledge base."""

    def __init__(self, service, settings):
        self._service = service
        self.settings = settings

    def __getattr__(self, name):
        return getattr(self._service, name)


def test_login_and_upload_size_limit(server):
    import httpx

    from ui.web import serve

    service = server["service"]
    settings = service.settings.model_copy(update={"auth": "admin:s3cret", "max_file_mb": 0.01,
                                                   "port": _free_port()})
    app = serve(_WithSettings(service, settings), block=False)
    base = f"http://127.0.0.1:{settings.port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            assert http.get("/config").status_code == 401
            assert http.post("/login", data={"username": "admin", "password": "wrong"}).status_code >= 400
            assert http.post("/login", data={"username": "admin", "password": "s3cret"}).status_code == 200
            assert http.get("/config").status_code == 200  # the session cookie is kept by the client
            big = {"files": ("big.txt", "测试".encode() * 10_000, "text/plain")}  # 60 KB > 0.01 MB
            assert http.post("/gradio_api/upload", files=big).status_code == 413
    finally:
        app.close()


def test_login_page_is_chinese_in_an_english_browser(server, browser):
    """Gradio's login form takes its words from the browser's language; ui.locale reports zh-CN to it, so a browser
    set to English sees 登录/用户名/密码 (and 凭据不正确 after a wrong password), as the rest of the UI speaks."""
    from ui.web import serve

    service = server["service"]
    settings = service.settings.model_copy(update={"auth": "admin:s3cret", "port": _free_port()})
    app = serve(_WithSettings(service, settings), block=False)
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-US")
    try:
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        pg.goto(f"http://127.0.0.1:{settings.port}/")
        pg.wait_for_selector("input[type=password]")
        assert pg.evaluate("navigator.language") == "zh-CN"
        assert pg.evaluate("document.documentElement.lang") == "zh-CN"
        text = pg.locator("body").inner_text()
        assert "用户名" in text and "密码" in text and "登录" in text, text
        assert not re.search(r"\b(?:Login|username|password)\b", text, re.I), text
        pg.locator("input[type=text]").fill("admin")
        pg.locator("input[type=password]").fill("wrong")
        pg.get_by_role("button", name="登录").click()
        pg.wait_for_function("document.body.innerText.includes('凭据不正确')")
        pg.locator("input[type=text]").fill("admin")  # the failed attempt clears the form
        pg.locator("input[type=password]").fill("s3cret")
        pg.get_by_role("button", name="登录").click()
        pg.wait_for_selector("#pq-question textarea")  # logged in: the app itself, Gradio's footer in Chinese too
        assert "通过 API 使用" in pg.locator("body").inner_text()
        _shot(pg, "login_zh")
    finally:
        context.close()
        app.close()


# ------------------------------------------------------------------------------- renderers (no browser)


def test_chat_text_is_neutralised_before_markdown():
    from ui.render import chat_answer, highlight, md_text

    out = md_text("见[点我](http://evil.example/)和![图](x.png)<img src=x onerror=alert(1)>**粗**$$x$$")
    assert "<" not in out and ">" not in out and "&lt;img" in out
    for raw in ("[", "]", "(", ")", "!", "*", "$"):
        assert all(out[i - 1] == "\\" for i, ch in enumerate(out) if ch == raw), raw
    assert chat_answer("装机超1000万千瓦[1]。") == "装机超1000万千瓦<sup>[1]</sup>。"
    assert highlight("前<b>句。目标句。", "目标句。") == "前&lt;b&gt;句。<mark>目标句。</mark>"


def test_chat_streams_llm_deltas_then_shows_the_guarded_answer():
    from types import SimpleNamespace

    from answer.types import Answer
    from ui.pages.chat import respond

    final = Answer(question="q", answer="最终答案[1]", refused=False, citations=[], note="LLM 已回退")

    def stream(q, doc=None):  # PolicyService.ask_stream's protocol: text pieces, then the checked Answer
        yield "临时"
        yield "文本"
        yield final

    service = SimpleNamespace(settings=SimpleNamespace(llm_enabled=True), check_question=lambda q: q,
                              ask_stream=stream,
                              catalog=SimpleNamespace(documents={}))
    steps = [h[-1]["content"] for h, _sources, _box in respond(service, "问题", [], "")]
    assert steps[1].startswith("临时") and steps[2].startswith("临时文本")
    assert "最终答案<sup>[1]</sup>" in steps[-1] and "LLM 已回退" in steps[-1]
