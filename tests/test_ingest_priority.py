"""Ingest processes run below the serving process's priority, so questions asked during an ingest get the
cores first (issue 11): the PDF workers and the embedding workers as they are really started, at niceness 10 for a
CLI ingest and in SCHED_IDLE (with everything they start) for the ingest child a serving process starts."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from pathlib import Path

import pytest

import service_ingest
from ingest.loaders import WORKER_SCRIPT
from ingest.pdf_worker import INGEST_NICENESS
from retrieval.embedpool import EmbeddingPool
from settings import Settings, shared_corpus


def test_pdf_worker_lowers_its_priority():
    before = os.nice(0)
    proc = subprocess.Popen([sys.executable, "-P", str(WORKER_SCRIPT), "--memory-mb", "1024"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b'{"ready": true}'  # set before it says ready
        assert os.getpriority(os.PRIO_PROCESS, proc.pid) >= INGEST_NICENESS
        assert os.sched_getscheduler(proc.pid) == os.sched_getscheduler(0)  # a CLI ingest keeps its class
        assert os.nice(0) == before  # the caller's own priority is untouched
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def _niceness_when_set(pid: int, timeout_s: float = 60.0) -> int:
    """A worker lowers its priority at start-up, before it loads the encoder: wait for that moment."""
    deadline = time.monotonic() + timeout_s
    while (value := os.getpriority(os.PRIO_PROCESS, pid)) < INGEST_NICENESS and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def test_embedding_workers_lower_their_priority():
    before = os.nice(0)
    pool = EmbeddingPool(1)  # one worker is started as each of the ingest's two is (and loads the encoder once)
    try:
        vectors = [v for f in pool.submit(["碳达峰", "非化石能源消费比重"]) for v in f.result(timeout=120)]
        assert len(vectors) == 2  # the workers embed as before
        for proc in pool._procs:
            assert _niceness_when_set(proc.pid) >= INGEST_NICENESS
        assert os.nice(0) == before  # the caller's own priority is untouched
    finally:
        pool.close()


IDLE_THEN_WORKER = f"""
import os, subprocess, sys
from ingest.pdf_worker import idle_priority
assert idle_priority()
proc = subprocess.Popen([sys.executable, "-P", {str(WORKER_SCRIPT)!r}, "--memory-mb", "1024"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
assert proc.stdout.readline().strip() == b'{{"ready": true}}'
print(os.sched_getscheduler(0), os.getpriority(os.PRIO_PROCESS, 0),
      os.sched_getscheduler(proc.pid), os.getpriority(os.PRIO_PROCESS, proc.pid))
proc.stdin.close()
proc.wait(timeout=30)
"""


def test_idle_priority_is_inherited_by_the_workers_an_ingest_starts():
    out = subprocess.run([sys.executable, "-c", IDLE_THEN_WORKER], capture_output=True, text=True, timeout=120,
                         cwd=Path(service_ingest.__file__).parent, check=True).stdout.split()
    mine, my_nice, worker, worker_nice = map(int, out)
    assert mine == worker == os.SCHED_IDLE
    assert my_nice >= INGEST_NICENESS and worker_nice >= INGEST_NICENESS
    assert os.sched_getscheduler(0) != os.SCHED_IDLE  # the caller's class is untouched


def _descendants(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            continue
        for kid in kids:
            out += [kid, *_descendants(kid)]
    return out


@pytest.mark.slow  # a child ingest process loads the encoder
def test_the_servers_ingest_child_and_its_workers_run_in_sched_idle(tmp_path):
    pdfs = sorted(shared_corpus("corpus").glob("*.pdf"))[:2]
    seen: list[tuple[str, int, int]] = []

    def progress(done: int, total: int, name: str) -> None:
        if seen:
            return
        for pid in _descendants(os.getpid()):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                seen.append((cmd, os.sched_getscheduler(pid), os.getpriority(os.PRIO_PROCESS, pid)))
            except (OSError, ProcessLookupError):
                pass

    report = service_ingest.run_child(Settings(home=tmp_path / "home"), pdfs, progress=progress)
    assert len(report.ingested) == 2
    assert any("service_ingest.py" in cmd for cmd, _, _ in seen), seen
    for cmd, policy, nice in seen:  # the child and every process it started (PDF and embedding workers)
        assert policy == os.SCHED_IDLE, cmd
        assert nice >= INGEST_NICENESS, cmd
    assert os.sched_getscheduler(0) != os.SCHED_IDLE  # the serving process keeps its class
