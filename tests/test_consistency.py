"""SQLite, Chroma and BM25 agree after a crash (two editions in one batch: tests/test_editions.py).

"unchanged (same content)" on re-ingest must mean "fully indexed": documents an interrupted ingest stored but
did not index are indexed on the next start (or ingest), and index entries of documents no longer stored
are dropped."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service import PolicyService
from settings import Settings
from tests.conftest import CORPUS_DC, ROOT
from tests.test_retrieval_support import use_embeddings

# Small real notices and plans, each ingestible; dev documents only (262 stands where test document 94 stood).
DC_FILES = ["91、江苏省关于实施与减污降碳成效挂钩财政政策的通知.pdf",
            "581、关于开展2022年珠海市建筑领域碳达峰碳中和宣传讲座的通知.pdf",
            "351、山东省控排企业碳排放报告质量弄虚作假有奖举报实施方案.pdf",
            "218、关于天津市2021年度碳排放配额安排的通知.pdf",
            "286、天津市关于成立委推进碳达峰碳中和工作领导小组的通知.pdf",
            "203、上海市关于开展低碳示范创建工作的通知.pdf",
            "262、绿色金融支持三明碳达峰、碳中和工作方案.pdf",
            "105、浙江省碳达峰碳中和科技创新行动方案.pdf"]

POLICY = """测试市推进绿色发展若干措施

一、能源转型

（一）推进屋顶光伏建设。到2026年，全市屋顶光伏装机达到{mw}万千瓦。（市能源局牵头负责）

（二）推广新能源公交车。到2026年，新能源公交车占比达到90%。（市交通运输局牵头负责）

