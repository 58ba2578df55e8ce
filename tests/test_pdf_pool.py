"""The PDF worker pool (ingest/pdf_pool.py, ingest/pdf_worker.py) under failure: a parse that hangs, hogs memory or
crashes its worker, workers in parallel, an abandoned batch, a slow caller, a file whose content is already known.
Real worker processes on real corpus PDFs (moved from tests/test_loaders.py)."""
from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

import pytest

from errors import RejectedFile
from ingest import loaders
from ingest.loaders import FileLoader, LoadedFile
from tests.test_loaders import GUANGDONG, LYG_PDF, LYG_TXT


# --- worker failures, through a stand-in worker ----------------------------------------------------
# The stand-in runs the real pdf_worker.main() protocol with a handler that hangs, hogs memory or
# crashes for files named so; FileLoader(worker_cmd=…) is the test-only way to start it.

STANDIN = '''
import os, resource, sys, time
sys.path.insert(0, {ingest!r})
import pdf_worker

def handler(path):
    name = os.path.basename(path)
    with open(path + ".pid", "w") as f:
        f.write(str(os.getpid()))
    if name.startswith("hang"):
        time.sleep(600)
    if name.startswith("hog"):
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY:
            raise RuntimeError("no memory cap in the worker")
        bytearray(soft + (64 << 20))  # more than the cap allows: MemoryError, not a machine-wide OOM
    if name.startswith("crash"):
        os._exit(7)
    return pdf_worker.parse_pdf(path)

pdf_worker.main(handler)
'''


@pytest.fixture
def standin(tmp_path) -> list[str]:
    script = tmp_path / "standin_worker.py"
    script.write_text(STANDIN.format(ingest=str(Path(loaders.__file__).parent)), encoding="utf-8")
    return [sys.executable, "-P", str(script)]


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def _pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_hanging_parse_times_out_and_the_batch_continues(tmp_path, standin):
    hang = _copy(LYG_PDF, tmp_path / "hang.pdf")
    good = _copy(LYG_PDF, tmp_path / "good.pdf")
    loader = FileLoader(max_file_mb=50, timeout_s=1.0, workers=1, worker_cmd=standin)
    started = time.perf_counter()
    results = list(loader.load_many([hang, good]))
    elapsed = time.perf_counter() - started
    assert isinstance(results[0], RejectedFile) and "超时" in results[0].reason and "1 秒" in results[0].reason
    assert isinstance(results[1], LoadedFile) and len(results[1].pages) == 10
    assert elapsed < 15
    hung_pid = int((tmp_path / "hang.pdf.pid").read_text())
    assert _pid_gone(hung_pid)  # killed and reaped
    assert int((tmp_path / "good.pdf.pid").read_text()) != hung_pid  # a fresh worker took over


def test_memory_cap_stops_a_runaway_parse(tmp_path, standin):
    hog = _copy(LYG_PDF, tmp_path / "hog.pdf")
    loader = FileLoader(max_file_mb=50, timeout_s=30, workers=1, memory_mb=512, worker_cmd=standin)
    with pytest.raises(RejectedFile, match="内存超过上限 512 MB"):
        loader.load(hog)


def test_crashing_worker_is_replaced(tmp_path, standin):
    crash = _copy(LYG_PDF, tmp_path / "crash.pdf")
    good = _copy(LYG_PDF, tmp_path / "good.pdf")
    loader = FileLoader(max_file_mb=50, timeout_s=30, workers=1, worker_cmd=standin)
    results = list(loader.load_many([crash, good]))
    assert isinstance(results[0], RejectedFile) and "意外退出" in results[0].reason and "7" in results[0].reason
    assert isinstance(results[1], LoadedFile)


def test_pdfs_are_parsed_by_parallel_workers(tmp_path, standin):
    files = [_copy(LYG_PDF, tmp_path / f"copy{i}.pdf") for i in range(6)]
    loader = FileLoader(max_file_mb=50, timeout_s=30, workers=2, worker_cmd=standin)
    results = list(loader.load_many(files))
    assert all(isinstance(r, LoadedFile) for r in results)
    pids = {(tmp_path / f"copy{i}.pdf.pid").read_text() for i in range(6)}
    assert len(pids) == 2


def test_abandoning_a_batch_kills_busy_workers(tmp_path, standin):
    good = _copy(LYG_PDF, tmp_path / "good.pdf")
    hang = _copy(LYG_PDF, tmp_path / "hang.pdf")
    loader = FileLoader(max_file_mb=50, timeout_s=60, workers=2, worker_cmd=standin)
    batch = loader.load_many([good, hang])
    assert isinstance(next(batch), LoadedFile)
    pid_file = tmp_path / "hang.pdf.pid"
    deadline = time.monotonic() + 20
    while not pid_file.exists() and time.monotonic() < deadline:  # the second worker is still starting
        time.sleep(0.05)
    hung_pid = int(pid_file.read_text())
    batch.close()
    assert _pid_gone(hung_pid)


@pytest.mark.slow
def test_a_slow_caller_does_not_cause_false_timeouts(tmp_path):
    # While the caller dwells on the first result longer than the time limit, the second file is parsed
    # (its worker even starts up) in the background; its answer waits in the pipe and must count.
    files = [_copy(LYG_PDF, tmp_path / f"copy{i}.pdf") for i in range(2)]
    loader = FileLoader(max_file_mb=50, timeout_s=2.0, workers=2)
    results = []
    for r in loader.load_many(files):
        results.append(r)
        time.sleep(2.5)
    assert [type(r) for r in results] == [LoadedFile, LoadedFile], results


def test_a_file_whose_content_is_known_is_not_parsed(tmp_path, standin):
    stored = _copy(LYG_PDF, tmp_path / "stored.pdf")
    fresh = _copy(LYG_TXT, tmp_path / "fresh.txt")
    other = _copy(GUANGDONG, tmp_path / "other.pdf")
    known_hash = hashlib.sha256(stored.read_bytes()).hexdigest()
    asked: list[str] = []

    def known(h: str) -> bool:
        asked.append(h)
        return h == known_hash

    loader = FileLoader(max_file_mb=50, timeout_s=30, workers=1, worker_cmd=standin, known=known)
    results = list(loader.load_many([stored, fresh, other]))
    assert isinstance(results[0], loaders.Unchanged)
    assert (results[0].source, results[0].content_hash) == ("stored.pdf", known_hash)
    assert not (tmp_path / "stored.pdf.pid").exists()  # no worker ever saw it
    assert isinstance(results[1], LoadedFile) and isinstance(results[2], RejectedFile)  # the others as before
    assert (tmp_path / "other.pdf.pid").exists() and len(asked) == 3
