"""The PDF worker's reply must always be writable as UTF-8: a lone surrogate in pypdf's text killed it."""
from __future__ import annotations

import json

from ingest.pdf_worker import run_job


def test_lone_surrogate_becomes_replacement_character():
    result = run_job("x.pdf", lambda path: ["正文\ud835结束", "第二页"], [])
    assert result["ok"] and result["pages"][0] == "正文\ufffd结束"
    json.dumps(result, ensure_ascii=False).encode("utf-8")  # what the worker writes; raised before
