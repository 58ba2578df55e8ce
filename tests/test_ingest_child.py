"""The UI's ingest in a child process (service_ingest.py): the serving process writes no Chroma row, streams the
child's progress, gets its report, and searches the new documents' vectors right after; a killed child gives a
clear message and leaves store and index in step."""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from service import PolicyService
from service_ingest import IngestProcessFailed
from settings import Settings
from tests.conftest import PRIMARY_TXT
from tests.test_consistency import POLICY, agree, searchable


def _policies(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        path = folder / f"{i:02d}.txt"
        path.write_text(POLICY.format(mw=10 + i, date="").replace("测试市", f"第{i}试点县"), encoding="utf-8")
        out.append(path)
    return out


def _vector_hits(svc: PolicyService, doc_id: str) -> list:
    """What this process's Chroma client finds for the document (its in-memory HNSW, not SQLite)."""
    doc = svc.store.get_document(doc_id)
    query = svc.index.embeddings.encode_query(doc.measures[0].text[:40])
    return svc.index.vector.query(query, k=3, where={"doc_id": doc_id})


def _children(script: str) -> list[int]:
    pids = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:  # a thread may end between the listing and the read (a fresh clone's CI run lost the killer to it)
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for pid in children:
            try:
                if script in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                    pids.append(int(pid))
            except OSError:
                pass
    return pids


@pytest.mark.slow  # a child ingest process loads the encoder: ~45 s on two busy cores
def test_ingest_in_a_child_reports_progress_and_is_searched_at_once(tmp_path):
    svc = PolicyService(Settings(home=tmp_path / "home", workers=1))
    try:
        svc.ingest([PRIMARY_TXT])  # in this process, as the CLI does
        svc.ask("到2030年可再生能源装机目标是多少？")  # the index and its Chroma client are open
        before = svc.index.vector.client
        files = _policies(tmp_path / "p", 3)
        empty = tmp_path / "p" / "empty.txt"
        empty.write_text("", encoding="utf-8")
        steps: list[tuple[int, int, str]] = []
        report = svc.ingest(files + [PRIMARY_TXT, empty], progress=lambda *a: steps.append(a), in_child=True)
        assert len(report.ingested) == 3 and len(report.unchanged) == 1
        assert [Path(r.path).name for r in report.refused] == ["empty.txt"] and report.refused[0].reason
        assert [s[0] for s in steps] == [1, 2, 3, 4, 5]
        assert svc.index.vector.client is not before  # reopened: the child's vectors are visible here
        for info in report.ingested:
            assert _vector_hits(svc, info.doc_id), info.doc_id
            assert searchable(svc, info.doc_id)
        assert len(agree(svc)) == 4
        assert {d.doc_id for d in svc.documents()} >= {i.doc_id for i in report.ingested}
    finally:
        svc.close()


@pytest.mark.slow  # a child ingest process loads the encoder: ~45 s on two busy cores
def test_a_killed_child_gives_a_message_and_leaves_store_and_index_in_step(tmp_path):
    svc = PolicyService(Settings(home=tmp_path / "home", workers=1, ingest_batch_docs=1))
    try:
        svc.ingest([PRIMARY_TXT])
        svc.ask("到2030年可再生能源装机目标是多少？")
        files = _policies(tmp_path / "p", 6)  # killed after the first: the rest stay to do
        killed: list[int] = []

        def killer() -> None:  # kill -9 once the child has stored a document of its own
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and not killed:
                if len(svc.store.doc_ids()) >= 2:
                    for pid in _children("service_ingest.py"):
                        os.kill(pid, signal.SIGKILL)
                        killed.append(pid)
                time.sleep(0.01)

        watcher = threading.Thread(target=killer)
        watcher.start()
        with pytest.raises(IngestProcessFailed, match="导入进程意外结束"):
            svc.ingest(files, in_child=True)
        watcher.join()
        assert killed
        stored = agree(svc)  # the repair child indexed whatever the killed one had stored
        assert 2 <= len(stored) < 7
        for doc_id in stored:
            assert _vector_hits(svc, doc_id), doc_id
        report = svc.ingest(files, in_child=True)  # nothing lost: the rest is ingested, the stored is unchanged
        assert len(report.ingested) + len(report.unchanged) == 6
        assert len(agree(svc)) == 7
    finally:
        svc.close()


def test_a_running_server_searches_the_vectors_a_cli_ingest_wrote(tmp_path):
    """The embedded Chroma client reads its HNSW index once: rows another process added were missing from it, and
    a query whose `where` selected them failed ("Error finding id"). The client now reads the folder again."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    home = tmp_path / "home"
    svc = PolicyService(Settings(home=home, workers=1))
    try:
        svc.ingest([PRIMARY_TXT])
        svc.ask("到2030年可再生能源装机目标是多少？")
        files = _policies(tmp_path / "p", 2)
        before = svc.store.doc_ids()
        env = dict(os.environ, POLICYQA_HOME=str(home), POLICYQA_WORKERS="1")
        subprocess.run([sys.executable, str(ROOT / "app.py"), "ingest", *map(str, files)], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        fresh = sorted(svc.store.doc_ids() - before)
        assert len(fresh) == 2
        for doc_id in fresh:  # straight to Chroma: no search has reloaded the index yet
            assert _vector_hits(svc, doc_id), doc_id
    finally:
        svc.close()
