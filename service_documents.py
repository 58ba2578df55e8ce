"""Document management for the service: ingest, remove, reindex, repair and the files uploaded through the UI.
One writer per data home at a time (`writing`); questions never wait on it. The service holds one
`DocumentLibrary` and hands it the store, its index and the callbacks that swap its in-memory views."""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

import write_lock
from errors import KnowledgeBaseBusy
from ingest.pipeline import Ingest, IngestReport
from knowledge.store import KnowledgeStore
from service_uploads import Uploads
from settings import Settings

log = logging.getLogger("policyqa.service")

# Documents re-derived (and stored) together: each group is one transaction, so an interrupted start keeps the
# groups done and re-derives the rest at the next one.
REDERIVE_GROUP = 32

# How long a write waits for another process writing the same data home before it gives up with a message.
WRITE_WAIT_S = 10.0


class DocumentLibrary:
    """`_write_lock` (with a file lock on the data home, so it holds across processes: the UI and a CLI
    ingest) lets one writer (ingest, remove, reindex, repair) run at a time.

    `settings` and `index` return the service's current settings and search index (built on first use), read at
    each call as the service's own attributes were; `on_commit(added, removed)` swaps the service's catalogue
    after a write; `on_failure()` drops it so the next question reads the store."""

    def __init__(self, settings: Callable[[], Settings], store: KnowledgeStore, index: Callable[[], object],
                 on_commit: Callable[[list[str], list[str]], None], on_failure: Callable[[], None],
                 repaired: bool = False, owns_index: bool = True):
        self._settings = settings
        self.store = store
        self._index = index
        self._on_commit = on_commit
        self._on_failure = on_failure
        self.repaired = repaired  # an index handed in is the caller's to keep in step
        self.owns_index = owns_index  # False: an index handed in, which a child process could not use
        self._write_lock = threading.RLock()
        self.uploads = Uploads(lambda: self.settings.uploads_dir, store.find_by_hash)
        self._write_depth = 0  # nesting of writing() in the thread holding _write_lock

    @property
    def settings(self) -> Settings:
        return self._settings()

    def ensure_default_corpus(self) -> IngestReport | None:
        """Any command that needs the knowledge base and finds it empty first ingests the bundled corpus."""
        if not self.store.is_empty():
            return None
        return self.ingest([self.settings.default_corpus])

    def rederive(self) -> list[str]:
        """Bring derived knowledge up to the present extraction rules (knowledge/derive.py): documents an older
        version derived (a library ingested before an upgrade, whose files re-ingest as "unchanged") get their
        bureaus, targets, sentences and support items derived again from their stored units, without parsing
        the files. Runs when the service starts and at every ingest; one query when nothing is out of date.
        Another process writing: that process re-derives (it runs this too). Returns the re-derived doc_ids."""
        if not self.store.derived_before():
            return []
        try:
            with self.writing(wait_s=0):
                return self._rederive()
        except KnowledgeBaseBusy:
            return []

    def _rederive(self) -> list[str]:
        from knowledge.derive import EXTRACTION_VERSION, derive
        from retrieval.units import units_for
        from retrieval.vocabulary import dictionary_words

        stale = self.store.derived_before()
        if not stale:
            return []
        start = time.perf_counter()
        reindex: set[str] = set()
        done: list[str] = []
        for i in range(0, len(stale), REDERIVE_GROUP):
            docs = []
            for doc in self.store.get_documents(stale[i: i + REDERIVE_GROUP]):
                # The search index holds each unit's bureaus, years, industries and places, and BM25's dictionary
                # the document's names: where those changed, the document is indexed again (by the repair).
                before = (units_for(doc), dictionary_words(doc))
                try:
                    derive(doc)
                except Exception:  # a rule's bug on one document must not stop the start: it keeps its knowledge
                    log.exception("re-deriving the knowledge of %s (%s) failed; it keeps what it had", doc.doc_id,
                                  doc.source)
                    continue
                if (units_for(doc), dictionary_words(doc)) != before:
                    reindex.add(doc.doc_id)
                docs.append(doc)
            self.store.replace_derived(docs, unindexed=reindex & {d.doc_id for d in docs})
            done.extend(d.doc_id for d in docs)
        if reindex:
            self.repaired = False  # the next use of the index indexes them again
        log.warning("re-derived the knowledge of %d document(s) stored by older extraction rules (now version %d) "
                    "from their stored units in %.1f s; %d to index again", len(done), EXTRACTION_VERSION,
                    time.perf_counter() - start, len(reindex))
        self._on_commit(done, [])
        return done

    def repair(self) -> tuple[list[str], list[str]]:
        """Bring Chroma and BM25 in step with SQLite: documents stored but missing from either index (an
        ingest killed between storing and indexing) are indexed; index entries of documents no longer
        stored (a removal or replacement cut short) are dropped. Runs on the first use of the index and
        at every ingest, so "unchanged (same content)" always means "fully indexed".
        Returns (indexed doc_ids, dropped doc_ids)."""
        try:
            with self.writing(wait_s=0):
                return self._repair()
        except KnowledgeBaseBusy:
            return [], []  # another process is writing (and indexes what it stores); check at the next use

    def _repair(self) -> tuple[list[str], list[str]]:
        self.repaired = True
        index = self._index()
        if not hasattr(index, "ledger_key"):
            return [], []
        key = index.ledger_key
        stored = self.store.doc_ids()
        if self.store.ledger_new or (stored and index.vector.count() == 0):
            # No ledger yet (a store from before it), or the vectors are gone: compare with every Chroma
            # row once (seconds for a large library), then trust the ledger.
            ids = index.doc_ids()
            complete = ids.vector & ids.lexical
            self.store.clear_indexed(key)
            self.store.mark_indexed(complete & stored, key)
            self.store.ledger_new = False
            in_index = ids.vector | ids.lexical
        else:
            # Cheap: SQLite's ledger says which index writes completed; BM25's doc ids are in memory.
            # Chroma is written before BM25 in every update, so BM25 lists any document Chroma still holds.
            lexical = index.lexical_doc_ids()
            complete = self.store.indexed_ids(key) & lexical
            in_index = lexical
        missing = sorted(stored - complete)
        orphans = sorted(in_index - stored)
        if orphans:
            index.remove_many(orphans)
        if missing:
            docs = self.store.get_documents(missing)
            # re-derived documents keep their vectors (retrieval.index.add_again); others are embedded
            (index.add_again if hasattr(index, "add_again") else index.add_many)(docs)
            self.store.mark_indexed(missing, key)
        if missing or orphans:
            self._on_commit(missing, orphans)
        return missing, orphans

    @contextmanager
    def writing(self, wait_s: float | None = None):
        """Be the only writer of this data home: `_write_lock` in this process, an flock on home/write.lock
        across processes (write_lock.py; a server reads it to know another process writes). Raises
        KnowledgeBaseBusy when another process keeps it longer than `wait_s`."""
        with self._write_lock:
            if self._write_depth:
                self._write_depth += 1
                try:
                    yield
                finally:
                    self._write_depth -= 1
                return
            with write_lock.exclusive(self.settings.home, WRITE_WAIT_S if wait_s is None else wait_s):
                self._write_depth = 1
                try:
                    yield
                finally:
                    self._write_depth = 0

    def ingest(self, paths: list[Path], progress: Callable[[int, int, str], None] | None = None,
               in_child: bool = False) -> IngestReport:
        """Load and parse every file (PDFs in worker processes), then commit documents in batches: each
        batch is embedded without blocking questions, stored in SQLite (one transaction per document,
        replacing older editions) and written to Chroma and BM25; the catalog is swapped after each batch.

        Refused files are reported; the rest of the batch continues. Two editions of one policy in this call
        (same title up to 征求意见稿/试行 …) are both kept; which is current is decided by
        `ingest.editions.newer` (later 成文 date, else later file time, else later name), whatever the order of
        the files: the older is stored first (knowledge/editions.py reads the store's order).

        in_child (the server's UI): the same ingest in a child process (service_ingest.py), so no write to Chroma
        runs in this process; its documents are then read as a CLI ingest's are."""
        if in_child and self.owns_index:
            return self._ingest_in_child(paths, progress)
        report = IngestReport()
        with self.writing():
            report.rederived = self._rederive()
            report.repaired = self.repair()[0]
            Ingest(self.store, self._index(), self.settings, on_commit=self._on_commit,
                   on_failure=self._on_failure).run(paths, report, progress)
            # An edition committed in an earlier batch and replaced by a newer one of this call is not "ingested".
            infos = {i.doc_id: i for i in self.store.documents()}
            report.ingested = [i for i in report.ingested if i.doc_id in infos]
        for old in report.replaced:
            if old not in infos:
                self.uploads.drop(old)
        return report

    def _ingest_in_child(self, paths: list[Path], progress) -> IngestReport:
        from service_ingest import IngestProcessFailed, run_child

        vector = getattr(self._index(), "vector", None)
        with self._write_lock:  # this process's other writers wait; the child takes write.lock itself
            if vector is not None:
                vector.hold_reopen = True  # Chroma's folder is read again once the child has stopped writing it
            try:
                report = run_child(self.settings, paths, progress)
            except IngestProcessFailed:
                # Killed between storing and indexing a batch: index what it stored (in another child, since
                # that writes Chroma), so no stored document stays unsearchable; the error still reaches the user.
                try:
                    run_child(self.settings, [])
                except Exception:  # noqa: BLE001 - the next ingest or start repairs; the first error is the one to show
                    log.warning("indexing what the failed ingest stored failed; the next ingest or start repairs it",
                                exc_info=True)
                raise
            finally:
                if vector is not None:
                    vector.hold_reopen = False
                self._refresh_views()
        return report

    def _refresh_views(self) -> None:
        """Load the BM25 generation the child saved, and reopen Chroma with it, now rather than in the next
        question's background reload (the catalogue follows the store's data_version by itself)."""
        index = self._index()
        if hasattr(index, "refresh"):
            index.refresh()

    def remove(self, doc_id: str) -> bool:
        with self.writing():
            found = self.store.remove(doc_id)
            self._index().remove(doc_id)
            self._on_commit([], [doc_id])
        self.uploads.drop(doc_id)
        return found

    # -- files uploaded through the UI (service_uploads.py) ---------------------------------------------------
    def stage_uploads(self, paths: list[Path]) -> list[Path]:
        return self.uploads.stage(paths)

    def keep_uploads(self, paths: list[Path]) -> None:
        self.uploads.keep(paths)

    def upload_of(self, doc_id: str) -> list[Path]:
        return self.uploads.of(doc_id)

    def reindex(self) -> int:
        """Rebuild Chroma and BM25 from the knowledge store (after the embedding model changed)."""
        with self.writing():
            self.repaired = True  # everything is rebuilt from the store: no repair first
            index = self._index()
            self.store.clear_indexed(index.ledger_key)
            index.reset()
            docs = self.store.get_documents()
            index.add_many(docs)
            self.store.mark_indexed([d.doc_id for d in docs], index.ledger_key)
        return len(docs)

