"""The application service: files → ingest → knowledge → retrieval → answer. The CLI, the UI and the
evaluator all go through it, so they share one code path."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from answer.extractive import ExtractiveAnswerer, Hit
from answer.route import route
from answer.types import Answer
from errors import BadQuestion, PolicyQAError, RejectedFile
from ingest.loaders import FileLoader, LoadedFile
from ingest.structure import parse
from knowledge.catalog import Catalog
from knowledge.extract import enrich
from knowledge.model import Document
from knowledge.store import DocumentInfo, KnowledgeStore, TargetRow
from settings import Settings


@dataclass
class IngestReport:
    ingested: list[DocumentInfo] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # file names whose content is already stored
    replaced: list[str] = field(default_factory=list)  # doc_ids replaced by a changed file
    refused: list[RejectedFile] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)  # file name → parse warnings

    def summary(self) -> str:
        lines = [f"ingested {len(self.ingested)}, unchanged {len(self.unchanged)}, refused {len(self.refused)}"]
        for d in self.ingested:
            lines.append(f"  + {d.doc_id}  {d.title}  ({d.pages} pages, {d.measures} units, {d.targets} targets)")
        for name in self.unchanged:
            lines.append(f"  = {name}: already ingested (same content)")
        for r in self.refused:
            lines.append(f"  ✗ {r.path}: {r.reason}")
        for name, ws in self.warnings.items():
            for w in ws:
                lines.append(f"  ! {name}: {w}")
        return "\n".join(lines)


def document_from(loaded: LoadedFile) -> Document:
    doc = parse(loaded.pages, loaded.title_hint, source=loaded.source, content_hash=loaded.content_hash,
                doc_id=loaded.content_hash[:12])
    doc.warnings = list(loaded.warnings) + doc.warnings
    return enrich(doc)


class PolicyService:
    def __init__(self, settings: Settings, search_index=None):
        self.settings = settings
        settings.home.mkdir(parents=True, exist_ok=True)
        self.store = KnowledgeStore(settings.db_path)
        self._lock = threading.RLock()
        self._index = search_index
        self._catalog: Catalog | None = None
        self._matcher = None
        self._llm = None

    # -- components, built on first use -----------------------------------------------------------
    @property
    def index(self):
        if self._index is None:
            from retrieval.embeddings import make_embeddings
            from retrieval.index import SearchIndex

            self._index = SearchIndex(self.settings, make_embeddings(self.settings))
        return self._index

    @property
    def catalog(self) -> Catalog:
        with self._lock:
            if self._catalog is None:
                docs = [self.store.get_document(i.doc_id) for i in self.store.documents()]
                self._catalog = Catalog([d for d in docs if d is not None])
            return self._catalog

    @property
    def matcher(self):
        """Topic matcher for answer evidence; its dictionary knows the stored bureau names and places."""
        with self._lock:
            if self._matcher is None:
                from answer.evidence import TopicMatcher

                catalog = self.catalog
                words = set(catalog.all_bureaus()) | {p for d in catalog.documents.values() for m in d.units()
                                                      for p in m.places}
                self._matcher = TopicMatcher(place_words=catalog.issuer_places() | {"国家", "全国", "中央"})
                self._matcher.add_words(words | catalog.issuer_places())
            return self._matcher

    @property
    def llm(self):
        """The LLM answerer when POLICYQA_LLM_BASE_URL and POLICYQA_LLM_MODEL are set, else None."""
        if not self.settings.llm_enabled:
            return None
        with self._lock:
            if self._llm is None:
                from answer.llm import LLMAnswerer

                self._llm = LLMAnswerer(self.settings, lambda: self.catalog)
            return self._llm

    def _invalidate(self) -> None:
        with self._lock:
            self._catalog = None
            self._matcher = None

    def close(self) -> None:
        if self._index is not None and hasattr(self._index, "close"):
            self._index.close()
        self.store.close()

    # -- documents -------------------------------------------------------------------------------------
    def ensure_default_corpus(self) -> IngestReport | None:
        """Any command that needs the knowledge base and finds it empty first ingests the bundled corpus."""
        if not self.store.is_empty():
            return None
        return self.ingest([self.settings.default_corpus])

    def ingest(self, paths: list[Path], progress: Callable[[int, int, str], None] | None = None) -> IngestReport:
        """Load, parse and store every file (each document in its own transaction), then index the new
        documents in one batch. Refused files are reported; the rest of the batch continues."""
        report = IngestReport()
        loader = FileLoader(max_file_mb=self.settings.max_file_mb, timeout_s=self.settings.parse_timeout_s,
                            workers=self.settings.workers)
        new_docs: list[Document] = []
        done = 0
        with self._lock:
            for item in loader.load_many(paths):
                done += 1
                if progress:
                    progress(done, -1, str(item.path))
                if isinstance(item, RejectedFile):
                    report.refused.append(item)
                    continue
                try:
                    doc = self._store_one(item, report)
                except PolicyQAError as e:
                    report.refused.append(RejectedFile(str(item.path), str(e)))
                    continue
                if doc is not None:
                    new_docs.append(doc)
            if new_docs:
                try:
                    for old in report.replaced:
                        self.index.remove(old)
                    self.index.add_many(new_docs)
                except BaseException:
                    # Keep SQLite, Chroma and BM25 in step: undo this batch's store writes.
                    for d in new_docs:
                        self.store.remove(d.doc_id)
                        self.index.remove(d.doc_id)
                    self._invalidate()
                    raise
            infos = {i.doc_id: i for i in self.store.documents()}
            report.ingested = [infos[d.doc_id] for d in new_docs if d.doc_id in infos]
            self._invalidate()
        return report

    def _store_one(self, loaded: LoadedFile, report: IngestReport) -> Document | None:
        if self.store.find_by_hash(loaded.content_hash):
            report.unchanged.append(loaded.source)
            return None
        doc = document_from(loaded)
        if not doc.measures and not doc.extra_units:
            raise RejectedFile(str(loaded.path), "no text units could be built from this file")
        # A changed file (same name) or another edition of the same document (same title, e.g. its PDF after
        # its text) replaces the stored one.
        replaces = sorted(set(self.store.find_by_source(loaded.source)) | set(self.store.find_by_title(doc.title)))
        self.store.add_document(doc, replaces=replaces)
        report.replaced.extend(replaces)
        if doc.warnings:
            report.warnings[loaded.source] = list(doc.warnings)
        return doc

    def documents(self) -> list[DocumentInfo]:
        return self.store.documents()

    def document(self, doc_id: str) -> Document | None:
        return self.catalog.documents.get(doc_id) or self.store.get_document(doc_id)

    def resolve_doc(self, ref: str | None) -> str | None:
        if not ref:
            return None
        doc_id = self.catalog.resolve_doc(ref)
        if doc_id is None:
            raise PolicyQAError(f"no document matches {ref!r}; see `python app.py docs`")
        return doc_id

    def remove(self, doc_id: str) -> bool:
        with self._lock:
            found = self.store.remove(doc_id)
            self.index.remove(doc_id)
            self._invalidate()
        return found

    def reindex(self) -> int:
        """Rebuild Chroma and BM25 from the knowledge store (after the embedding model changed)."""
        with self._lock:
            self.index.reset()
            docs = [d for d in (self.store.get_document(i.doc_id) for i in self.store.documents()) if d]
            self.index.add_many(docs)
        return len(docs)

    def unit_text(self, doc_id: str, measure_no: int) -> str | None:
        doc = self.document(doc_id)
        if doc is None:
            return None
        for u in doc.units():
            if u.no == measure_no:
                return u.text
        return None

    def targets(self, year: int | None = None, bureau: str | None = None, keyword: str | None = None,
                doc: str | None = None) -> list[TargetRow]:
        return self.store.targets(year=year, bureau=bureau, keyword=keyword, doc_id=self.resolve_doc(doc))

    # -- questions -------------------------------------------------------------------------------------
    def check_question(self, question: str) -> str:
        q = (question or "").strip()
        if not q:
            raise BadQuestion("问题为空：请输入一个关于政策文件的问题。")
        if len(q) > self.settings.max_question_chars:
            raise BadQuestion(f"问题过长（{len(q)}字）：请控制在{self.settings.max_question_chars}字以内。")
        return q

    def retrieve(self, question: str, top_k: int = 5, doc: str | None = None) -> list[Hit]:
        scope = self._scope(question, doc)
        return self._hits(question, top_k, scope)

    def _scope(self, question: str, doc: str | None) -> list[str] | None:
        if doc:
            return [self.resolve_doc(doc)]
        named = self.catalog.docs_named_in(question)
        return named or None

    def _hits(self, question: str, top_k: int, scope: list[str] | None) -> list[Hit]:
        retriever = self.index.retriever()
        if scope and len(scope) == 1:
            found = retriever.run_measures(question, top_k=top_k, doc_id=scope[0])
        else:
            found = retriever.run_measures(question, top_k=top_k, doc_ids=scope)
        return [Hit(h.doc_id, h.seq, h.score, tuple(s.unit.text for s in h.sentences),
                    tuple(s.vector_score for s in h.sentences))
                for h in found]

    def _extractive(self, question: str, doc: str | None) -> tuple[str, Answer, list[Hit]]:
        q = self.check_question(question)
        self.ensure_default_corpus()
        scope = self._scope(q, doc)
        rt = route(q, self.catalog)
        hits = self._hits(q, 5, scope)
        ans = ExtractiveAnswerer(self.catalog, self.matcher).answer(q, rt, hits, scope)
        ans.question = q
        return q, ans, hits

    def ask(self, question: str, doc: str | None = None) -> Answer:
        start = time.perf_counter()
        q, ans, hits = self._extractive(question, doc)
        if self.llm is not None and not ans.refused:
            # The LLM rewrites from the same sources; its guard falls back to `ans` (with a note) on failure.
            ans = self.llm.answer(q, ans, hits)
        ans.latency_ms = (time.perf_counter() - start) * 1000
        return ans

    def ask_stream(self, question: str, doc: str | None = None) -> Iterator[str | Answer]:
        """Text pieces while an LLM writes (provisional), then the final checked Answer."""
        start = time.perf_counter()
        q, ans, hits = self._extractive(question, doc)
        if self.llm is not None and not ans.refused:
            stream = self.llm.stream(q, ans, hits)
            yield from stream
            ans = stream.answer
        ans.latency_ms = (time.perf_counter() - start) * 1000
        yield ans
