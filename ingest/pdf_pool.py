"""PDF worker processes for `ingest.loaders.FileLoader`: `Pool` keeps up to `size` `pdf_worker.py` processes,
hands each one PDF at a time, and turns every outcome into an answer (`Reply`) or a refusal: a worker that
does not answer within the time limit is killed and replaced, one that dies is reported as a crash.
"""
from __future__ import annotations

import json
import math
import os
import select
import subprocess
import time
from pathlib import Path
from typing import NamedTuple

from errors import PolicyQAError, RejectedFile

WORKER_SCRIPT = Path(__file__).with_name("pdf_worker.py")
STARTUP_S = 60.0  # a worker that cannot import pypdf within this is a broken installation


class PdfJob(NamedTuple):
    index: int
    path: Path
    content_hash: str


class Reply(NamedTuple):
    """One decoded worker answer (see the protocol in pdf_worker.py)."""
    ok: bool
    pages: list[str]
    error: str
    detail: str
    log: list[str]


def reject(path: Path, reason: str) -> RejectedFile:
    return RejectedFile(str(path), reason)


class Worker:
    """One pdf_worker.py process; holds at most one job."""

    def __init__(self, argv: list[str]):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, close_fds=True)
        self.fd = self.proc.stdout.fileno()  # read with os.read: the BufferedReader is never used
        self.buf = bytearray()
        self.ready = False
        self.job: PdfJob | None = None
        self.deadline = time.monotonic() + STARTUP_S

    def send(self) -> None:
        line = json.dumps({"path": str(self.job.path.resolve())}, ensure_ascii=False) + "\n"
        try:
            self.proc.stdin.write(line.encode("utf-8"))
            self.proc.stdin.flush()
        except BrokenPipeError:  # the worker died: its end of output is read next and reported as a crash
            pass

    def read_lines(self) -> list[bytes] | None:
        """Complete lines now available; None at end of output (the process is gone)."""
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            return None
        if b"\n" not in chunk:  # a large result arrives in many chunks: do not rescan the buffer
            self.buf += chunk
            return []
        self.buf += chunk
        *lines, rest = bytes(self.buf).split(b"\n")
        self.buf = bytearray(rest)
        return lines

    def _close_stdin(self) -> None:
        try:
            self.proc.stdin.close()  # end of input: a live worker leaves its loop
        except BrokenPipeError:  # the worker is already gone; wait() collects it
            pass

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self._close_stdin()
        self.proc.stdout.close()

    def reap(self) -> None:
        """After end of output: the process has exited or is about to."""
        self._close_stdin()
        self.proc.wait()
        self.proc.stdout.close()

    def close(self) -> None:
        self._close_stdin()
        try:
            self.proc.wait(timeout=2.0)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


class Pool:
    """Up to `size` workers; a worker that times out or dies is killed and replaced on demand."""

    def __init__(self, argv: list[str], size: int, timeout_s: float):
        self.argv = argv
        self.size = size
        self.timeout_s = timeout_s
        self.workers: list[Worker] = []

    def busy(self) -> int:
        return sum(w.job is not None for w in self.workers)

    def submit(self, job: PdfJob) -> None:
        idle = [w for w in self.workers if w.job is None]
        if idle:
            w = idle[0]
        else:
            w = Worker(self.argv)
            self.workers.append(w)
        w.job = job
        # A starting worker gets the job at once (it reads it after start-up, even while our caller is
        # busy with a result); its clock starts when we see it ready.
        w.send()
        if w.ready:
            w.deadline = time.monotonic() + self.timeout_s

    def _drop(self, w: Worker, *, kill: bool) -> None:
        self.workers.remove(w)
        if kill:
            w.kill()
        else:
            w.reap()

    def wait(self) -> list[tuple[PdfJob, Reply | RejectedFile]]:
        """Block until at least one job has an outcome (answer, timeout or crash)."""
        done: list[tuple[PdfJob, Reply | RejectedFile]] = []
        while not done:
            active = [w for w in self.workers if w.job is not None or not w.ready]
            if not active:
                raise RuntimeError("Pool.wait called with nothing running")
            # Read first, judge deadlines after: an answer that arrived while our caller was busy with
            # the previous result must not be mistaken for a timeout.
            wait_ms = max(0, math.ceil((min(w.deadline for w in active) - time.monotonic()) * 1000))
            poller = select.poll()  # not select(): a server process may hold file descriptors above 1024
            by_fd = {w.fd: w for w in active}
            for fd in by_fd:
                poller.register(fd, select.POLLIN)
            for fd, _event in poller.poll(wait_ms):
                self._read(by_fd[fd], done)
            now = time.monotonic()
            for w in [w for w in self.workers if (w.job is not None or not w.ready) and now >= w.deadline]:
                self._drop(w, kill=True)
                if not w.ready:
                    raise PolicyQAError(f"PDF 解析进程 {STARTUP_S:g} 秒内未能启动（{WORKER_SCRIPT}）")
                done.append((w.job, reject(w.job.path,
                                            f"解析超时：超过 {self.timeout_s:g} 秒仍未完成，已终止解析")))
        return done

    def _read(self, w: Worker, done: list[tuple[PdfJob, Reply | RejectedFile]]) -> None:
        lines = w.read_lines()
        if lines is None:
            self._drop(w, kill=False)
            rc = w.proc.returncode
            if not w.ready:
                raise PolicyQAError(f"PDF 解析进程启动失败（退出码 {rc}，{WORKER_SCRIPT}）")
            done.append((w.job, reject(w.job.path, f"解析进程意外退出（退出码 {rc}），"
                                                    "文件可能触发了解析器缺陷或内存上限")))
            return
        for line in lines:
            msg = json.loads(line)
            if msg.get("ready"):
                w.ready = True
                w.deadline = time.monotonic() + self.timeout_s if w.job is not None else math.inf
                continue
            done.append((w.job, Reply(msg["ok"], msg.get("pages", []), msg.get("error", ""),
                                       msg.get("detail", ""), msg.get("log", []))))
            w.job, w.deadline = None, math.inf

    def close(self) -> None:
        for w in self.workers:
            if w.job is not None:
                w.kill()  # the caller abandoned the batch mid-parse
            else:
                w.close()
        self.workers.clear()
