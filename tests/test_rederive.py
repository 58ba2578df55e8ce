"""A library derived by older extraction rules is brought up to date at the next start (or ingest): its documents'
knowledge is derived again from their stored units (knowledge/derive.py, service_documents.rederive), the index
entries whose metadata changed are indexed again, and views that held the old knowledge read it again.

The old rules are simulated as an older code base would leave the store: the extraction version set back to 0
(what a store written before versions were kept reads as) and derived rows deleted."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ingest.loaders import FileLoader
from knowledge.derive import EXTRACTION_VERSION, derive
from knowledge.store import KnowledgeStore
from service import document_from
from tests.conftest import CORPUS_DC, ROOT, corpus_dc_file
from tests.test_consistency import POLICY, service_with_real_index, two_policies

# dev documents with support items (a call, a grant, a law's incentives) and one with many targets and bureaus
DOCS = ("229", "139", "58", "5")


def _knowledge(doc) -> tuple:
    return (doc.implementers,
            [(u.seq, u.bureaus, u.deadline, u.targets, u.sentences, u.industries, u.places) for u in doc.units()],
            [json.dumps(it.to_json(), ensure_ascii=False, sort_keys=True) for it in doc.support_items])


def _set_back(db: Path, *tables: str) -> None:
    """What older code leaves: no extraction version, and (optionally) derived rows it did not write."""
    with sqlite3.connect(db) as c:
        c.execute("UPDATE documents SET extraction = 0")
        for t in tables:
            c.execute(f"DELETE FROM {t}")


def test_knowledge_derived_from_stored_units_equals_a_fresh_ingest(tmp_path):
    """Re-deriving needs no PDF: the stored units carry all extraction reads (text, headings, kinds, the
    document's title, sections and date of issue)."""
    store = KnowledgeStore(tmp_path / "k.sqlite3")
    loader = FileLoader(max_file_mb=50, timeout_s=120, workers=1)
    fresh = {}
    for n in DOCS:
        doc = document_from(loader.load(corpus_dc_file(n)))
        store.add_document(doc)
        fresh[doc.doc_id] = _knowledge(doc)
    assert store.derived_before() == []
    assert any(len(k[2]) for k in fresh.values()) and any(
        t for k in fresh.values() for u in k[1] for t in u[3])  # support items and targets to compare
    for doc in store.get_documents(list(fresh)):
        assert _knowledge(derive(doc)) == fresh[doc.doc_id], doc.source
    store.close()


def test_a_start_rederives_and_indexes_again_only_what_changed(tmp_path, monkeypatch):
    two_policies(tmp_path)
    home = tmp_path / "home"
    svc = service_with_real_index(home)
    try:
        svc.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
        ids = {d.title[:3]: d.doc_id for d in svc.documents()}
        a, b = ids["测试a"], ids["测试b"]
        before = {d: _knowledge(svc.store.get_document(d)) for d in (a, b)}
        key = svc.index.ledger_key
        bureaus_in_index = {u.seq: u.bureaus for u in svc.index.units(a) if not u.is_sentence}
        assert any(bureaus_in_index.values())
    finally:
        svc.close()
    # Old rules: a's bureaus (which the index holds) were not derived; b's knowledge was as the present rules derive it.
    with sqlite3.connect(home / "knowledge.sqlite3") as c:
        c.execute("UPDATE documents SET extraction = 0")
        c.execute("DELETE FROM bureaus WHERE doc_id = ?", (a,))
    svc = service_with_real_index(home)
    try:
        # the start re-derived both; a left the ledger in the same transaction, b's index entries stay as they are
        assert svc.store.derived_before() == []
        assert {d: _knowledge(svc.store.get_document(d)) for d in (a, b)} == before
        assert svc.store.indexed_ids(key) == {b}
        # first use of the index: the repair indexes a again, with the vectors Chroma holds (nothing is embedded)
        monkeypatch.setattr(svc._index, "prepare", lambda docs: pytest.fail("the text did not change"))
        svc.index.doc_ids()
        assert svc.store.indexed_ids(key) == {a, b}
        assert {u.seq: u.bureaus for u in svc.index.units(a) if not u.is_sentence} == bureaus_in_index
        rows = svc.index.vector._collection.get(where={"doc_id": a}, include=["metadatas"])
        flags = {k for m in rows["metadatas"] for k in m if k.startswith("b:")}
        assert flags  # Chroma's bureau filters are back
        assert svc.retrieve("屋顶光伏装机", top_k=1, doc=a)
        # nothing left to do: the next start and ingest re-derive nothing
        report = svc.ingest([tmp_path / "a.txt"])
        assert report.rederived == [] and report.unchanged == ["a.txt"]
    finally:
        svc.close()


def test_views_held_by_a_running_service_read_a_rederived_document_again(tmp_path):
    (tmp_path / "a.txt").write_text(POLICY.format(mw=50, date=""), encoding="utf-8")
    svc = service_with_real_index(tmp_path / "home")
    try:
        svc.ingest([tmp_path / "a.txt"])
        doc_id = next(iter(svc.store.doc_ids()))
        assert svc.catalog.documents[doc_id].measures[0].targets
        _set_back(svc.settings.db_path, "targets")  # another process with older rules wrote it so
        assert not any(u.targets for u in svc.catalog.documents[doc_id].units())  # the views follow the store
        report = svc.ingest([tmp_path / "a.txt"])
        assert report.rederived == [doc_id] and "derived the knowledge of 1" in report.summary()
        assert svc.catalog.documents[doc_id].measures[0].targets
    finally:
        svc.close()


@pytest.mark.slow
def test_cli_support_after_an_upgrade_shows_the_current_items(tmp_path):
    """The issue's case: a library ingested by code whose support rules were older. Re-ingesting says
    "unchanged"; the next start re-derives, and `support --json` lists what a fresh ingest lists."""
    env = {**os.environ, "POLICYQA_HOME": str(tmp_path / "home"), "POLICYQA_THREADS": "1"}
    files = [str(corpus_dc_file(n)) for n in ("229", "139")]

    def app(*args):
        return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], env=env, cwd=ROOT, capture_output=True,
                              text=True, encoding="utf-8", timeout=600, check=True)

    app("ingest", *files)
    current = json.loads(app("support", "--json").stdout)
    assert len(current) >= 2
    _set_back(tmp_path / "home" / "knowledge.sqlite3", "support_items")
    with sqlite3.connect(tmp_path / "home" / "knowledge.sqlite3") as c:
        assert c.execute("SELECT COUNT(*) FROM support_items").fetchone()[0] == 0
    run = app("support", "--json")
    assert "re-derived the knowledge of 2 document(s)" in run.stderr
    assert json.loads(run.stdout) == current
    again = app("support", "--json")  # up to date now: nothing re-derived
    assert "re-derived" not in again.stderr and json.loads(again.stdout) == current
    with sqlite3.connect(tmp_path / "home" / "knowledge.sqlite3") as c:
        assert {r[0] for r in c.execute("SELECT extraction FROM documents")} == {EXTRACTION_VERSION}
    assert CORPUS_DC.is_dir()


def test_a_rule_failing_on_one_document_leaves_it_as_it_was_and_the_start_goes_on(tmp_path, monkeypatch):
    import knowledge.derive as derive_mod

    two_policies(tmp_path)
    home = tmp_path / "home"
    svc = service_with_real_index(home)
    try:
        svc.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
        a = next(d.doc_id for d in svc.documents() if d.title.startswith("测试a"))
    finally:
        svc.close()
    _set_back(home / "knowledge.sqlite3", "targets")
    real = derive_mod.derive

    def flaky(doc):
        if doc.doc_id == a:
            raise IndexError("a rule's bug")
        return real(doc)

    monkeypatch.setattr(derive_mod, "derive", flaky)
    svc = service_with_real_index(home)
    try:
        assert svc.store.derived_before() == [a]  # tried again at the next start
        assert not svc.targets(doc=a) and svc.targets(doc=next(iter(svc.store.doc_ids() - {a})))
        assert svc.ask("到2026年屋顶光伏装机目标是多少？").answer  # the service runs
    finally:
        svc.close()
