"""service_views.py: a question is answered from the views at hand while another process's write is read in the
background (issue 11), the rebuild reads only the new documents, and the waiting readers see the write at once."""
from __future__ import annotations

import time

from ingest.loaders import FileLoader
from knowledge.store import KnowledgeStore
from service import PolicyService, document_from
from settings import Settings
from tests.test_consistency import POLICY


def _document(folder, name: str, place: str):
    path = folder / name
    path.write_text(POLICY.format(mw=10, date="").replace("测试市", place), encoding="utf-8")
    return document_from(FileLoader(max_file_mb=1, timeout_s=30, workers=1).load(path))


def test_questions_use_the_views_at_hand_while_another_writers_documents_are_read(tmp_path):
    settings = Settings(home=tmp_path / "home", workers=1)
    first, second = _document(tmp_path, "a.txt", "甲市"), _document(tmp_path, "b.txt", "乙县")
    writer = KnowledgeStore(settings.db_path)  # another connection: what the ingest child or a CLI ingest is
    svc = PolicyService(settings)
    try:
        writer.add_document(first)
        before = svc._now()
        assert set(before.catalog.documents) == {first.doc_id}
        matcher = before.topic_matcher()
        writer.add_document(second)
        assert svc._now() is before  # no waiting: the rebuild runs in the background
        deadline = time.monotonic() + 30
        while second.doc_id not in svc._now().catalog.documents and time.monotonic() < deadline:
            time.sleep(0.01)
        after = svc._now()
        assert set(after.catalog.documents) == {first.doc_id, second.doc_id}
        assert after.catalog.documents[first.doc_id] is before.catalog.documents[first.doc_id]  # not read again
        assert after.matcher is not None and after.matcher is not matcher  # built before the swap, not by a question
        writer.remove(second.doc_id)
        assert set(svc.catalog.documents) == {first.doc_id}  # the waiting reader sees a write at once
    finally:
        svc.close()
        writer.close()


def test_a_write_in_this_process_is_seen_by_the_next_question(tmp_path):
    settings = Settings(home=tmp_path / "home", workers=1)
    svc = PolicyService(settings)
    try:
        doc = _document(tmp_path, "a.txt", "甲市")
        svc.store.add_document(doc)  # this connection's commit leaves data_version alone
        assert svc._now().catalog.documents.keys() == {doc.doc_id}
        other = _document(tmp_path, "b.txt", "乙县")
        svc.store.add_document(other)
        svc._swap_views([other.doc_id], [])  # what DocumentLibrary calls after each of its commits
        assert svc._now().catalog.documents.keys() == {doc.doc_id, other.doc_id}
    finally:
        svc.close()


def test_commits_close_together_are_read_in_one_background_rebuild(tmp_path, monkeypatch):
    """Another process's ingest commits document by document: the views are rebuilt once the store is quiet, not
    once per commit (each rebuild takes the GIL from the questions being answered)."""
    import service_views

    monkeypatch.setattr(service_views, "SETTLE_S", 1.0)  # wide enough for a loaded machine's commits
    monkeypatch.setattr(service_views, "MAX_STALE_S", 20.0)
    settings = Settings(home=tmp_path / "home", workers=1)
    docs = [_document(tmp_path, f"{k}.txt", place) for k, place in enumerate(["甲市", "乙县", "丙区", "丁市", "戊县"])]
    writer = KnowledgeStore(settings.db_path)
    svc = PolicyService(settings)
    try:
        writer.add_document(docs[0])
        before = svc._now()
        for doc in docs[1:]:
            writer.add_document(doc)
            assert svc._now() is before  # each question sees a new data_version and is answered at once
            time.sleep(0.05)
        deadline = time.monotonic() + 60
        while len(svc._now().catalog.documents) < len(docs) and time.monotonic() < deadline:
            svc._now()
            time.sleep(0.05)
        assert set(svc._now().catalog.documents) == {d.doc_id for d in docs}
        assert svc._views.background_rebuilds == 1
    finally:
        svc.close()
        writer.close()


def test_a_write_that_leaves_the_documents_alone_reuses_the_views(tmp_path):
    """The ingest child writes its ledger of indexed documents after each batch's index writes: the store's
    version moves, its documents do not. The views at the new version are the held catalogue and matcher (no
    rebuild, which takes the GIL from questions); a document added afterwards is read and seen."""
    settings = Settings(home=tmp_path / "home", workers=1)
    first, second = _document(tmp_path, "a.txt", "甲市"), _document(tmp_path, "b.txt", "乙县")
    writer = KnowledgeStore(settings.db_path)
    svc = PolicyService(settings)
    try:
        writer.add_document(first)
        before = svc._views.current()
        matcher = before.topic_matcher()
        version = before.version
        writer.mark_indexed([first.doc_id], "model@embedded")  # what the child writes after a batch's index writes
        after = svc._views.current()  # waits: the views at the store's present version
        assert after.version != version
        assert after.catalog is before.catalog and after.matcher is matcher
        writer.add_document(second)
        seen = svc._views.current()
        assert set(seen.catalog.documents) == {first.doc_id, second.doc_id}
        assert seen.catalog is not before.catalog and seen.matcher is not matcher  # read, with a new dictionary
        writer.remove(second.doc_id)
        assert set(svc._views.current().catalog.documents) == {first.doc_id}
    finally:
        svc.close()
        writer.close()


