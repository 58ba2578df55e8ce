"""One writer per data home across processes, and how a reader knows that one is writing (issue 11).

`HOME/write.lock` is held (an exclusive flock) by every write for its whole length: an ingest from the CLI or the
UI's ingest child, a removal, a reindex, a repair (`service_documents.DocumentLibrary.writing`). The kernel drops an
flock when its process ends, however it ends, so a writer killed with `kill -9` never leaves it held.

The serving process reads the same lock to know when another process writes the home: chromadb's embedded client
crashed the process (a segmentation fault in its Rust query) when its folder was reopened while another process
wrote it (docs/serving-during-ingest.md), so the server keeps its Chroma client while `writer_active` and reopens
it once the writer has ended, inside `quiet`, which keeps a new writer from starting meanwhile.
A process's own writes are not another process's: while it holds the lock itself (`held_here`) it reads its own
folder, and nothing waits."""
from __future__ import annotations

import fcntl
import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from errors import KnowledgeBaseBusy

FILE = "write.lock"
BUSY = "另一个进程正在写入知识库（导入、删除或重建索引），请等它完成后再试。"

_held: dict[str, int] = {}  # lock files this process holds exclusively (any thread), with their nesting
_held_guard = threading.Lock()


def path_of(home: str | Path) -> Path:
    return Path(home) / FILE


def _key(home: str | Path) -> str:
    return os.path.realpath(path_of(home))


def held_here(home: str | Path) -> bool:
    """Whether this process holds the home's write lock now (one of its threads writes)."""
    with _held_guard:
        return _held.get(_key(home), 0) > 0


@contextmanager
def exclusive(home: str | Path, wait_s: float):
    """Hold the home's write lock; wait up to `wait_s` for another process that holds it, then raise
    KnowledgeBaseBusy. Not re-entrant within a process: its callers nest in their own way."""
    fd = os.open(path_of(home), os.O_RDWR | os.O_CREAT, 0o644)
    key = _key(home)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise KnowledgeBaseBusy(BUSY) from None
                time.sleep(0.1)
        with _held_guard:
            _held[key] = _held.get(key, 0) + 1
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
                if not _held[key]:
                    del _held[key]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def writer_active(home: str | Path) -> bool:
    """Another process writes the home now. A shared flock tried and let go at once (about 20 µs): it fails only
    while a writer holds the exclusive one."""
    if held_here(home):
        return False
    try:
        fd = os.open(path_of(home), os.O_RDONLY)
    except FileNotFoundError:
        return False  # no process has written this home yet
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@contextmanager
def quiet(home: str | Path):
    """Yields True while no other process writes the home, holding a shared flock for the block so that none starts
    (a writer waits for it, as for another writer); yields False at once when one writes now."""
    if held_here(home):
        yield True  # this process is the writer: no other can be
        return
    fd = os.open(path_of(home), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            got = True
        except BlockingIOError:
            got = False
        try:
            yield got
        finally:
            if got:
                fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def wait_free(home: str | Path, timeout_s: float, poll_s: float = 0.2) -> bool:
    """Wait until no other process writes the home; True when free, False after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while writer_active(home):
        if time.monotonic() >= deadline:
            return False
        time.sleep(poll_s)
    return True
