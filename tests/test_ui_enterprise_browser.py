"""The 企业 page in headless Chromium: an enterprise profile → the support items it can apply for, with amounts,
conditions marked, deadlines (expired marked) and a CSV export. Real service, real corpus-dc support documents."""
from __future__ import annotations

import csv

import pytest

from tests.conftest import CORPUS_DC

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.slow

from tests.test_ui_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, _free_port  # noqa: E402



@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from service import PolicyService
    from settings import Settings
    from ui.web import serve

    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed at /usr/bin/chromium")
    settings = Settings(home=tmp_path_factory.mktemp("ent") / "home", host="127.0.0.1", port=_free_port(), auth=None)
    service = PolicyService(settings)
    service.ensure_default_corpus()
    files = [next(CORPUS_DC.glob(f"{p}*.pdf")) for p in ("117、", "309、")]
    report = service.ingest(files)
    assert len(report.ingested) == 2
    app = serve(service, host=settings.host, port=settings.port, block=False)
    try:
        with playwright_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            ctx = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="zh-CN", accept_downloads=True)
            pg = ctx.new_page()
            pg.set_default_timeout(60_000)
            pg.goto(f"http://127.0.0.1:{settings.port}/")
            pg.wait_for_selector("#pq-question textarea")
            pg.get_by_role("tab", name="企业").click()
            yield pg
            browser.close()
    finally:
        app.close()
        service.close()


def test_profile_finds_support_with_amounts_conditions_and_deadlines(page):
    page.locator("#pq-s-place input, #pq-s-place textarea").first.fill("芜湖市繁昌区")
    page.locator("#pq-s-project input, #pq-s-project textarea").first.fill("屋顶分布式光伏发电")
    page.locator("#pq-s-quals input").click()
    page.get_by_role("option", name="高新技术企业", exact=True).click()
    page.keyboard.press("Escape")
    page.locator("#pq-s-go").click()
    page.locator("#pq-s-result .pq-support").first.wait_for()
    cards = page.locator("#pq-s-result .pq-support")
    first = cards.first.inner_text()
    assert "繁昌区节能降碳若干支持措施" in first and "分布式光伏" in first  # the planned project ranks first
    assert "0.05元/度" in first and "最高200万元" in first
    text = page.locator("#pq-s-result").inner_text()
    assert "满足" in text and "待确认" in text  # conditions marked from the profile
    assert "已截止" in text and "2022年7月24日" in text  # Shenzhen's 2023 guide closed in July 2022
    assert "最高1000万元" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "enterprise-support.png"), full_page=True)


def test_sort_by_amount_and_csv(page, tmp_path):
    page.get_by_label("按金额").check()
    page.locator("#pq-s-go").click()
    page.wait_for_function(
        "() => document.querySelector('#pq-s-result .pq-support') && "
        "document.querySelector('#pq-s-result').innerText.includes('按金额')")
    first = page.locator("#pq-s-result .pq-support").first.inner_text()
    # The largest item the profile may apply for first (屋顶光伏 in 繁昌区: 0.05元/度, up to 200万元); the larger
    # ones it does not fit (Shenzhen's 1000万元, 繁昌's 800万元 for closing a plant) follow under 其他条目.
    assert "最高200万元" in first and "分布式光伏" in first
    text = page.locator("#pq-s-result").inner_text()
    assert text.index("可申请") < text.index("其他条目") < text.index("800万元")
    link = page.locator("#pq-s-csv a").first
    with page.expect_download() as dl:
        link.click()
    path = tmp_path / "support.csv"
    dl.value.save_as(path)
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0][:4] == ["文件", "条目", "类别", "金额/比例"] and len(rows) > 5
