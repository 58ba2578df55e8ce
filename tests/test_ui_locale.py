"""ui.locale: Gradio's page, as Gradio ships it, reports zh-CN to its scripts before they run."""
from __future__ import annotations

from pathlib import Path

import gradio

from ui.locale import SCRIPT, localised

INDEX = Path(gradio.__file__).parent / "templates" / "frontend" / "index.html"


def test_gradio_page_gets_the_locale_script_before_its_own_scripts():
    page = INDEX.read_bytes()
    out = localised(page).decode()
    assert out.count(SCRIPT) == 1
    assert out.index(SCRIPT) < out.index("<script", out.index(SCRIPT) + len(SCRIPT))  # first script of the page
    assert out.index(SCRIPT) < out.index("</head>")
    html_tag = out[out.index("<html"):out.index(">", out.index("<html"))]
    assert 'lang="zh-CN"' in html_tag and 'lang="en"' not in html_tag  # Gradio ships lang="en"
    assert localised(b"no page here") == b"no page here"
