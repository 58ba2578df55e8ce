"""A timing log for the users bench (issue 11): where a slow answer's seconds go in the serving process.

When POLICYQA_TIMING_LOG names a file, every /ask call that carries an `X-Request-Id` header (ui/web.py) appends
one JSON line: the handler's start and end on the monotonic clock (`time.perf_counter`, the clock the bench reads too, so
the bench can subtract its own send time), the handler thread's CPU time, and how long that thread waited on the
kernel's run queue for a core (from /proc/thread-self/schedstat, Linux). What is left of the handler's wall time
after its CPU and its run-queue wait is time it slept, which for pure-Python work is waiting for the GIL.
The search index also logs each write to Chroma (`retrieval/index.py`, id "chroma-add"): the embedded
client holds the GIL for the whole of a write, so every thread of the process stops meanwhile.
Without the setting nothing is recorded.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from contextlib import contextmanager
from collections.abc import Iterator

ENV = "POLICYQA_TIMING_LOG"
HEADER = "x-request-id"
_lock = threading.Lock()


def run_delay_s() -> float | None:
    """Seconds this thread has spent runnable but waiting for a core (None where the kernel does not say)."""
    try:
        with open("/proc/thread-self/schedstat", "rb") as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return None


def request_id(request) -> str | None:
    """The X-Request-Id header of a gr.Request (None without a request or header)."""
    headers = getattr(request, "headers", None)
    return headers.get(HEADER) if headers is not None else None


@contextmanager
def timed(rid: str | None) -> Iterator[None]:
    """Time the enclosed handler work and append its line to the timing log, if one is set and rid is given."""
    path = os.environ.get(ENV)
    if not path or not rid:
        yield
        return
    start, cpu0, wait0 = time.perf_counter(), time.thread_time(), run_delay_s()
    try:
        yield
    finally:
        end, cpu1, wait1 = time.perf_counter(), time.thread_time(), run_delay_s()
        _append(path, {"id": rid, "start": start, "end": end, "cpu_s": cpu1 - cpu0,
                       "runq_s": None if wait0 is None or wait1 is None else wait1 - wait0,
                       "threads": threading.active_count()})


@contextmanager
def span(name: str, **fields) -> Iterator[None]:
    """Log the enclosed work's start and end under `name` (several lines may share it), if a log is set."""
    path = os.environ.get(ENV)
    if not path:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        # the ingest child inherits the setting: its spans say which process (and thread) ran them
        _append(path, {"id": name, "start": start, "end": time.perf_counter(), "pid": os.getpid(),
                       "thread": threading.current_thread().name, **fields})


def watch_gc(min_s: float = 0.005) -> bool:
    """With the log set, log every cyclic garbage collection of this process longer than `min_s` as a span
    "gc-<generation>" (with how many objects it collected): a collection holds the GIL throughout, so every
    thread of the server, the event loop included, stops while it walks the objects. True when watching."""
    import gc

    path = os.environ.get(ENV)
    if not path:
        return False
    started: dict[str, float] = {}

    def callback(phase: str, info: dict) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
            return
        t0 = started.pop("t", None)
        if t0 is None:
            return
        end = time.perf_counter()
        if end - t0 >= min_s:
            # Not written here: a collection can start inside `_append` (holding its lock) in this very thread.
            # The next line written takes it along (list.append needs no lock).
            _gc_pending.append({"id": f"gc-{info.get('generation')}", "start": t0, "end": end, "pid": os.getpid(),
                                "thread": threading.current_thread().name, "collected": info.get("collected")})

    gc.callbacks.append(callback)
    return True


_warned: set[str] = set()
_gc_pending: list[dict] = []  # collections seen by watch_gc, written with the next line


def _append(path: str, line: dict) -> None:
    """Append one line (and the collections noted since the last); a log that cannot be written is reported once
    and never breaks the work it times."""
    lines = [line]
    while _gc_pending:
        try:
            lines.append(_gc_pending.pop(0))
        except IndexError:  # another thread took the last one
            break
    text = "".join(json.dumps(x) + "\n" for x in lines)
    try:
        with _lock, open(path, "a", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        if path not in _warned:
            _warned.add(path)
            print(f"timing log {path} cannot be written ({e}); not logging", file=sys.stderr)


def read_log(path) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    """The timing log: request lines by request id, and span lines by name."""
    requests: dict[str, dict] = {}
    spans: dict[str, list[dict]] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for raw in f:
                if raw.strip():
                    line = json.loads(raw)
                    if "cpu_s" in line:
                        requests[line["id"]] = line
                    else:
                        spans.setdefault(line["id"], []).append(line)
    except FileNotFoundError:
        pass
    return requests, spans
