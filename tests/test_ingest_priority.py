"""Ingest processes run below the serving process's priority, so questions asked during an ingest get the
cores first (issue 11): the PDF workers and the embedding workers as they are really started."""
from __future__ import annotations

import os
import subprocess
import sys
import time

from ingest.loaders import WORKER_SCRIPT
from ingest.pdf_worker import INGEST_NICENESS
from retrieval.embedpool import EmbeddingPool


def test_pdf_worker_lowers_its_priority():
    before = os.nice(0)
    proc = subprocess.Popen([sys.executable, "-P", str(WORKER_SCRIPT), "--memory-mb", "1024"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b'{"ready": true}'  # set before it says ready
        assert os.getpriority(os.PRIO_PROCESS, proc.pid) >= INGEST_NICENESS
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
