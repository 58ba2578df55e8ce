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


_settled = False


def settle() -> None:
    """Move every object alive now (the loaded library) out of later collections: questions allocate little,
    and a full collection that walks every unit and catalogue entry costs a second on a library of 289
    documents. Called inside `paused()` right after the build, so no collection walks the new objects even
    once; the few reference cycles the build left as garbage stay until the process ends (a one-time cost)."""
    global _settled
    gc.freeze()
    _settled = True


def resettle() -> None:
    """In a process that settled once (the server, after its warm-up): settle again after a long-lived structure
    was rebuilt (the views and the BM25 index re-read after another process's write, several times per ingest).
    Otherwise the new catalogue, documents and units stay in the collector's sight, and its full collections
    during an ingest in the UI took up to 0.65 s each with every thread of the server stopped (users bench: 7
    per 100-file ingest, 1.3 s in all). What the rebuild replaced is freed by reference counting as before; only
    its reference cycles stay (about 80 objects per catalogue dropped, measured on a library of 43 documents)."""
    if _settled:
        gc.freeze()
