"""The benchmark harness: budget checks, /proc memory reading, and the server cold-start measurement
driven against a small stand-in HTTP server (the real `python app.py` is measured by `python -m eval bench`)."""
import os
import sys
import textwrap

import pytest

from eval.bench import bench_10k, bench_server, cores, default_corpus_dir, rss_mb
from eval.bench_report import check_budgets, format_bench
from settings import Settings


def test_check_budgets_and_format():
    result = {
        "cores": {"cpu_count": 2, "usable": 2},
        "errors": {"server": "RuntimeError: boom"},
        "retrieval": {"p50_ms": 3.0, "p95_ms": 4.0},
        "ask": {"p50_ms": 50.0, "p95_ms": 120.0},
        "retrieval_10k": {"available": False, "reason": "retrieval.bench not available"},
    }
    budgets = {b["budget"]: b for b in check_budgets(result)}
    assert budgets["retrieval p50, bundled corpus (ms)"]["ok"] is True
    assert budgets["extractive ask p95 (ms)"]["ok"] is False
    assert budgets["server resident memory (MB)"]["ok"] is None  # not measured
    result["budgets"] = list(budgets.values())
    text = format_bench(result)
    assert "OVER BUDGET" in text and "not measured" in text
    assert "10k retrieval: not available" in text and "error in server: RuntimeError: boom" in text


def test_rss_and_cores_of_this_process():
    mem = rss_mb(os.getpid())
    assert 10 < mem["rss_mb"] <= mem["tree_rss_mb"] and mem["peak_rss_mb"] >= mem["rss_mb"]
    assert cores()["usable"] >= 1
    assert default_corpus_dir().name == "corpus"


def test_bench_10k_reports_not_available_without_a_builder(monkeypatch):
    import types

    monkeypatch.setitem(sys.modules, "retrieval.bench", types.ModuleType("retrieval.bench"))
    import retrieval

    monkeypatch.setattr(retrieval, "bench", sys.modules["retrieval.bench"], raising=False)
    out = bench_10k(Settings())
    assert out["available"] is False and "build_10k_index" in out["reason"]


STAND_IN = textwrap.dedent("""
    import os, time
    from http.server import BaseHTTPRequestHandler, HTTPServer
    time.sleep(0.3)  # a start-up delay to measure
    class H(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
        def log_message(self, *a):
            pass
    HTTPServer(("127.0.0.1", int(os.environ["POLICYQA_PORT"])), H).serve_forever()
""")


def test_bench_server_measures_cold_start_and_memory(tmp_path):
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN, encoding="utf-8")
    out = bench_server(Settings(), asks=1, timeout_s=30, argv=[sys.executable, str(script)], build_index=False)
    assert 0.3 <= out["cold_start_s"] < 30
    assert out["rss_mb"] > 1 and out["at_start"]["rss_mb"] > 1
    assert out["warm_up"].startswith("warm-up asks skipped")  # the stand-in has no Gradio API


def test_bench_server_reports_a_crashing_server(tmp_path):
    script = tmp_path / "crash.py"
    script.write_text("import sys; print('cannot start'); sys.exit(3)\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="exited with 3:\ncannot start"):
        bench_server(Settings(), argv=[sys.executable, str(script)], build_index=False)


def test_library_report_table_budgets_and_chart(tmp_path):
    """The library bench's report: one row per size, the budgets of SPEC, a PNG chart."""
    from eval.bench_report import format_library, library_chart, library_table

    def size(docs, p50, p95, first):
        return {"documents": docs, "files": docs, "units": docs * 20, "ready_s": 3.0, "first_answer_ms": first,
                "first_answer_s": 3.1, "ask": {"n": 36, "p50_ms": p50, "p95_ms": p95, "max_ms": p95 * 2},
                "rss_mb": 400.0, "slowest": [{"question": "问题", "max_ms": p95 * 2}]}

    sizes = [size(1, 5.0, 9.0, 20.0), size(288, 12.0, 140.0, 30.0)]
    sizes[1]["ask"]["cpu_ms"] = 16.5
    lib = {"corpus": "corpus-dc", "files": 289, "sizes": sizes,
           "ingest": {"bare_pypdf": {"seconds": 100.0, "pages": 3900}, "ratio": 1.5, "reused": True,
                      "measured_at": "2026-11-30 07:00:00",
                      "ingest": {"seconds": 150.0, "peak_tree_rss_mb": 1500.0, "peak_rss_mb": 900.0,
                                 "summary": "ingested 288"}},
           "budgets": [{"budget": "ask p95, whole library (ms)", "value": 140.0, "bound": "<= 100", "ok": False}]}
    table = library_table(lib)
    assert table.count("\n") == 3 and "| 288 (288) |" in table and "140.0 ms" in table
    assert "| 16.5 ms | 400.0 MB |" in table and "| – | 400.0 MB |" in table  # CPU per ask, when recorded
    text = format_library(lib)
    assert "1.5x" in text and "OVER BUDGET" in text and "reused" in text
    chart = library_chart(lib, tmp_path / "docs" / "chart.png")
    assert chart.exists() and chart.stat().st_size > 1000


def test_the_users_bench_waits_for_the_writer_of_the_home(tmp_path):
    """When gradio_client gives up on the /ingest call, the bench waits for the ingest (which holds write.lock,
    service_documents.py) to end before it counts documents and stops the server."""
    import fcntl
    import os

    from eval.bench_users import wait_for_writer

    fd = os.open(tmp_path / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # an ingest writing
        assert wait_for_writer(tmp_path, timeout_s=0.5) is False
        fcntl.flock(fd, fcntl.LOCK_UN)
        assert wait_for_writer(tmp_path, timeout_s=5) is True
    finally:
        os.close(fd)


def test_the_users_bench_server_keeps_its_uploads_in_a_folder_of_its_own_outside_the_home(tmp_path, monkeypatch):
    """Gradio's upload path depends only on the file's bytes and name; in the shared default folder another
    server's ingest moved the bench's uploads away (keep_uploads) before the bench's child read them. Inside the
    home, Gradio refuses them: the app blocks the home from its file routes (ui/web.py)."""
    from pathlib import Path

    from gradio.utils import get_upload_folder

    from eval.bench_users import server_env

    home, uploads = tmp_path / "home", tmp_path / "uploads"
    env = server_env(home, 7860, tmp_path / "t.jsonl", uploads)
    folder = Path(env["GRADIO_TEMP_DIR"])
    assert folder == uploads and not folder.is_relative_to(home)
    assert env["POLICYQA_HOME"] == str(home)
    monkeypatch.setenv("GRADIO_TEMP_DIR", env["GRADIO_TEMP_DIR"])
    assert Path(get_upload_folder()) == folder  # where the server's Gradio puts the uploads
