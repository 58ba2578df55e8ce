"""The ingest pipeline, top to bottom in one place: load (PDFs parsed in worker processes) → parse (outline
units) → enrich (bureaus, targets, support items) → store (SQLite, a batch at a time) → index (Chroma and BM25).

Batches are embedded in worker processes (retrieval/embedpool.py) while the next files are parsed, and are
committed in order as their vectors arrive, several at once when they are ready together. The service runs it
under its write lock and is told of every commit (`on_commit`), so questions see new documents batch by batch.
"""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from errors import PolicyQAError, RejectedFile
from ingest.editions import Edition, newer
from ingest.loaders import FileLoader, LoadedFile, Unchanged, expand
from ingest.structure import parse
from knowledge.editions import edition_key
from knowledge.derive import derive
from knowledge.model import Document
from knowledge.store import DocumentInfo

log = logging.getLogger("policyqa.ingest")

# Batches being embedded ahead of the one being stored: enough that the PDF workers keep parsing while the
# embedding workers catch up (both cores busy), without holding the vectors of a whole library in memory.
MAX_INFLIGHT_BATCHES = 6
# Every commit rebuilds the BM25 matrix over the whole library, re-cuts the library's units that contain the new
# dictionary words and writes the index again: its cost grows with the library, so committing every batch of
# a long ingest made that work quadratic (corpus-dc, 289 files in 18 commits: 73 s of the ingest process's CPU
# in BM25 add and save). Ready batches wait, unless the ingest must block anyway, until they hold at least
# 1/COMMIT_GROWTH of the documents already in the library: commits come at geometrically growing library sizes
# (18 → 10 on corpus-dc, measured), and a killed ingest still loses at most MAX_INFLIGHT_BATCHES + 1 batches.
COMMIT_GROWTH = 2


def _ready(work) -> bool:
    return work is None or work.done()


@dataclass
class IngestReport:
    ingested: list[DocumentInfo] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # file names whose content is already stored
    replaced: list[str] = field(default_factory=list)  # doc_ids replaced by a changed file
    refused: list[RejectedFile] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)  # file name → parse warnings
    # (file name, kept file name): an older edition of a document whose newer edition is in the same batch
    superseded: list[tuple[str, str]] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # doc_ids stored but not indexed (a killed ingest), now indexed
    rederived: list[str] = field(default_factory=list)  # doc_ids whose knowledge older extraction rules derived

    def summary(self) -> str:
        lines = [f"ingested {len(self.ingested)}, unchanged {len(self.unchanged)}, refused {len(self.refused)}"]
        for d in self.ingested:
            lines.append(f"  + {d.doc_id}  {d.title}  ({d.pages} pages, {d.measures} units, {d.targets} targets)")
        for name in self.unchanged:
            lines.append(f"  = {name}: already ingested (same content)")
        for name, kept in self.superseded:
            lines.append(f"  ~ {name}: an earlier edition of {kept}; both kept, {kept} answers by default")
        if self.rederived:
            lines.append(f"  ⟳ derived the knowledge of {len(self.rederived)} stored document(s) again (newer extraction rules)")
        if self.repaired:
            lines.append(f"  ⟳ indexed {len(self.repaired)} document(s) an interrupted ingest had stored but not indexed")
        for r in self.refused:
            lines.append(f"  ✗ {r.path}: {r.reason}")
        for name, ws in self.warnings.items():
            for w in ws:
                lines.append(f"  ! {name}: {w}")
        return "\n".join(lines)


# -- load → parse → enrich: one file
def document_from(loaded: LoadedFile) -> Document:
    doc = parse(loaded.pages, loaded.title_hint, source=loaded.source, content_hash=loaded.content_hash,
                doc_id=loaded.content_hash[:12])
    doc.warnings = list(loaded.warnings) + doc.warnings
    return derive(doc)


@dataclass
class _Pending:
    loaded: LoadedFile
    doc: Document
    edition: Edition


