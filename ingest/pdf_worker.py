"""PDF text extraction in a separate, disposable process (started by `ingest.loaders`).

Why a separate program rather than `multiprocessing`: pypdf has had infinite-loop and decompression-bomb
bugs, so the parent must be able to kill a parse at any moment; and a `spawn`/`forkserver` child re-runs
the parent's `__main__` (app.py with its UI imports) before it can start. This file is run as a script
(`python -P pdf_worker.py --memory-mb N`) and imports nothing from the project.

Protocol, one JSON object per line (UTF-8), so one worker serves many files:
  worker → parent  {"ready": true}                                  once, after start-up
  parent → worker  {"path": "/abs/file.pdf"}                         one job
  worker → parent  {"ok": true, "pages": [...], "log": [...]}        or
                   {"ok": false, "error": KIND, "detail": "...", "log": [...]}
KIND is one of ERROR_KINDS. End of stdin ends the worker. The worker caps its own address space
(RLIMIT_AS) and exits when its parent disappears, so a runaway parse cannot outlive the batch.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import sys
import threading
import time
from collections.abc import Callable

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

ENCRYPTED = "encrypted"  # needs a password we do not have
ENCRYPTED_UNSUPPORTED = "encrypted_unsupported"  # empty password, but a cipher pypdf cannot run here (AES)
LIMIT = "limit"  # pypdf's own decompression / size limits (decompression bomb)
MEMORY = "memory"  # hit the RLIMIT_AS cap
CORRUPT = "corrupt"  # anything else pypdf could not read
ERROR_KINDS = (ENCRYPTED, ENCRYPTED_UNSUPPORTED, LIMIT, MEMORY, CORRUPT)

_MAX_LOG = 20

# Ingest processes (these PDF workers and retrieval.embedpool's encoders) run at this niceness, so that the
# question threads of a serving process get the cores first during an ingest and the ingest uses what is
# left (issue 11: 10 users' p95 went from 234 ms to 3 s while 100 files were ingested). On otherwise idle
# cores niceness costs nothing. 10 is the customary "background job" level; a process may always lower
# its own priority, so this needs no privilege. An ingest a serving process starts goes lower still
# (idle_priority below; measured in docs/ingest-priority.md).
INGEST_NICENESS = 10


def lower_priority() -> None:
    """Run the calling process at INGEST_NICENESS (the home of this rule: this file imports nothing from
    the project, so the embedding workers import it from here)."""
    current = os.nice(0)
    if current < INGEST_NICENESS:
        os.nice(INGEST_NICENESS - current)


def idle_priority() -> bool:
    """Put the calling process in Linux's SCHED_IDLE class, for an ingest a serving process started: the kernel
    then runs it only on a core no normal process wants, and a question thread that wakes preempts it at once
    (niceness 10 still left the ingest a weighted share of both cores beside the questions). The processes it
    starts afterwards (PDF and embedding workers, Chroma's threads) inherit the class. Call it before starting
    any thread: the class is set per thread. Also sets INGEST_NICENESS, which is all that is left where the
    class is not permitted (another OS, a seccomp profile): said in a warning, never silently. Returns whether
    the class was set. CLI ingests keep niceness alone: on an idle machine the two cost the same, and a CLI
    ingest is the user's foreground job."""
    lower_priority()
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        return True
    except (AttributeError, OSError) as e:  # AttributeError: no SCHED_IDLE on this platform
        logging.getLogger(__name__).warning("SCHED_IDLE not permitted (%s): this ingest runs at niceness %d only",
                                            e, INGEST_NICENESS)
        return False


class _JobError(Exception):
    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def parse_pdf(path: str) -> list[str]:
    """Raw text of every page (page i = result[i-1]); raises _JobError for a refusal."""
    reader = PdfReader(path)
    if reader.is_encrypted:
        try:
            # Many official PDFs carry only an owner password (print/copy restrictions): "" opens them.
            opened = reader.decrypt("")
        except DependencyError as exc:
            raise _JobError(ENCRYPTED_UNSUPPORTED, str(exc)) from exc
        if not opened:
            raise _JobError(ENCRYPTED, "a user password is required")
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            pages.append(page.extract_text() or "")
        except (LimitReachedError, MemoryError, _JobError):
            raise
        except Exception as exc:  # one unreadable page makes the document incomplete: refuse it all
            raise _JobError(CORRUPT, f"page {number}: {type(exc).__name__}: {exc}") from exc
    return pages


def run_job(path: str, handler: Callable[[str], list[str]], log: list[str]) -> dict:
    log.clear()
    try:
        pages = handler(path)
    except _JobError as exc:
        return {"ok": False, "error": exc.kind, "detail": exc.detail, "log": log[:_MAX_LOG]}
    except FileNotDecryptedError as exc:
        return {"ok": False, "error": ENCRYPTED, "detail": str(exc), "log": log[:_MAX_LOG]}
    except LimitReachedError as exc:
        return {"ok": False, "error": LIMIT, "detail": str(exc), "log": log[:_MAX_LOG]}
    except MemoryError:
        return {"ok": False, "error": MEMORY, "detail": "MemoryError", "log": log[:_MAX_LOG]}
    except RecursionError as exc:
        return {"ok": False, "error": CORRUPT, "detail": f"RecursionError: {exc}", "log": log[:_MAX_LOG]}
    except Exception as exc:  # reported to the parent as a refusal, never swallowed
        return {"ok": False, "error": CORRUPT, "detail": f"{type(exc).__name__}: {exc}", "log": log[:_MAX_LOG]}
    # A lone surrogate (half of a math letter pypdf could not pair) cannot be written as UTF-8: it killed the
    # worker on a real 59-page PDF. It becomes U+FFFD, which the garbled-text check counts like any other.
    pages = [_LONE_SURROGATE.sub("\ufffd", p) for p in pages]
    return {"ok": True, "pages": pages, "log": log[:_MAX_LOG]}


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.sink) < _MAX_LOG:
            self.sink.append(record.getMessage())


def _exit_with_parent(parent_pid: int) -> None:
    # Reparenting means the loader died: stop even if the main thread is stuck in a parse loop.
    while True:
        if os.getppid() != parent_pid:
            os._exit(3)
        time.sleep(1.0)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def main(handler: Callable[[str], list[str]] = parse_pdf) -> None:
    """Serve jobs until stdin closes. `handler` is replaceable only by code that runs this function
    itself (the tests' stand-in worker); the loader always runs this file, i.e. `parse_pdf`."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--memory-mb", type=int, required=True)
    args = ap.parse_args()
    cap = args.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    lower_priority()

    # The protocol owns the real stdout; anything printed by libraries goes to stderr instead.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    log: list[str] = []
    pypdf_logger = logging.getLogger("pypdf")
    pypdf_logger.addHandler(_ListHandler(log))
    pypdf_logger.propagate = False

    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()

    out.write(b'{"ready": true}\n')
    out.flush()
    for line in sys.stdin.buffer:
        if not line.strip():
            continue
        job = json.loads(line)
        result = run_job(job["path"], handler, log)
        out.write(json.dumps(result, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()


if __name__ == "__main__":
    main()