{date}
"""


def two_policies(folder: Path) -> None:
    """a.txt and b.txt in `folder`: POLICY for two cities (测试a市 50万千瓦, 测试b市 60万千瓦)."""
    for mw, name in ((50, "a.txt"), (60, "b.txt")):
        (folder / name).write_text(POLICY.format(mw=mw, date="").replace("测试市", f"测试{name[0]}市"),
                                   encoding="utf-8")


def service_with_real_index(home: Path, **kw) -> PolicyService:
    from retrieval.index import SearchIndex

    settings = Settings(home=home, workers=1, **kw)
    svc = PolicyService(settings, search_index=SearchIndex(settings, use_embeddings()))
    svc.library.repaired = False  # an index handed in is normally the caller's; here the service should check it
    return svc


def agree(svc: PolicyService) -> set[str]:
    """The stored doc ids, after checking that Chroma and BM25 hold exactly those documents."""
    stored = svc.store.doc_ids()
    ids = svc.index.doc_ids()
    assert ids.vector == stored and ids.lexical == stored, (stored, ids)
    return stored


def searchable(svc: PolicyService, doc_id: str) -> bool:
    doc = svc.store.get_document(doc_id)
    return bool(svc.retrieve(doc.measures[0].text[:40] if doc.measures else doc.title, top_k=3, doc=doc_id))


# ----------------------------------------------------------------------------------- repair on start


def test_documents_stored_but_not_indexed_are_indexed_on_start(tmp_path):
    from service import document_from
    from ingest.loaders import FileLoader

    home = tmp_path / "home"
    svc = service_with_real_index(home)
    try:
        two_policies(tmp_path)
        svc.ingest([tmp_path / "a.txt"])
        # What a kill between the store commit and the index write leaves: a document only in SQLite …
        loaded = FileLoader(max_file_mb=1, timeout_s=30, workers=1).load(tmp_path / "b.txt")
        lost = document_from(loaded)
        svc.store.add_document(lost)
        # … and an index entry whose document is gone from SQLite (a removal cut short).
        ghost = document_from(loaded)
        ghost.doc_id = "ghost0000000"
        svc.index.add(ghost)
    finally:
        svc.close()
    svc = service_with_real_index(home)
    try:
        ids = svc.index.doc_ids()  # first use of the index: the repair has run
        assert lost.doc_id in ids.vector and lost.doc_id in ids.lexical and "ghost0000000" not in ids.vector
        assert len(agree(svc)) == 2
        assert searchable(svc, lost.doc_id)
        # Re-ingest: "unchanged" now means indexed.
        report = svc.ingest([tmp_path / "b.txt"])
        assert report.unchanged == ["b.txt"] and report.repaired == []
    finally:
        svc.close()


def test_start_checks_the_ledger_not_every_chroma_row(tmp_path, monkeypatch):
    """A normal start reads SQLite's ledger and BM25's in-memory ids: reading every Chroma row took ~6 s per
    30,000 units. A store from before the ledger is checked in full once, without re-indexing anything."""
    import sqlite3 as sql

    for mw, name in ((50, "a.txt"), (60, "b.txt")):
        (tmp_path / name).write_text(POLICY.format(mw=mw, date="").replace("测试市", f"测试{name[0]}市"),
                                     encoding="utf-8")
    home = tmp_path / "home"
    svc = service_with_real_index(home)
    try:
        svc.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
        assert svc.store.indexed_ids(svc.index.ledger_key) == svc.store.doc_ids()
    finally:
        svc.close()
    svc = service_with_real_index(home)
    try:
        def no_scan():
            raise AssertionError("a normal start must not read every Chroma row")

        monkeypatch.setattr(svc.index, "doc_ids", no_scan)
        assert svc.repair() == ([], [])
    finally:
        monkeypatch.undo()
        svc.close()
    with sql.connect(home / "knowledge.sqlite3") as c:  # as written by a version without the ledger
        c.execute("DROP TABLE indexed")
    svc = service_with_real_index(home)
    try:
        assert svc.store.ledger_new
        real_add = svc.index.add_many
        monkeypatch.setattr(svc.index, "add_many", lambda *a, **k: pytest.fail("nothing needs re-indexing"))
        assert svc.repair() == ([], [])
        monkeypatch.setattr(svc.index, "add_many", real_add)
        assert svc.store.indexed_ids(svc.index.ledger_key) == svc.store.doc_ids() and not svc.store.ledger_new
    finally:
        svc.close()


def test_ingest_repairs_before_it_reports_unchanged(tmp_path):
    from ingest.loaders import FileLoader
    from service import document_from

    (tmp_path / "a.txt").write_text(POLICY.format(mw=50, date=""), encoding="utf-8")
    svc = service_with_real_index(tmp_path / "home")
    try:
        svc.library.repaired = True  # as if the service had started before the store was written behind its back
        doc = document_from(FileLoader(max_file_mb=1, timeout_s=30, workers=1).load(tmp_path / "a.txt"))
        svc.store.add_document(doc)
        report = svc.ingest([tmp_path / "a.txt"])
        assert report.repaired == [doc.doc_id] and report.unchanged == ["a.txt"]
        agree(svc)
        assert searchable(svc, doc.doc_id)
    finally:
        svc.close()


# ------------------------------------------------------------------------------- kill -9 mid-ingest


@pytest.mark.slow
def test_sigkill_during_ingest_leaves_nothing_unsearchable(tmp_path):
    missing = [n for n in DC_FILES if not (CORPUS_DC / n).is_file()]
    if missing:
        pytest.skip(f"corpus-dc files not found under {CORPUS_DC}: {missing[:2]}")
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in DC_FILES:  # read in place (linked), never copied into the project
        (folder / name).symlink_to(CORPUS_DC / name)
    home = tmp_path / "home"
    env = dict(os.environ, POLICYQA_HOME=str(home), POLICYQA_INGEST_BATCH_DOCS="1", POLICYQA_WORKERS="1")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "ingest", str(folder)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    db = home / "knowledge.sqlite3"
    stored_at_kill = 0
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as c:
                        stored_at_kill = c.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
                except sqlite3.Error:
                    stored_at_kill = 0
                if stored_at_kill >= 1:
                    break
            time.sleep(0.02)
        assert proc.poll() is None, "the ingest ended before a document was stored; nothing was killed"
        assert stored_at_kill >= 1, "no document was stored within 180 s"
        os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its PDF workers, like kill -9 of the command
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)

    # The next start: every stored document is in Chroma and BM25 and can be found.
    svc = PolicyService(Settings(home=home, workers=1))
    try:
        stored = agree(svc)
        assert len(stored) >= 1
        for doc_id in stored:
            assert searchable(svc, doc_id), doc_id
        # Ingesting the same folder again completes the batch; what was stored is "unchanged" and indexed.
        report = svc.ingest([folder])
        assert len(report.unchanged) == len(stored)
        assert len(report.unchanged) + len(report.ingested) + len(report.refused) == len(DC_FILES)
        final = agree(svc)
        assert len(final) == len(report.unchanged) + len(report.ingested)
        for doc_id in final:
            assert searchable(svc, doc_id), doc_id
    finally:
        svc.close()


# --------------------------------------------------------------------- questions do not wait on an ingest


@pytest.mark.slow
def test_questions_are_answered_while_an_ingest_parses_and_embeds(tmp_path, monkeypatch):
    import threading

    import ingest.pipeline as pipeline_mod

    (tmp_path / "a.txt").write_text(POLICY.format(mw=50, date=""), encoding="utf-8")
    (tmp_path / "b.txt").write_text(POLICY.format(mw=70, date="").replace("测试市", "样例县"), encoding="utf-8")
    svc = service_with_real_index(tmp_path / "home")
    try:
        svc.ingest([tmp_path / "a.txt"])
        assert "50万千瓦" in svc.ask("到2026年屋顶光伏装机目标是多少？").answer
        parsing, embedding = threading.Event(), threading.Event()
        real_parse, real_prepare = pipeline_mod.document_from, svc.index.prepare

        def slow_parse(loaded):
            parsing.set()
            time.sleep(0.8)
            return real_parse(loaded)

        def slow_prepare(docs):
            embedding.set()
            time.sleep(0.8)
            return real_prepare(docs)

        monkeypatch.setattr(pipeline_mod, "document_from", slow_parse)
        monkeypatch.setattr(svc.index, "prepare", slow_prepare)
        writer = threading.Thread(target=svc.ingest, args=([tmp_path / "b.txt"],))
        writer.start()
        latencies = []
        for phase in (parsing, embedding):
            assert phase.wait(30)
            start = time.perf_counter()
            ans = svc.ask("到2026年屋顶光伏装机目标是多少？")
            latencies.append(time.perf_counter() - start)
            assert "50万千瓦" in ans.answer  # the old catalogue and index keep answering
            assert writer.is_alive()
        writer.join(60)
        assert max(latencies) < 1.0, latencies
        # After the swap the new document is answered too.
        assert "70万千瓦" in svc.ask("样例县到2026年屋顶光伏装机目标是多少？").answer
        assert len(agree(svc)) == 2
    finally:
        svc.close()


def test_ingest_report_in_the_ui_names_superseded_editions_and_repairs():
    from service import IngestReport
    from ui.render import ingest_report

    html = ingest_report(IngestReport(superseded=[("旧<版>.txt", "新版.txt")], repaired=["abc"]))
    assert "较旧版本" in html and "旧&lt;版&gt;.txt" in html and "新版.txt" in html
    assert "补建索引" in html


def test_a_document_stored_by_another_process_is_seen_without_a_restart(tmp_path):
    """The UI's service sees what a CLI ingest (another connection to the same SQLite file) stored or removed."""
    from tests.test_hostile_input import FakeIndex

    (tmp_path / "a.txt").write_text(POLICY.format(mw=50, date=""), encoding="utf-8")
    (tmp_path / "b.txt").write_text(POLICY.format(mw=70, date="").replace("测试市", "样例县"), encoding="utf-8")
    settings = Settings(home=tmp_path / "home", workers=1)
    ui, cli = PolicyService(settings, search_index=FakeIndex()), PolicyService(settings, search_index=FakeIndex())
    try:
        ui.ingest([tmp_path / "a.txt"])
        before = ui.catalog
        assert len(before.documents) == 1 and ui.catalog is before  # unchanged store: the same snapshot
        report = cli.ingest([tmp_path / "b.txt"])
        (new_id,) = [d.doc_id for d in report.ingested]
        assert new_id in ui.catalog.documents and len(ui.catalog.documents) == 2
        cli.remove(new_id)
        assert new_id not in ui.catalog.documents
    finally:
        ui.close()
        cli.close()


