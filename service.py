"""The application service: files → ingest → knowledge → retrieval → answer. The CLI, the UI and the
evaluator all go through it, so they share one code path."""
from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from answer import asked_subject
from answer.extractive import ExtractiveAnswerer, Hit
from answer.library_wide import narrowed_catalog
from answer.question import contentless_reason
from answer.route import route
from answer.several import joined, naming_its_sources
from answer.types import Answer
import gc_pause
from errors import BadQuestion, PolicyQAError
# document_from is re-exported: the parse report and tests turn a loaded file into a document through it
from ingest.pipeline import IngestReport, document_from  # noqa: F401
from knowledge.catalog import Catalog
from knowledge.model import Document
from knowledge.store import DocumentInfo, KnowledgeStore, TargetRow
from service_documents import DocumentLibrary
from service_listings import Listings
from service_views import ViewKeeper, Views
from settings import Settings

log = logging.getLogger("policyqa.service")


class PolicyService:
    """The question path (ask, retrieve, scope, answers) over in-memory views of the store (catalogue, matcher,
    editions); it holds a `DocumentLibrary` for writes (service_documents.py: one writer per data home, across
    processes; questions never wait on it) and `Listings` for the table look-ups (service_listings.py).
    The views (catalogue, editions, matcher: service_views.py) are rebuilt off the question path and swapped
    whole: a question never waits on an ingest, whichever process writes."""

    def __init__(self, settings: Settings, search_index=None):
        self.settings = settings
        settings.home.mkdir(parents=True, exist_ok=True)
        self.store = KnowledgeStore(settings.db_path)
        self._lock = threading.RLock()
        self._index_lock = threading.Lock()
        self._index = search_index
        self._views = ViewKeeper(self.store.data_version, lambda: KnowledgeStore(settings.db_path))
        self._llm = None
        # an index handed in is the caller's to keep in step
        self.library = DocumentLibrary(lambda: self.settings, self.store, lambda: self.index, on_commit=self._swap_views,
                                       on_failure=self._invalidate, repaired=search_index is not None,
                                       owns_index=search_index is None)
        self.listings = Listings(self.store, self.resolve_doc, self.superseded, self.document)
        # a library derived by older extraction rules is brought up to date before anything reads it
        self.library.rederive()

    # -- components, built on first use -----------------------------------------------------------
    @property
    def index(self):
        if self._index is None:
            with self._index_lock:
                if self._index is None:
                    from retrieval.embeddings import make_embeddings
                    from retrieval.index import SearchIndex

                    self._index = SearchIndex(self.settings, make_embeddings(self.settings))
        if not self.library.repaired:
            self.library.repair()
        return self._index

    @property
    def catalog(self) -> Catalog:
        """The catalogue at the store's present version (read again when another process, e.g. a CLI ingest or
        removal, changed it)."""
        return self._views.current().catalog

    def _now(self) -> Views:
        """The views a question uses: those at hand, without waiting for a rebuild another process's write
        started (service_views.py)."""
        return self._views.current(wait=False)

    @property
    def matcher(self):
        """Topic matcher for answer evidence; its dictionary knows the stored bureau names and places."""
        return self._now().topic_matcher()

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
        self._views.drop()

    def _swap_views(self, added: list[str], removed: list[str]) -> None:
        """After a write in this process: rebuild the views (reading only the added documents) and swap them in.
        Questions keep using the old ones meanwhile; with none built yet, the next question builds them."""
        if self._views.held():
            self._views.rebuild()

    def warmup(self) -> None:
        """Everything the first question would otherwise build: the search index (model, Chroma, BM25), the
        catalogue and the topic matcher (jieba's dictionary). The server calls it before it listens. All of it
        is built with the garbage collector paused, and what it built is then kept out of later collections
        (gc_pause.py)."""
        with gc_pause.paused():
            self.index.warmup()
            self._views.current().topic_matcher()  # builds the catalogue too
            # first-call costs of the answer path (regexes, caches); extractive only: a configured LLM is not called
            self._extractive("绿色低碳转型的目标是什么？", None)
            asked_subject.warmup()  # jieba's part-of-speech tagger, read at the first amount question
            gc_pause.settle()

    def close(self) -> None:
        if self._index is not None and hasattr(self._index, "close"):
            self._index.close()
        self._views.close()
        self.store.close()

    # -- documents (service_documents.DocumentLibrary) ------------------------------------------------------
    def ensure_default_corpus(self) -> IngestReport | None:
        return self.library.ensure_default_corpus()

    def repair(self) -> tuple[list[str], list[str]]:
        return self.library.repair()

    def ingest(self, paths: list[Path], progress: Callable[[int, int, str], None] | None = None,
               in_child: bool = False) -> IngestReport:
        """in_child: in a child process, so Chroma's writes do not stop this one's questions (the server's UI).
        Questions during it are answered from the views at hand while a background thread reads each of the
        child's batches; the last batch is read before this returns, so the caller's next question sees it."""
        try:
            return self.library.ingest(paths, progress, in_child=in_child)
        finally:
            if in_child and self._views.held():
                self._views.current()

    def remove(self, doc_id: str) -> bool:
        return self.library.remove(doc_id)

    def reindex(self) -> int:
        return self.library.reindex()

    def keep_uploads(self, paths: list[Path]) -> None:
        self.library.keep_uploads(paths)

    def stage_uploads(self, paths: list[Path]) -> list[Path]:
        return self.library.stage_uploads(paths)

    def upload_of(self, doc_id: str) -> list[Path]:
        return self.library.upload_of(doc_id)

    # -- editions ----------------------------------------------------------------------------------------
    def superseded(self) -> set[str]:
        """Documents with a newer edition in the library (knowledge/editions.py)."""
        return set(self._now().superseded)

    def editions_of(self, doc_id: str) -> list[str]:
        """The other editions of a document, oldest first. Every answer asks (to say which edition answered):
        the groups are computed once per version of the store, not from every document's facts per question
        (10-15 ms of each answer on a library of 289 documents)."""
        return [d for d in self._now().edition_groups.get(doc_id, ()) if d != doc_id]

    def _max_editions(self) -> int:
        """The most editions any one policy has in the library."""
        return self._now().most_editions

    def _catalog_with(self, earlier: tuple[str, ...]) -> Catalog:
        """The catalogue plus some earlier editions (asked for by id): routing and bureau names behave as with
        the current library; the question's scope picks the edition."""
        return self._now().with_earlier(earlier, self.store)

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

    def unit_text(self, doc_id: str, measure_no: int) -> str | None:
        doc = self.document(doc_id)
        if doc is None:
            return None
        for u in doc.units():
            if u.no == measure_no:
                return u.text
        return None

    # -- listings (service_listings.Listings) -----------------------------------------------------------------
    def targets(self, year: int | None = None, bureau: str | None = None, keyword: str | None = None,
                doc: str | None = None) -> list[TargetRow]:
        return self.listings.targets(year=year, bureau=bureau, keyword=keyword, doc=doc)

    def target_records(self, year: int | None = None, bureau: str | None = None, keyword: str | None = None,
                       doc: str | None = None) -> list[dict]:
        return self.listings.target_records(year=year, bureau=bureau, keyword=keyword, doc=doc)

    def compare_indicator(self, indicator: str, year: int | None = None) -> list[dict]:
        return self.listings.compare_indicator(indicator, year)

    def support(self, industry: str | None = None, place: str | None = None, qualification: str | None = None,
                open_on: str | None = None, doc: str | None = None):
        return self.listings.support(industry=industry, place=place, qualification=qualification,
                                     open_on=open_on, doc=doc)

    def support_for(self, profile, doc: str | None = None, by: str = "relevance") -> list:
        return self.listings.support_for(profile, doc, by)

    def _support_answer(self, q: str, asked, catalog, answerer) -> Answer | None:
        """最多能拿多少 / 申报什么时候截止 / 需要满足什么条件 — from the stored support items (answer/support.py);
        `asked`: the question's retrieval.scope.Scope (its documents and their probabilities)."""
        from answer.support import answer_support, support_intent

        intent = support_intent(q)
        if intent is None:
            return None
        # The catalogue's documents carry their support items: no query on the question path. Listed as
        # `support` lists them (by title, then id, then position).
        docs = sorted((d for d in catalog.documents.values() if not asked.ids or d.doc_id in asked.ids),
                      key=lambda d: (d.title, d.doc_id))
        # A grant without a sum answers no 多少 and states no window: what a document without sums offers is read
        # from its granting sentences (answer.support_offers), its conditions and deadline as a call's.
        items = [(d, it) for d in docs for it in d.support_items if it.shape != "grant"]
        return answer_support(q, intent, items, answerer.cite, asked, docs)

    # -- questions -------------------------------------------------------------------------------------
    def check_question(self, question: str) -> str:
        q = (question or "").strip()
        if not q:
            raise BadQuestion("问题为空：请输入一个关于政策文件的问题。")
        if len(q) > self.settings.max_question_chars:
            raise BadQuestion(f"问题过长（{len(q)}字）：请控制在{self.settings.max_question_chars}字以内。")
        return q

    def retrieve(self, question: str, top_k: int = 5, doc: str | None = None) -> list[Hit]:
        catalog = self._now().catalog
        scope = self._scope(question, doc, catalog)
        if scope and any(d not in catalog.documents for d in scope):  # an earlier edition, asked for by id
            catalog = self._catalog_with(tuple(sorted(d for d in scope if d not in catalog.documents)))
        return self._hits(question, top_k, scope, catalog)

    def _scope(self, question: str, doc: str | None, catalog: Catalog) -> list[str] | None:
        return self._asked(question, doc, catalog).ids

    def _asked(self, question: str, doc: str | None, catalog: Catalog):
        """The scope with the probability of each document in it (retrieval.scope.Scope)."""
        # One, several or none (the whole library): a fitted model over every document (retrieval/scope.py).
        from answer.indicator import indicator_asked
        from retrieval.scope import Scope, asked

        if doc:  # the user's document filter: a scope of one, certain
            doc_id = self.resolve_doc(doc, catalog)
            return Scope([doc_id], {doc_id: 1.0})
        # 各地…目标是多少？ asks every document's figure (the comparison table answers it): the whole library
        return asked(question, list(catalog.documents.values()), getattr(self.index, "lexical", None),
                     indicator=indicator_asked(question) is not None)

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
        views = self._now()  # one snapshot for the whole question, whatever an ingest swaps in meanwhile
        catalog, matcher = views.catalog, views.topic_matcher()
        asked = self._asked(q, doc, catalog)
        scope = asked.ids
        if not scope:  # 各地非化石能源消费比重目标是多少？ — from the targets --compare table
            from answer.indicator import answer_across, indicator_asked

            name = indicator_asked(q)
            across = answer_across(q, name, self.compare_indicator(name), catalog) if name else None
            if across is not None:
                return q, across, []
        if not doc and scope and len(scope) > 1:  # the model spread it over several: each answers as if asked alone
            return self._per_document(q, asked, catalog, matcher)
        q, ans, hits = self._answered(q, asked, catalog, matcher)
        return q, (ans if doc else naming_its_sources(ans)), hits

    def _per_document(self, q: str, asked, catalog: Catalog, matcher) -> tuple[str, Answer, list[Hit]]:
        """A question the scope model spreads over several documents: the answer scoped to each, joined by
        answer.several (which documents answer, and whether enough of the probability does to answer at all)."""
        from retrieval.scope import Scope, model

        parts, hits = [], []
        for d in asked.ranked(asked.ids):
            _, ans, found = self._answered(q, Scope([d], {d: 1.0}), catalog, matcher)
            parts.append((d, asked.probs.get(d, 0.0), ans))
            hits += found
        titles = {d: catalog.documents[d].title for d in asked.ids if d in catalog.documents}
        return q, joined(q, parts, titles, model().share), hits

    def _answered(self, q: str, asked, catalog: Catalog, matcher) -> tuple[str, Answer, list[Hit]]:
        """The answer within the documents of `asked` (a retrieval.scope.Scope; None ids: the whole library)."""
        scope = asked.ids
        if scope and any(d not in catalog.documents for d in scope):  # an earlier edition, asked for by id
            catalog = self._catalog_with(tuple(sorted(d for d in scope if d not in catalog.documents)))
        from answer.labelled import answer_labelled

        answerer = ExtractiveAnswerer(catalog, matcher)
        supported = answer_labelled(q, scope, catalog, answerer.cite) or self._support_answer(q, asked, catalog, answerer)
        if supported is not None:
            ans = supported
            ans.question = q
            if ans.route == "support":  # a field the item leaves out (能补几年) from the sentences of its units
                ans = answerer.completed(ans, q, scope)
            self._note_edition(ans)
            return q, ans, []
        rt = route(q, catalog)
        hits = self._hits(q, 5, scope, catalog)
        if scope is None:  # the whole library: only what can answer this question (answer.library_wide)
            answerer = ExtractiveAnswerer(narrowed_catalog(q, rt, catalog, matcher), matcher)
        ans = answerer.answer(q, rt, hits, scope)
        ans.question = q
        self._note_edition(ans)
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