class Ingest:
    """One ingest call: `run(paths, report)` loads, parses and enriches every file, then stores and indexes
    them in batches. `on_commit(added, removed)` follows every committed batch; `on_failure()` an index write
    that failed (the batch's store writes are undone first)."""

    def __init__(self, store, index, settings, on_commit: Callable[[list[str], list[str]], None],
                 on_failure: Callable[[], None]):
        self.store, self.index, self.settings = store, index, settings
        self.on_commit, self.on_failure = on_commit, on_failure

    def run(self, paths: list[Path], report: IngestReport,
            progress: Callable[[int, int, str], None] | None = None) -> IngestReport:
        # A file whose content is stored is not parsed at all (its hash is read before the PDF goes to a worker).
        # Stored means indexed too: the service repairs the index before every ingest (service_documents.py).
        loader = FileLoader(max_file_mb=self.settings.max_file_mb, timeout_s=self.settings.parse_timeout_s,
                            workers=self.settings.workers, known=lambda h: self.store.find_by_hash(h) is not None)
        pending: list[_Pending] = []
        kept: dict[str, _Pending] = {}  # edition key → the newest edition of this call
        seen: set[str] = set()  # content hashes in this call
        done = 0
        files = expand(paths)
        # Batches whose vectors are being computed (in worker processes when the ingest spans several
        # batches), committed in order as they finish: parsing, embedding and storing overlap.
        inflight: deque[tuple[list[_Pending], object]] = deque()
        self._library_docs = len(self.store.doc_ids())
        pool = None
        if len(files) > self.settings.ingest_batch_docs and hasattr(self.index, "embedding_pool"):
            pool = self.index.embedding_pool(self.settings.workers)
        try:
            for item in loader.load_many(files):
                done += 1
                if progress:
                    progress(done, -1, str(item.path))
                entry = self._admit(item, report, seen)
                if entry is None:
                    continue
                key = edition_key(entry.doc.title)
                rival = kept.get(key)
                # Both editions are kept; which is current is decided by rule when it is read (the stored
                # date of issue and file time), whatever the order of the files.
                entry.doc.meta["file_time"] = entry.edition.mtime
                if rival is not None and not newer(entry.edition, rival.edition):
                    report.superseded.append((item.source, rival.loaded.source))
                else:
                    if rival is not None:
                        report.superseded.append((rival.loaded.source, item.source))
                    kept[key] = entry
                pending.append(entry)
                # A batch is committed together: a killed ingest loses at most a few batches of work,
                # and questions see new documents batch by batch.
                if len(pending) >= self.settings.ingest_batch_docs:
                    inflight.append(self._start(pending, pool))
                    pending = []
                while len(inflight) > MAX_INFLIGHT_BATCHES:
                    self._commit_ready(inflight, report, block=True)
                self._commit_ready(inflight, report, block=False)
            if pending:
                inflight.append(self._start(pending, pool))
            while inflight:
                self._commit_ready(inflight, report, block=True)
        finally:
            for _, work in inflight:
                if work is not None:
                    work.cancel()
            if pool is not None:
                pool.close()
        return report

    def _admit(self, item, report: IngestReport, seen: set[str]) -> "_Pending | None":
        """A loaded file → its parsed document, or None (refused, or already stored)."""
        if isinstance(item, RejectedFile):
            report.refused.append(item)
            return None
        if isinstance(item, Unchanged):
            report.unchanged.append(item.source)
            return None
        if item.content_hash in seen or self.store.find_by_hash(item.content_hash):
            report.unchanged.append(item.source)
            return None
        seen.add(item.content_hash)
        try:
            doc = document_from(item)
            if not doc.measures and not doc.extra_units:
                raise RejectedFile(str(item.path), "未能从文件中切分出任何正文条目（没有可索引的文字）")
        except PolicyQAError as e:
            report.refused.append(e if isinstance(e, RejectedFile) else RejectedFile(str(item.path), str(e)))
            return None
        except Exception:  # a parser bug on one file must not cost the rest of the batch
            log.exception("parsing %s failed", item.path)
            report.refused.append(RejectedFile(str(item.path), "解析文件结构时出错（程序错误，详情见服务器日志）"))
            return None
        return _Pending(item, doc, Edition.of(item.path, item.pages))

    def _start(self, batch: list[_Pending], pool) -> tuple[list[_Pending], object]:
        """Hand a batch's embedding to the pool (None: it is embedded when committed)."""
        if pool is None:
            return batch, None
        return batch, self.index.prepare_async([p.doc for p in batch], pool)

    def _commit_ready(self, inflight: deque, report: IngestReport, block: bool) -> None:
        """Commit, together, every batch at the head of `inflight` whose vectors are ready (with `block`, at least
        the first, waiting for it; without, only once they hold a batch's worth of documents and at least
        1/COMMIT_GROWTH of the library). Ready batches are stored and indexed in one update: each update
        rewrites the BM25 index, whose cost grows with the library."""
        from retrieval.prepared import MergedPending

        ready = 0
        while ready < len(inflight) and _ready(inflight[ready][1]):
            ready += 1
        if not block:
            docs = sum(len(b) for b, _ in list(inflight)[:ready])
            if not ready or docs < max(self.settings.ingest_batch_docs, self._library_docs // COMMIT_GROWTH):
                return
        group = [inflight.popleft() for _ in range(max(ready, 1 if block else 0))]
        if not group:
            return
        works = [w for _, w in group]
        batch = [p for b, _ in group for p in b]
        if len(group) == 1:
            work = works[0]
        else:
            work = MergedPending(works) if all(w is not None for w in works) else None
        self._commit(batch, work, report)
        self._library_docs += len(batch)

    def _commit(self, batch: list[_Pending], work, report: IngestReport) -> None:
        """Store and index one batch; on an index failure the batch's store writes are undone."""
        docs = [p.doc for p in batch]
        index = self.index
        if work is not None:
            prepared = work.result()  # embedded in the pool meanwhile
        else:
            prepared = index.prepare(docs) if hasattr(index, "prepare") else None  # the slow part: embedding
        replaced: list[str] = []
        for p in batch:
            # A changed file (same name) replaces the stored one. Another edition of the same document (same
            # title up to 征求意见稿/试行 …, another file) is kept beside it (knowledge/editions.py).
            replaces = sorted(set(self.store.find_by_source(p.loaded.source)) - {p.doc.doc_id})
            self.store.add_document(p.doc, replaces=replaces)
            replaced.extend(replaces)
            if p.doc.warnings:
                report.warnings[p.loaded.source] = list(p.doc.warnings)
        try:
            if prepared is not None:
                index.add_prepared(prepared, replace_docs=replaced)
            else:
                for old in replaced:
                    index.remove(old)
                index.add_many(docs)
        except BaseException:
            # Keep SQLite, Chroma and BM25 in step: undo this batch's store writes.
            for d in docs:
                self.store.remove(d.doc_id)
                try:
                    index.remove(d.doc_id)
                except Exception:  # the batch's own error is raised below; this one is only logged
                    log.warning("undoing the index writes of %s failed", d.doc_id, exc_info=True)
            self.on_failure()
            raise
        if hasattr(index, "ledger_key"):
            self.store.mark_indexed([d.doc_id for d in docs], index.ledger_key)
        report.replaced.extend(replaced)
        ids = {d.doc_id for d in docs}
        report.ingested.extend(i for i in self.store.documents() if i.doc_id in ids)
        self.on_commit(added=[d.doc_id for d in docs], removed=replaced)
