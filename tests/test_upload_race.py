"""Two sessions import the same file while the first import still runs (issue 11: nothing lost under faults).

Gradio stores an upload at one path per file's bytes, the same for every session, and the first import takes the
file out of Gradio's (served) folder. A second session whose import started before the first had ended was handed
that path, waited for the write lock, and then found it gone: 文件不存在. Each import now reads its own copy of the
bytes, made when it starts (before it waits). Real parts: the 文件 page's handler, the ingest child, a corpus-dc PDF."""
from __future__ import annotations

import os
import shutil
import threading
import time

import pytest

from service import PolicyService
from settings import Settings
from tests.conftest import corpus_dc_file
from ui.pages.documents import ingest_files

pytestmark = pytest.mark.slow


def _upload(gradio_dir, src, name):
    """Gradio's upload: the bytes to a temporary file, then renamed to <folder>/<hash>/<name> (one path per bytes)."""
    dest = gradio_dir / "7c1e9a" / name
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = gradio_dir / f"upload-{time.monotonic_ns()}.tmp"
    shutil.copy(src, tmp)
    os.rename(tmp, dest)
    return dest


def test_a_second_import_of_the_same_upload_started_during_the_first_reads_its_bytes(tmp_path):
    src = corpus_dc_file("549")
    gradio_dir = tmp_path / "gradio"
    svc = PolicyService(Settings(home=tmp_path / "home", workers=1))
    results: dict[str, str] = {}
    started = {"A": threading.Event(), "B": threading.Event()}

    def session(name, path):
        def progress(value, desc="", unit=""):  # gr.Progress: first called when the import starts
            started[name].set()

        results[name] = ingest_files(svc, [str(path)], progress)

    try:
        path_a = _upload(gradio_dir, src, src.name)
        a = threading.Thread(target=session, args=("A", path_a))
        a.start()
        assert started["A"].wait(60)
        time.sleep(1.0)  # A's ingest child is starting (it takes seconds to load)
        assert a.is_alive(), "the first import ended before the second started: no race to test"
        path_b = _upload(gradio_dir, src, src.name)  # B's upload of the same file: the same path
        assert path_b == path_a
        b = threading.Thread(target=session, args=("B", path_b))
        b.start()
        assert started["B"].wait(60)  # B's import started (and waits for A's to end) ...
        assert a.is_alive(), "the first import ended before the second started: no race to test"
        a.join(300)
        b.join(300)
        # whichever takes the write lock first stores it, the other finds it unchanged; neither is refused (文件不存在)
        assert all("拒收 0" in r for r in results.values()), results
        assert sorted("导入 1" in r for r in results.values()) == [False, True], results
        assert sorted("未变 1" in r for r in results.values()) == [False, True], results
        docs = svc.documents()
        assert len(docs) == 1
        kept = svc.upload_of(docs[0].doc_id)
        assert [p.name for p in kept] == [src.name] and kept[0].read_bytes() == src.read_bytes()
        assert not path_a.exists()  # out of Gradio's served folder
        leftovers = [p for p in svc.settings.uploads_dir.rglob("*") if p.is_file() and p not in kept]
        assert not leftovers, leftovers
    finally:
        svc.close()