def test_a_parser_error_on_one_file_refuses_only_that_file(tmp_path, monkeypatch):
    import ingest.pipeline as pipeline_mod
    from tests.test_hostile_input import FakeIndex

    (tmp_path / "a.txt").write_text(POLICY.format(mw=50, date=""), encoding="utf-8")
    (tmp_path / "b.txt").write_text(POLICY.format(mw=70, date="").replace("测试市", "样例县"), encoding="utf-8")
    real = pipeline_mod.document_from

    def flaky(loaded):
        if loaded.source == "a.txt":
            raise IndexError("parser bug")
        return real(loaded)

    monkeypatch.setattr(pipeline_mod, "document_from", flaky)
    svc = PolicyService(Settings(home=tmp_path / "home", workers=1), search_index=FakeIndex())
    try:
        report = svc.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
        assert [d.source for d in report.ingested] == ["b.txt"]
        assert len(report.refused) == 1 and "解析文件结构时出错" in report.refused[0].reason
    finally:
        svc.close()


def test_one_writer_per_data_home_across_processes(tmp_path, monkeypatch):
    """Another process writing the same home (a CLI ingest while the UI runs) makes a write wait, then give
    up with a clear message; the start-up repair does not block on it."""
    import fcntl

    import service_documents
    from errors import KnowledgeBaseBusy
    from tests.test_hostile_input import FakeIndex

    (tmp_path / "a.txt").write_text(POLICY.format(mw=50, date=""), encoding="utf-8")
    home = tmp_path / "home"
    svc = PolicyService(Settings(home=home, workers=1), search_index=FakeIndex())
    other = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, os, sys, time\n"
        f"fd = os.open({str(home / 'write.lock')!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\n"
        "sys.stdin.read()\n")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "locked"
        monkeypatch.setattr(service_documents, "WRITE_WAIT_S", 0.3)
        start = time.monotonic()
        with pytest.raises(KnowledgeBaseBusy, match="另一个进程正在写入知识库"):
            svc.ingest([tmp_path / "a.txt"])
        assert time.monotonic() - start < 5
        with pytest.raises(KnowledgeBaseBusy):
            svc.remove("whatever")
        assert svc.repair() == ([], [])  # best effort: skipped, not blocked
        assert svc.store.is_empty()
    finally:
        other.stdin.close()
        other.wait(10)
    # The other writer is done: writes go through again.
    report = svc.ingest([tmp_path / "a.txt"])
    assert len(report.ingested) == 1
    # Nested writes in one process do not lock themselves out (ingest → repair → remove …).
    with svc.library.writing():
        with svc.library.writing():
            assert svc.remove(report.ingested[0].doc_id)
    fd = os.open(home / "write.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released afterwards
    finally:
        os.close(fd)
    svc.close()
