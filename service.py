"""The application service: files → ingest → knowledge → retrieval → answer. The CLI, the UI and the
evaluator all go through it, so they share one code path."""
from __future__ import annotations

import fcntl
import hashlib
import logging
import math
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from answer.consts import MIN_COVERAGE, MIN_COVERAGE_EACH
from answer.extractive import ExtractiveAnswerer, Hit
from answer.intents import LIST_ALL_TARGETS
from answer.question import contentless_reason
from answer.route import route
from answer.types import Answer
from errors import BadQuestion, KnowledgeBaseBusy, PolicyQAError
# document_from is re-exported: the parse report and tests turn a loaded file into a document through it
from ingest.pipeline import Ingest, IngestReport, document_from  # noqa: F401
from knowledge.catalog import Catalog
from knowledge.model import Document
from knowledge.store import DocumentInfo, KnowledgeStore, TargetRow
from settings import Settings

log = logging.getLogger("policyqa.service")
# How long a write waits for another process writing the same data home before it gives up with a message.
WRITE_WAIT_S = 10.0




class _MemoTokenizer:
    """The matcher's tokenizer, remembering the cut of each text it saw (the enterprise answer cuts every
    sentence that names the asked industry, hundreds in a library); forgotten when the dictionary grows."""

    LIMIT = 200_000

    def __new__(cls):
        from retrieval.tokenize import ChineseTokenizer

        class Memo(ChineseTokenizer):
            def __init__(self):
                super().__init__(search_mode=False)
                self._memo: dict[str, list[str]] = {}

            def add_words(self, words) -> int:
                added = super().add_words(words)
                if added:
                    self._memo = {}
                return added

            def tokenize(self, text: str) -> list[str]:
                memo = self._memo
                got = memo.get(text)
                if got is None:
                    got = super().tokenize(text)
                    if len(memo) < cls.LIMIT:
                        memo[text] = got
                return list(got)

        return Memo()


def _build_matcher(catalog: Catalog):
    from answer.evidence import TopicMatcher

    words = set(catalog.all_bureaus()) | {p for d in catalog.documents.values() for m in d.units() for p in m.places}
    matcher = TopicMatcher(tokenizer=_MemoTokenizer(), place_words=catalog.issuer_places() | {"国家", "全国", "中央"})
    matcher.add_words(words | catalog.issuer_places())
    return matcher


