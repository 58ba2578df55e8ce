"""A CLI ingest (another process) while the service answers questions (issue 11: UI and CLI agree, nothing lost).

chromadb's embedded client crashed the serving process when it reopened its folder while another process wrote it
(docs/serving-during-ingest.md). Every writer holds HOME/write.lock for its whole write (write_lock.py); the
service keeps its Chroma client while another process holds it, finds the new documents by their words batch by
batch meanwhile, and reopens Chroma once when the writer has ended — or has been killed (the kernel drops its lock).
Real parts: PDFs of ../shared/corpus-dc, `python app.py ingest` in a subprocess, the service's own Chroma, BM25,
SQLite and encoder."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import write_lock
from service import PolicyService
from settings import Settings
from tests.conftest import ROOT, corpus_dc_file

pytestmark = pytest.mark.slow

FIRST = "91"  # served before the CLI starts
CLI_FILES = ["581", "351", "218", "286"]  # small real notices, each its own batch below
QUESTIONS = ["减污降碳成效挂钩的财政政策有哪些？", "碳排放配额如何分配？", "建筑领域碳达峰宣传讲座什么时候举办？",
             "控排企业碳排放报告弄虚作假如何举报？"]


def _folder(tmp_path: Path, numbers: list[str]) -> Path:
    folder = tmp_path / "cli-batch"
    folder.mkdir()
    for n in numbers:  # read in place (linked), never copied into the project
        src = corpus_dc_file(n)
        (folder / src.name).symlink_to(src)
    return folder


def _cli_ingest(home: Path, folder: Path) -> subprocess.Popen:
    env = dict(os.environ, POLICYQA_HOME=str(home), POLICYQA_INGEST_BATCH_DOCS="1", POLICYQA_WORKERS="1")
    return subprocess.Popen([sys.executable, str(ROOT / "app.py"), "ingest", str(folder)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


class Askers:
    """Threads asking the service questions until stopped; every exception is kept."""

    def __init__(self, svc: PolicyService, threads: int = 3):
        self.svc, self.stop, self.errors, self.answers = svc, threading.Event(), [], 0
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)]

    def _run(self, i: int) -> None:
        k = i
        while not self.stop.is_set():
            try:
                self.svc.ask(QUESTIONS[k % len(QUESTIONS)])
                self.answers += 1
            except Exception as e:  # noqa: BLE001 - the test reports every one
                self.errors.append(repr(e))
            k += 1
            time.sleep(0.05)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(60)


def _serving(tmp_path: Path) -> tuple[PolicyService, list[int]]:
    """A service on a fresh home holding FIRST, and the count of its Chroma reopens (the real reopen, counted)."""
    svc = PolicyService(Settings(home=tmp_path / "home", workers=1))
    svc.ingest([corpus_dc_file(FIRST)])
    vector = svc.index.vector
    reopens = [0]
    real = vector.reopen

    def counted() -> None:
        reopens[0] += 1
        real()

    vector.reopen = counted
    return svc, reopens


def _vectors_joined(svc: PolicyService, doc_ids: set[str], timeout_s: float = 60) -> bool:
    """Ask until the service has reopened Chroma with these documents' vectors (the reopen runs in the background
    thread a question starts)."""
    index = svc.index
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        svc.ask(QUESTIONS[0])
        if not index._vectors_behind and not (index.vector.unseen_docs & doc_ids):
            units = [u.unit_id for d in doc_ids for u in index.units(d)]
            if units and set(index.vector.vectors_of(units)) == set(units):
                return True
        time.sleep(0.2)
    return False


def test_a_cli_ingest_while_serving_is_answered_then_reopened_once(tmp_path):
    svc, reopens = _serving(tmp_path)
    home = svc.settings.home
    try:
        before = set(svc.store.doc_ids())
        client = svc.index.vector.client
        seen_by_words: set[str] = set()
        with Askers(svc) as askers:
            proc = _cli_ingest(home, _folder(tmp_path, CLI_FILES))
            writer_seen = False
            while proc.poll() is None:
                same, count = svc.index.vector.client is client, reopens[0]
                seen_by_words |= svc.index.lexical.doc_ids() - before
                if write_lock.writer_active(home):  # held from its start until now: never reopened meanwhile
                    writer_seen = True
                    assert same and count == 0  # (the reopen that crashed the server of the users bench)
                time.sleep(0.05)
            stderr = proc.stderr.read()
            assert proc.returncode == 0, stderr
            assert writer_seen  # the server saw the CLI as a writer of its home
            new = set(svc.store.doc_ids()) - before
            assert len(new) == len(CLI_FILES)
            # new documents were read (BM25, catalogue) batch by batch while the CLI still ran
            assert seen_by_words, "no batch of the CLI was seen before it ended"
            assert _vectors_joined(svc, new)
        assert not askers.errors, askers.errors[:3]
        assert askers.answers > 10
        assert reopens[0] == 1  # once, after the CLI ended
        for doc_id in new:  # answerable from the new documents, by words and vectors
            doc = svc.store.get_document(doc_id)
            text = doc.measures[0].text[:40] if doc.measures else doc.title
            assert svc.retrieve(text, top_k=3, doc=doc_id), doc_id
    finally:
        svc.close()


def test_a_killed_cli_ingest_does_not_hold_the_server_forever(tmp_path):
    svc, reopens = _serving(tmp_path)
    home = svc.settings.home
    try:
        before = set(svc.store.doc_ids())
        with Askers(svc, threads=2) as askers:
            proc = _cli_ingest(home, _folder(tmp_path, CLI_FILES))
            try:
                deadline = time.monotonic() + 180
                # a batch committed and loaded by the server, the CLI still writing
                while time.monotonic() < deadline and proc.poll() is None:
                    if svc.index.lexical.doc_ids() - before and write_lock.writer_active(home):
                        break
                    time.sleep(0.05)
                assert proc.poll() is None, "the CLI ended before it could be killed"
                assert svc.index._vectors_behind and reopens[0] == 0  # held while the CLI writes
                os.killpg(proc.pid, signal.SIGKILL)  # kill -9 of the command and its workers
            finally:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
            assert not write_lock.writer_active(home)  # the kernel dropped its lock
            committed = set(svc.index.lexical.doc_ids()) - before
            assert _vectors_joined(svc, committed, timeout_s=30)
        assert not askers.errors, askers.errors[:3]
        assert reopens[0] == 1
    finally:
        svc.close()