def test_in_the_server_the_rebuilt_views_are_kept_out_of_the_collectors_sight(tmp_path, monkeypatch):
    """After its warm-up the server settles what it loaded (gc_pause.settle); views rebuilt after another
    process's write are settled too, so full collections during an ingest do not walk the new catalogue and its
    documents with every thread stopped. A process that never settled (the CLI, tests) freezes nothing."""
    import gc

    import gc_pause

    settings = Settings(home=tmp_path / "home", workers=1)
    first, second, third = (_document(tmp_path, f"{k}.txt", p) for k, p in enumerate(["甲市", "乙县", "丙区"]))
    writer = KnowledgeStore(settings.db_path)
    svc = PolicyService(settings)
    monkeypatch.setattr(gc_pause, "_settled", False)  # a process that never settled (an earlier test may have)
    try:
        writer.add_document(first)
        svc._views.current()
        writer.add_document(second)
        plain = svc._views.current().catalog
        assert any(o is plain for o in gc.get_objects())  # never settled: in sight as before
        monkeypatch.setattr(gc_pause, "_settled", True)  # what the server's warm-up leaves
        writer.add_document(third)
        settled = svc._views.current().catalog
        assert set(settled.documents) == {first.doc_id, second.doc_id, third.doc_id}
        assert not any(o is settled for o in gc.get_objects())  # frozen: no collection walks it
        assert not any(o is settled.documents[third.doc_id] for o in gc.get_objects())
    finally:
        gc.unfreeze()
        svc.close()
        writer.close()


def test_vectors_are_reopened_only_after_the_ingest_child_stopped_writing(tmp_path):
    """While a child of the server writes Chroma's folder (the UI's ingest) the server loads each BM25 generation
    but does not reopen Chroma (chromadb 1.5.9 crashed the reading process when a client opened during another
    process's writes was queried); once the child is done, the next refresh reopens it and the new document's
    vectors answer."""
    settings = Settings(home=tmp_path / "home", workers=1)
    reader, writer = PolicyService(settings), PolicyService(settings)
    try:
        first = _document(tmp_path, "a.txt", "甲市")
        writer.store.add_document(first)
        writer.index.add(first)
        index = reader.index
        index.refresh()
        client = index.vector.client
        index.vector.hold_reopen = True  # what DocumentLibrary sets while its ingest child runs
        second = _document(tmp_path, "b.txt", "乙县")
        writer.store.add_document(second)
        writer.index.add(second)
        assert index.refresh()  # the new BM25 generation is loaded …
        assert second.doc_id in index.lexical.doc_ids()
        assert index.vector.client is client and index._vectors_behind  # … Chroma is not reopened
        assert index.vector.unseen_docs == {second.doc_id}  # its vectors are not asked of the old client
        during = index.retriever().run_measures("乙县", top_k=5, doc_id=second.doc_id)
        assert during and during[0].doc_id == second.doc_id  # found meanwhile (by its words)
        index.vector.hold_reopen = False
        index.refresh()
        assert index.vector.client is not client and not index._vectors_behind
        assert index.vector.unseen_docs == frozenset()
        hits = index.retriever().run_measures("乙县", top_k=5, doc_id=second.doc_id)
        assert hits and hits[0].doc_id == second.doc_id
    finally:
        reader.close()
        writer.close()


def test_a_reopen_without_hold_counts_the_generation_it_opened_with(tmp_path):
    """A reopen outside a UI ingest (a CLI ingest's batch) opens Chroma with the generation being loaded, so a
    later UI ingest counts only its own documents as unseen: the earlier ones' vectors are still asked for."""
    settings = Settings(home=tmp_path / "home", workers=1)
    reader, writer = PolicyService(settings), PolicyService(settings)
    try:
        index = reader.index  # opened on an empty library
        first = _document(tmp_path, "a.txt", "甲市")
        writer.store.add_document(first)
        writer.index.add(first)
        client = index.vector.client
        assert index.refresh() and index.vector.client is not client  # reopened with first's generation
        index.vector.hold_reopen = True
        second = _document(tmp_path, "b.txt", "乙县")
        writer.store.add_document(second)
        writer.index.add(second)
        assert index.refresh()
        assert index.vector.unseen_docs == {second.doc_id}  # first's vectors are in the client
        units = [u.unit_id for u in index.units(first.doc_id)]
        assert units and set(index.vector.vectors_of(units)) == set(units)
    finally:
        reader.close()
        writer.close()