class PolicyService:
    """Locks: `_write_lock` (with a file lock on the data home, so it holds across processes: the UI and a CLI
    ingest) lets one writer (ingest, remove, reindex, repair) run at a time; questions never take it. `_lock` is held only to build or swap the in-memory catalog and matcher, so a question waits
    on an ingest for no longer than that swap (parsing and embedding run without it)."""

    def __init__(self, settings: Settings, search_index=None):
        self.settings = settings
        settings.home.mkdir(parents=True, exist_ok=True)
        self.store = KnowledgeStore(settings.db_path)
        self._lock = threading.RLock()
        self._write_lock = threading.RLock()
        self._write_depth = 0  # nesting of _writing() in the thread holding _write_lock
        self._index_lock = threading.Lock()
        self._index = search_index
        self._repaired = search_index is not None  # an index handed in is the caller's to keep in step
        self._catalog: Catalog | None = None
        self._catalog_version = -1  # the store's data_version the catalog was read at
        self._superseded: set[str] | None = None
        self._edition_groups: dict[str, list[str]] = {}  # doc_id → its policy's editions, oldest first
        self._most_editions = 1
        self._edition_catalogs: dict[tuple, Catalog] = {}
        self._matcher = None
        self._llm = None

    # -- components, built on first use -----------------------------------------------------------
    @property
    def index(self):
        if self._index is None:
            with self._index_lock:
                if self._index is None:
                    from retrieval.embeddings import make_embeddings
                    from retrieval.index import SearchIndex

                    self._index = SearchIndex(self.settings, make_embeddings(self.settings))
        if not self._repaired:
            self.repair()
        return self._index

    @property
    def catalog(self) -> Catalog:
        catalog = self._catalog  # the current snapshot; swapped whole, never mutated
        if catalog is not None and self.store.data_version() == self._catalog_version:
            return catalog
        with self._lock:
            version = self.store.data_version()
            if self._catalog is None or version != self._catalog_version:
                # First use, or another process (a CLI ingest or removal) changed the store: read what changed.
                # Documents are immutable once stored (a changed file gets a new doc_id), so the ones this
                # snapshot holds are kept and only new ones are read (a whole library takes seconds to read).
                self._superseded, self._edition_catalogs = None, {}
                earlier = self.superseded()  # earlier editions answer only when asked for by id
                held = self._catalog.documents if self._catalog is not None else {}
                heads = [i.doc_id for i in self.store.documents() if i.doc_id not in earlier]
                fresh = [i for i in heads if i not in held]
                loaded = {d.doc_id: d for d in self.store.get_documents(fresh)} if fresh else {}
                docs = [held.get(i) or loaded.get(i) for i in heads]
                self._catalog = Catalog([d for d in docs if d is not None])
                self._catalog_version = version
                self._matcher = None
            return self._catalog

    @property
    def matcher(self):
        """Topic matcher for answer evidence; its dictionary knows the stored bureau names and places."""
        matcher = self._matcher
        if matcher is not None:
            return matcher
        with self._lock:
            if self._matcher is None:
                self._matcher = _build_matcher(self.catalog)
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
            self._superseded = None
            self._edition_catalogs = {}

    def _swap_views(self, added: list[str], removed: list[str]) -> None:
        """After a write: build the next catalog (and matcher, if one is in use) from the current one without
        holding `_lock`, then swap them in. Questions keep using the old ones meanwhile."""
        old = self._catalog
        if old is None:
            return  # nothing cached: the next question builds from the store
        gone = set(removed) | set(added)
        with self._lock:
            self._superseded, self._edition_catalogs = None, {}
        earlier = self.superseded()  # a new edition retires the one before it from unscoped questions
        docs = [d for i, d in old.documents.items() if i not in gone and i not in earlier]
        docs += [d for d in self.store.get_documents(list(added)) if d.doc_id not in earlier]
        catalog = Catalog(docs)
        matcher = _build_matcher(catalog) if self._matcher is not None else None
        with self._lock:
            self._catalog, self._matcher = catalog, matcher

    def warmup(self) -> None:
        """Everything the first question would otherwise build: the search index (model, Chroma, BM25), the
        catalogue and the topic matcher (jieba's dictionary). The server calls it before it listens."""
        self.index.warmup()
        self.matcher  # builds the catalogue too
        # first-call costs of the answer path (regexes, caches); extractive only: a configured LLM is not called
        self._extractive("绿色低碳转型的目标是什么？", None)

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

    def repair(self) -> tuple[list[str], list[str]]:
        """Bring Chroma and BM25 in step with SQLite: documents stored but missing from either index (an
        ingest killed between storing and indexing) are indexed; index entries of documents no longer
        stored (a removal or replacement cut short) are dropped. Runs on the first use of the index and
        at every ingest, so "unchanged (same content)" always means "fully indexed".
        Returns (indexed doc_ids, dropped doc_ids)."""
        try:
            with self._writing(wait_s=0):
                return self._repair()
        except KnowledgeBaseBusy:
            return [], []  # another process is writing (and indexes what it stores); check at the next use

    def _repair(self) -> tuple[list[str], list[str]]:
        self._repaired = True
        index = self.index
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
            index.add_many(docs)
            self.store.mark_indexed(missing, key)
        if missing or orphans:
            self._swap_views(added=missing, removed=orphans)
        return missing, orphans

    @contextmanager
    def _writing(self, wait_s: float | None = None):
        """Be the only writer of this data home: `_write_lock` in this process, an flock on home/write.lock
        across processes. Raises KnowledgeBaseBusy when another process keeps it longer than `wait_s`."""
        with self._write_lock:
            if self._write_depth:
                self._write_depth += 1
                try:
                    yield
                finally:
                    self._write_depth -= 1
                return
            fd = os.open(self.settings.home / "write.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                deadline = time.monotonic() + (WRITE_WAIT_S if wait_s is None else wait_s)
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise KnowledgeBaseBusy("另一个进程正在写入知识库（导入、删除或重建索引），"
                                                    "请等它完成后再试。") from None
                        time.sleep(0.1)
                self._write_depth = 1
                try:
                    yield
                finally:
                    self._write_depth = 0
                    fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)

    def ingest(self, paths: list[Path], progress: Callable[[int, int, str], None] | None = None) -> IngestReport:
        """Load and parse every file (PDFs in worker processes), then commit documents in batches: each
        batch is embedded without blocking questions, stored in SQLite (one transaction per document,
        replacing older editions) and written to Chroma and BM25; the catalog is swapped after each batch.

        Refused files are reported; the rest of the batch continues. Two editions of one policy in this call
        (same title up to 征求意见稿/试行 …) are both kept; which is current is decided by
        `ingest.editions.newer` (later 成文 date, else later file time, else later name), whatever the order of
        the files: the older is stored first (knowledge/editions.py reads the store's order)."""
        report = IngestReport()
        with self._writing():
            report.repaired = self.repair()[0]
            Ingest(self.store, self.index, self.settings, on_commit=self._swap_views,
                   on_failure=self._invalidate).run(paths, report, progress)
            # An edition committed in an earlier batch and replaced by a newer one of this call is not "ingested".
            infos = {i.doc_id: i for i in self.store.documents()}
            report.ingested = [i for i in report.ingested if i.doc_id in infos]
        for old in report.replaced:
            if old not in infos:
                self._drop_upload(old)
        return report

    # -- editions ----------------------------------------------------------------------------------------
    def superseded(self) -> set[str]:
        """Documents with a newer edition in the library (knowledge/editions.py)."""
        from knowledge.editions import editions, superseded

        with self._lock:
            if self._superseded is None:
                order, facts = self.store.ingest_order(), self.store.edition_facts()
                self._superseded = superseded(order, facts)
                groups = editions(order, facts)
                self._edition_groups = {d: ids for ids in groups.values() for d in ids}
                self._most_editions = max((len(ids) for ids in groups.values()), default=1)
            return self._superseded

    def editions_of(self, doc_id: str) -> list[str]:
        """The other editions of a document, oldest first. Every answer asks (to say which edition answered):
        the groups are computed once per version of the store, not from every document's facts per question
        (10-15 ms of each answer on a library of 289 documents)."""
        self.catalog  # noqa: B018 — re-read when another process changed the store (the groups go with it)
        self.superseded()
        return [d for d in self._edition_groups.get(doc_id, ()) if d != doc_id]

    def _max_editions(self) -> int:
        """The most editions any one policy has in the library."""
        self.superseded()
        return self._most_editions

    def _catalog_with(self, earlier: tuple[str, ...]) -> Catalog:
        """The catalogue plus some earlier editions (asked for by id): routing and bureau names behave as with
        the current library; the question's scope picks the edition."""
        with self._lock:
            key = ("editions",) + earlier
            cached = self._edition_catalogs.get(key)
            if cached is None:
                docs = list(self.catalog.documents.values()) + self.store.get_documents(list(earlier))
                cached = self._edition_catalogs[key] = Catalog(docs)
            return cached

    def _note_edition(self, ans: Answer) -> None:
        """Say which edition answered when the library holds several of the cited document."""
        if not ans.citations:
            return
        from knowledge.editions import edition_name

        doc_id = ans.citations[0].doc_id
        other = self.editions_of(doc_id)
        if not other:
            return
        newest = doc_id not in self.superseded()
        title = ans.citations[0].doc_title
        which = edition_name(title) or "正式文本"
        note = (f"依据《{title}》（{which}，{'最新的版本' if newest else '较早的版本'}，{doc_id}）作答；"
                f"库中另有{len(other)}个版本：{'、'.join(other)}，可用 --doc 指定。")
        ans.note = f"{ans.note}\n{note}" if ans.note else note

    def documents(self) -> list[DocumentInfo]:
        return self.store.documents()

    def document(self, doc_id: str) -> Document | None:
        return self.catalog.documents.get(doc_id) or self.store.get_document(doc_id)

    def resolve_doc(self, ref: str | None, catalog: Catalog | None = None) -> str | None:
        if not ref:
            return None
        doc_id = (catalog or self.catalog).resolve_doc(ref)
        if doc_id is None and ref in self.store.doc_ids():  # an earlier edition, named by its id
            doc_id = ref
        if doc_id is None:
            raise PolicyQAError(f"知识库中没有与“{ref}”对应的文件；可用 `python app.py docs` 查看已导入的文件")
        return doc_id

    def remove(self, doc_id: str) -> bool:
        with self._writing():
            found = self.store.remove(doc_id)
            self.index.remove(doc_id)
            self._swap_views(added=[], removed=[doc_id])
        self._drop_upload(doc_id)
        return found

    # -- files uploaded through the UI -------------------------------------------------------------------
    def keep_uploads(self, paths: list[Path]) -> None:
        """After an ingest from the UI: move each uploaded file out of Gradio's upload folder (which Gradio
        serves) into the data home under its document, or delete it when no document was stored from it
        (refused). Removing or replacing the document deletes the kept file."""
        for path in paths:
            path = Path(path)
            try:
                digest = hashlib.sha256()
                with path.open("rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        digest.update(block)
            except OSError:
                continue
            doc_id = self.store.find_by_hash(digest.hexdigest())
            try:
                if doc_id:
                    dest = self.settings.uploads_dir / doc_id / path.name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(path), str(dest))
                else:
                    path.unlink(missing_ok=True)
                path.parent.rmdir()  # Gradio's one-file folder, when now empty
            except OSError:
                pass

    def upload_of(self, doc_id: str) -> list[Path]:
        folder = self.settings.uploads_dir / doc_id
        return sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []

    def _drop_upload(self, doc_id: str) -> None:
        folder = self.settings.uploads_dir / doc_id
        if doc_id and folder.parent == self.settings.uploads_dir and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)

    def reindex(self) -> int:
        """Rebuild Chroma and BM25 from the knowledge store (after the embedding model changed)."""
        with self._writing():
            self._repaired = True  # everything is rebuilt from the store: no repair first
            index = self.index
            self.store.clear_indexed(index.ledger_key)
            index.reset()
            docs = self.store.get_documents()
            index.add_many(docs)
            self.store.mark_indexed([d.doc_id for d in docs], index.ledger_key)
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

    def target_records(self, year: int | None = None, bureau: str | None = None, keyword: str | None = None,
                       doc: str | None = None) -> list[dict]:
        """Targets in the SPEC `targets --json` shape, with the normalised indicator and the number."""
        from knowledge.indicators import target_records

        rows = self.targets(year=year, bureau=bureau, keyword=keyword, doc=doc)
        return target_records(rows, self.store.unit_heads(self.resolve_doc(doc) if doc else None))

    def compare_indicator(self, indicator: str, year: int | None = None) -> list[dict]:
        """One indicator across the library (`targets --compare`), from the knowledge store."""
        from knowledge.indicators import compare, fact_records, resolve, year_context

        name = resolve(indicator)
        if name is None:
            return []
        old = self.superseded()
        rows = [r for r in compare(fact_records(self.store.target_facts(year=year), name), name, year)
                if r["doc_id"] not in old]
        # Where the target's sentence does not say its year, `year_quote` cites the clause that does.
        texts = self.store.unit_texts([(r["doc_id"], r["seq"]) for r in rows])
        for r in rows:
            r["year_quote"] = year_context(texts.get((r["doc_id"], r["seq"]), ""), r["quote"], r["year"])
        return rows

    def support(self, industry: str | None = None, place: str | None = None, qualification: str | None = None,
                open_on: str | None = None, doc: str | None = None):
        return self.store.support(industry=industry, place=place, qualification=qualification, open_on=open_on,
                                  doc_id=self.resolve_doc(doc))

    def support_for(self, profile, doc: str | None = None, by: str = "relevance") -> list:
        """The support items of the library (or one document) against an enterprise profile
        (knowledge.eligibility.Profile): each with its conditions marked met / not met / unknown, its window
        open or expired on the profile's day, and its fit to the planned project; earlier editions left out."""
        from knowledge.actors import jurisdiction_of
        from knowledge.eligibility import match, ranked

        earlier = self.superseded()
        rows = [r for r in self.support(doc=doc) if r.doc_id not in earlier]
        out = []
        for r in rows:
            item = r.to_json()
            d = self.document(r.doc_id)
            # The item's own unit, by its position (an item's label may go down to a sub-item: 第四条（三）).
            unit = d.measure(r.item.seq) if d is not None and r.item.seq is not None else None
            out.append(match(item, profile, jurisdiction_of(r.doc_title) or (d and jurisdiction_of(d.source) or ""),
                             unit.text if unit else ""))
        return ranked(out, by)

    def _support_answer(self, q: str, scope: list[str] | None, catalog, answerer) -> Answer | None:
        """最多能拿多少 / 申报什么时候截止 / 需要满足什么条件 — from the stored support items (answer/support.py)."""
        from answer.support import answer_support, support_intent

        intent = support_intent(q)
        if intent is None:
            return None
        # The catalogue's documents carry their support items: no query on the question path. Listed as
        # `support` lists them (by title, then id, then position).
        docs = sorted((d for d in catalog.documents.values() if not scope or d.doc_id in scope),
                      key=lambda d: (d.title, d.doc_id))
        items = [(d, it) for d in docs for it in d.support_items]
        return answer_support(q, intent, items, answerer.cite)

    # -- questions -------------------------------------------------------------------------------------
    def check_question(self, question: str) -> str:
        q = (question or "").strip()
        if not q:
            raise BadQuestion("问题为空：请输入一个关于政策文件的问题。")
        if len(q) > self.settings.max_question_chars:
            raise BadQuestion(f"问题过长（{len(q)}字）：请控制在{self.settings.max_question_chars}字以内。")
        return q

    def retrieve(self, question: str, top_k: int = 5, doc: str | None = None) -> list[Hit]:
        catalog = self.catalog
        scope = self._scope(question, doc, catalog)
        if scope and any(d not in catalog.documents for d in scope):  # an earlier edition, asked for by id
            catalog = self._catalog_with(tuple(sorted(d for d in scope if d not in catalog.documents)))
        return self._hits(question, top_k, scope, catalog)

    def _scope(self, question: str, doc: str | None, catalog: Catalog) -> list[str] | None:
        if doc:
            return [self.resolve_doc(doc, catalog)]
        # One, several or none (the whole library): a fitted model over every document (retrieval/scope.py).
        from retrieval.scope import documents_asked

        return documents_asked(question, list(catalog.documents.values()), getattr(self.index, "lexical", None))

    def _hits(self, question: str, top_k: int, scope: list[str] | None, catalog: Catalog) -> list[Hit]:
        retriever = self.index.retriever()
        # Earlier editions stay indexed but do not answer unscoped questions. They are dropped from the hits
        # rather than the current editions listed as a scope: a scope of the whole library would change the
        # search (title words of scoped documents are ignored). Their near-duplicate units take places in the
        # ranking, so ask for enough to fill top_k after dropping them.
        earlier = self.superseded() if not scope else set()
        k = top_k * (1 + self._max_editions()) if earlier else top_k
        if scope and len(scope) == 1:
            found = retriever.run_measures(question, top_k=k, doc_id=scope[0])
        else:
            found = retriever.run_measures(question, top_k=k, doc_ids=scope)
        # During an ingest the index may hold a batch the catalog snapshot does not have yet: skip it.
        return [Hit(h.doc_id, h.seq, h.score, tuple(s.unit.text for s in h.sentences),
                    tuple(s.vector_score for s in h.sentences))
                for h in found if h.doc_id not in earlier and h.doc_id in catalog.documents][:top_k]

    def _extractive(self, question: str, doc: str | None) -> tuple[str, Answer, list[Hit]]:
        q = self.check_question(question)
        contentless = contentless_reason(q)
        if contentless:  # nothing to look up: refuse before retrieval ranks something first and cites it
            return q, Answer(question=q, answer=contentless, refused=True, route="invalid"), []
        self.ensure_default_corpus()
        catalog = self.catalog  # one snapshot for the whole question, whatever an ingest swaps in meanwhile
        matcher = self.matcher
        scope = self._scope(q, doc, catalog)
        if not scope:  # 各地非化石能源消费比重目标是多少？ — from the targets --compare table
            from answer.indicator import answer_across, indicator_asked

            name = indicator_asked(q)
            across = answer_across(q, name, self.compare_indicator(name), catalog) if name else None
            if across is not None:
                return q, across, []
        if scope and any(d not in catalog.documents for d in scope):  # an earlier edition, asked for by id
            catalog = self._catalog_with(tuple(sorted(d for d in scope if d not in catalog.documents)))
        from answer.labelled import answer_labelled

        answerer = ExtractiveAnswerer(catalog, matcher)
        supported = answer_labelled(q, scope, catalog, answerer.cite) or self._support_answer(q, scope, catalog, answerer)
        if supported is not None:
            ans = supported
            ans.question = q
            self._note_edition(ans)
            return q, ans, []
        rt = route(q, catalog)
        hits = self._hits(q, 5, scope, catalog)
        if scope is None:  # the whole library: only what can answer this question (see _narrowed)
            answerer = ExtractiveAnswerer(self._narrowed(q, rt, catalog, matcher), matcher)
        ans = answerer.answer(q, rt, hits, scope)
        ans.question = q
        self._note_edition(ans)
        return q, ans, hits

    @staticmethod
    def _narrowed(q: str, rt, catalog: Catalog, matcher) -> Catalog:
        """The catalogue as one question over the whole library needs it: only targets whose sentence shares
        a word form with the question, only units with a sentence of the asked industries (see
        Catalog.for_question). Weighing every target of 285 documents took 1-3 s per target question."""
        words = matcher.content_words(q)
        topical = [w for w in words if w not in LIST_ALL_TARGETS]
        forms = [[w, *matcher.expander.terms(w)] for w in words] if topical else None
        # A target answers only when it covers a share of the words (answer.targets: MIN_COVERAGE_EACH of
        # all of them, or MIN_COVERAGE of the topic words when listing): it must contain at least that many.
        least = min(math.ceil(min(MIN_COVERAGE, MIN_COVERAGE_EACH) * len(words) - 1e-6),
                    math.ceil(MIN_COVERAGE * len(topical) - 1e-6))
        return catalog.for_question(forms, tuple(rt.industries) or None, min_words=least)

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
