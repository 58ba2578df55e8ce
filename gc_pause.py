"""The garbage collector paused while a large, long-lived structure is built (a library's BM25 units and
catalogue at start-up), then those objects moved out of its sight.

Building 50,000 units with their token lists allocates millions of objects; every 700 allocations start a
collection, and the older generations are walked again and again: 962 collections, 1.1 s of the 10.2 s of CPU
that `PolicyService.warmup` took on a library of 289 documents (a loaded machine). Reference counting still
frees what is dropped meanwhile; only cycles wait for the collector to run again."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block (nested blocks keep it off until the outermost ends)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def settle() -> None:
    """Move every object alive now (the loaded library) out of later collections: questions allocate little,
    and a full collection that walks every unit and catalogue entry costs a second on a library of 289
    documents. Called inside `paused()` right after the build, so no collection walks the new objects even
    once; the few reference cycles the build left as garbage stay until the process ends (a one-time cost)."""
    gc.freeze()
