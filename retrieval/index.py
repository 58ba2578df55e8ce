"""SearchIndex: the one object the service talks to — Chroma and BM25 kept in step, per document."""
from __future__ import annotations

import logging
import threading
from typing import Iterable, NamedTuple, Sequence

import numpy as np

import gc_pause
import timing_log

from knowledge.model import Document
from retrieval.embeddings import PolicyEmbeddings, make_embeddings
from retrieval.hybrid import HybridRetriever
from retrieval.langchain_retriever import PolicyRetriever
from retrieval.lexical import LexicalIndex
from retrieval.prepared import PendingPrepared, Prepared, PreparedTokens, embed_plan, embed_units
from retrieval.tokenize import BLOCK_CACHE, ChineseTokenizer, normalise
from retrieval.units import Unit, units_for
from retrieval.vector import VectorStore
from retrieval.vocabulary import curated_terms, dictionary_words

log = logging.getLogger(__name__)


def _distinct(texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The distinct texts in order, and each text's position among them."""
    position: dict[str, int] = {}
    where = [position.setdefault(t, len(position)) for t in texts]
    return list(position), where


class StoreDocIds(NamedTuple):
    vector: set[str]  # doc ids with units in Chroma
    lexical: set[str]  # doc ids with units in the BM25 index

    @property
    def consistent(self) -> bool:
        return self.vector == self.lexical


class SearchIndex:
    """add(doc) / remove(doc_id) update Chroma and BM25 together; retriever() searches both.

    Embeddings are computed before any store is touched (the slow, failure-prone step), and a failure
    half-way through an update removes the document from both stores before re-raising, so the stores
    never disagree about which documents they hold.
    """

    def __init__(self, settings, embeddings: PolicyEmbeddings | None = None,
                 tokenizer: ChineseTokenizer | None = None, vector_store: VectorStore | None = None):
        self.settings = settings
        self.embeddings = embeddings if embeddings is not None else make_embeddings(settings)
        self.tokenizer = tokenizer if tokenizer is not None else ChineseTokenizer(pin_total=True, block_cache=BLOCK_CACHE)
        self.tokenizer.add_words(curated_terms())
        self.vector = vector_store if vector_store is not None else VectorStore.from_settings(settings, self.embeddings)
        self.bm25_dir = settings.bm25_dir
        self.lexical = LexicalIndex.load(self.bm25_dir, self.tokenizer)
        if self.lexical.stale_on_disk:  # e.g. the bundled terms file grew: save once, not at every start
            self.lexical.save(self.bm25_dir)
        self._retriever: HybridRetriever | None = None
        # Held by every BM25 write (mutate and save) and by a reload (load and swap): a reload that loaded an
        # older generation while a writer added a batch would otherwise swap the batch out of memory, and the
        # next save would write the index without it. Re-entrant: add_prepared refreshes, then adds.
        self._reload_lock = threading.RLock()
        self._reload_flag = threading.Lock()
        self._reloading = False
        # Another process's vectors are on disk but this client has not reopened the folder: it waits while
        # `vector.hold_reopen` (the UI's ingest child writes it, service_documents.py) or another process holds the
        # home's write.lock (a CLI ingest, write_lock.py), then reopens once.
        self._vectors_behind = False
        self._vector_docs = self.lexical.doc_ids()  # the documents the vector client has seen

    # --- changes ----------------------------------------------------------------------------------
    def add(self, doc: Document) -> int:
        """Index (or re-index) one document; returns its number of units."""
        return self.add_many([doc])

    def add_many(self, docs: Sequence[Document], replace_docs: Iterable[str] = ()) -> int:
        """Index several documents with one dictionary update and one BM25 save; documents in
        `replace_docs` (older editions) leave both stores in the same update."""
        if not docs:
            if replace_docs:
                self.remove_many(replace_docs)
            return 0
        prepared = self.prepare(docs)
        return self.add_prepared(prepared, replace_docs=replace_docs)

    def add_again(self, docs: Sequence[Document]) -> int:
        """Index documents the index may already hold with the same text (their derived knowledge was derived
        again, service_documents.rederive, or a killed ingest): a document whose units, by id and text, are
        those BM25 holds keeps the vectors Chroma has for them (a unit's vector depends on its text only, and a
        measure's on its sentences'), and only its metadata and tokens are written again; any other document is
        embedded afresh. Re-embedding a library whose bureau rules changed took as long as a reindex."""
        held: dict[str, set[tuple[str, str]]] = {}
        wanted = {d.doc_id for d in docs}
        for u in self.units():
            if u.doc_id in wanted:
                held.setdefault(u.doc_id, set()).add((u.unit_id, u.text))
        same: list[Document] = []
        units: list[Unit] = []
        for d in docs:
            mine = units_for(d)
            if mine and held.get(d.doc_id) == {(u.unit_id, u.text) for u in mine}:
                same.append(d)
                units.extend(mine)
        stored = self.vector.vectors_of([u.unit_id for u in units]) if units else {}
        if len(stored) != len(units):  # Chroma lacks some (a killed ingest): embed those documents
            lacking = {u.doc_id for u in units if u.unit_id not in stored}
            same = [d for d in same if d.doc_id not in lacking]
            units = [u for u in units if u.doc_id not in lacking]
        kept = {d.doc_id for d in same}
        rest = [d for d in docs if d.doc_id not in kept]
        added = self.add_many(rest) if rest else 0
        if same:
            words = set().union(*(dictionary_words(d) for d in same))
            vectors = np.stack([stored[u.unit_id] for u in units])
            with self._reload_lock:
                self.refresh()
                added += self.add_units(units, vectors, words=words, replace_docs=[d.doc_id for d in same])
        return added

    def prepare(self, docs: Sequence[Document]) -> "Prepared":
        """Units, vectors and dictionary words of documents: the slow part of indexing (embedding), which
        touches neither store, so it can run while questions are answered from the current index."""
        words: set[str] = set()
        units: list[Unit] = []
        for doc in docs:
            words |= dictionary_words(doc)
            units.extend(units_for(doc))
        vectors = embed_units(self.embeddings, units)
        return Prepared([d.doc_id for d in docs], units, vectors, words)

    def prepare_async(self, docs: Sequence[Document], pool) -> PendingPrepared:
        """`prepare`, with the encoding handed to `pool` (retrieval.embedpool): returns at once."""
        words: set[str] = set()
        units: list[Unit] = []
        for doc in docs:
            words |= dictionary_words(doc)
            units.extend(units_for(doc))
        texts, where = embed_plan(units)
        futures = pool.submit(texts)
        # The BM25 tokens too, in the pool's processes: jieba in this one holds the GIL from question threads.
        token_texts, token_where = _distinct([u.text for u in units])
        known = frozenset(self.tokenizer.user_words | {w for w in map(normalise, words) if len(w) >= 2})
        sent = pool.tokenize(known, token_texts) if hasattr(pool, "tokenize") else None
        if sent is None:
            return PendingPrepared([d.doc_id for d in docs], units, where, futures, words, self.embeddings.dimension)
        used, token_futures = sent
        return PendingPrepared([d.doc_id for d in docs], units, where, futures, words, self.embeddings.dimension,
                               token_texts, token_where, token_futures, used)

    def embedding_pool(self, workers: int):
        from retrieval.embedpool import EmbeddingPool

        return EmbeddingPool.for_embeddings(self.embeddings, workers)

    def add_prepared(self, prepared: "Prepared", replace_docs: Iterable[str] = ()) -> int:
        """Write prepared documents to Chroma and BM25 (their old units, and those of `replace_docs`, go)."""
        with self._reload_lock:
            self.refresh()
            doc_ids = list(dict.fromkeys([*prepared.doc_ids, *replace_docs]))
            return self.add_units(prepared.units, prepared.vectors, words=prepared.words, replace_docs=doc_ids,
                                  tokens=prepared.tokens)

    def remove_many(self, doc_ids: Iterable[str]) -> int:
        """Remove several documents from both stores with one BM25 save."""
        doc_ids = list(dict.fromkeys(doc_ids))
        if not doc_ids:
            return 0
        with self._reload_lock:
            self.refresh()
            removed = 0
            for d in doc_ids:
                self.vector.delete(d)
                removed += self.lexical.remove(d)
            self.lexical.save(self.bm25_dir)
        return removed

    def add_units(self, units: Sequence[Unit], vectors, words: Iterable[str] = (),
                  replace_docs: Iterable[str] | None = None, tokens: PreparedTokens | None = None) -> int:
        """Low-level add of prepared units and their vectors (the benchmark reuses vectors this way).

        Every document in `replace_docs` (default: the units' documents) loses its old units first.
        """
        doc_ids = list(dict.fromkeys(replace_docs if replace_docs is not None else (u.doc_id for u in units)))
        with self._reload_lock:
            try:
                for d in doc_ids:
                    self.vector.delete(d)
                with timing_log.span("chroma-add", units=len(units)):
                    self.vector.add(units, vectors)
                # New dictionary words first: the tokenizer must segment the new units with them.
                self.lexical.tokenizer.add_words(words)
                cut = tokens.for_units(self.lexical.tokenizer) if tokens is not None else None
                self.lexical.add(units, replace_docs=doc_ids, tokens=cut)
                self.lexical.save(self.bm25_dir)
            except BaseException:
                for d in doc_ids:
                    self._forget(d)
                raise
        return len(units)

    def remove(self, doc_id: str) -> int:
        """Remove a document from both stores; returns how many units the BM25 index held for it."""
        with self._reload_lock:
            self.refresh()
            self.vector.delete(doc_id)
            removed = self.lexical.remove(doc_id)
            self.lexical.save(self.bm25_dir)
        return removed

    def _forget(self, doc_id: str) -> None:
        """Best-effort cleanup after a failed update (the original error is what gets reported; a cleanup that
        fails too is logged, not raised, so it cannot hide that error)."""
        try:
            self.vector.delete(doc_id)
        except Exception:
            log.warning("removing %s from the vector index after a failed update failed", doc_id, exc_info=True)
        try:
            self.lexical.remove(doc_id)
            self.lexical.save(self.bm25_dir)
        except Exception:
            log.warning("removing %s from the BM25 index after a failed update failed", doc_id, exc_info=True)

    def reset(self) -> None:
        """Empty both stores (and start Chroma afresh for the configured model): `app.py reindex`."""
        with self._reload_lock:
            self.vector.reset()
            self.lexical = LexicalIndex(self.tokenizer)
            self.lexical.save(self.bm25_dir)
        if self._retriever is not None:
            self._retriever.lexical = self.lexical
            self._retriever.clear_vector_cache()  # a new model's vectors replace the old ones

    def user_dictionary(self, words: Iterable[str]) -> int:
        """Add knowledge-base words (bureau aliases, places, terms) to the tokenizer; re-tokenizes the
        BM25 index when any is new. Returns the number of new words."""
        with self._reload_lock:
            self.refresh()
            added = self.lexical.add_words(words)
            if added:
                self.lexical.save(self.bm25_dir)
        return added

    # --- reads ------------------------------------------------------------------------------------
    @property
    def ledger_key(self) -> str:
        """Names this index in the store's ledger of indexed documents: the embedding model and, for a Chroma
        server, its URL (the embedded Chroma lives in the same home as the ledger)."""
        return f"{self.embeddings.model_id}@{self.vector.url or 'embedded'}"

    def lexical_doc_ids(self) -> set[str]:
        """Doc ids in BM25 (in memory: cheap, unlike `doc_ids`, which reads every Chroma row)."""
        self.refresh()
        return self.lexical.doc_ids()

    def doc_ids(self) -> StoreDocIds:
        self.refresh()
        return StoreDocIds(vector=self.vector.doc_ids(), lexical=self.lexical.doc_ids())

    def units(self, doc_id: str | None = None) -> list[Unit]:
        self.refresh()
        return [u for u in self.lexical.units if doc_id is None or u.doc_id == doc_id]

    def refresh(self, wait: bool = True) -> bool:
        """Reload the BM25 index if another process saved a newer one; True when it did.

        wait=False (before a search): when there is an index to answer from, the reload runs in a background
        thread and the search uses the current one. Loading a library's index takes seconds, and a CLI ingest
        saves one per batch: questions in the UI waited for each."""
        on_disk = LexicalIndex.current_generation(self.bm25_dir)
        # vectors another process wrote, held back while it wrote them (it has ended now)
        if on_disk == self.lexical.generation and not self._reopen_due():
            return False
        if not wait and self.lexical.units:
            self._reload_in_background()
            return False
        with self._reload_lock:
            return self._reload()

    def _reload(self) -> bool:
        """Load the generation on disk and swap it in (the caller holds _reload_lock)."""
        start = self.lexical
        if LexicalIndex.current_generation(self.bm25_dir) == start.generation:
            if self._reopen_due():
                self._reopen_vectors(start)
            return False  # loaded meanwhile (by the background thread)
        with gc_pause.paused():  # in the server, the loaded units go out of the collector's sight, as at start-up
            with timing_log.span("bm25-load"):
                lexical = LexicalIndex.load(self.bm25_dir, self.tokenizer, previous=start)
            if self.lexical is not start:  # replaced meanwhile (reset): keep the newer one
                return False
            # Chroma is written before BM25 in every update: a newer BM25 generation means newer vectors on disk too.
            self._vectors_behind = True
            reopened = self._reopen_due() and self._reopen_vectors(lexical)
            if not reopened and hasattr(self.vector, "unseen_docs"):  # their vectors are not in the client yet
                self.vector.unseen_docs = frozenset(lexical.doc_ids() - self._vector_docs)
            self.lexical = lexical
            if self._retriever is not None:
                self._retriever.lexical = lexical
            gc_pause.resettle()
        return True

    def _reopen_due(self) -> bool:
        """Another process's vectors are on disk and the folder may be opened again: not while the UI's ingest child
        writes it (`vector.hold_reopen`) nor while another process does (a CLI ingest; `vector.may_reopen`)."""
        if not self._vectors_behind:
            return False
        may = getattr(self.vector, "may_reopen", None)
        return may() if may is not None else not getattr(self.vector, "hold_reopen", False)

    def _reopen_vectors(self, lexical: LexicalIndex) -> bool:
        """Open Chroma's folder again, which now holds the vectors of `lexical`'s documents (the caller holds
        _reload_lock); False when a writer started meanwhile (the folder is then left as it is)."""
        with timing_log.span("chroma-reopen"):
            when_quiet = getattr(self.vector, "reopen_when_quiet", None)
            if when_quiet is None:
                self.vector.reopen()
            elif not when_quiet():
                return False
        self._vectors_behind = False
        # the documents the vector client has seen: `lexical`'s, which the caller swaps in after this call
        # (self.lexical is still the older generation then)
        self._vector_docs = lexical.doc_ids()
        if hasattr(self.vector, "unseen_docs"):
            self.vector.unseen_docs = frozenset()
        return True

    def _reload_in_background(self) -> None:
        with self._reload_flag:
            if self._reloading:
                return
            self._reloading = True

        def run() -> None:
            try:
                with self._reload_lock:  # a writer's refresh waits for it, then sees the loaded index
                    self._reload()
            except Exception:  # the next search tries again; the current index keeps answering
                log.exception("reloading the BM25 index failed")
            finally:
                self._reloading = False

        threading.Thread(target=run, name="bm25-reload", daemon=True).start()

    def retriever(self, **options) -> HybridRetriever:
        """The shared HybridRetriever (options given on the first call configure it)."""
        if self._retriever is None:
            weight = self.settings.vector_weight  # POLICYQA_VECTOR_WEIGHT: the experiment switch (settings.py)
            if weight is not None:
                if "weights" in options:
                    raise ValueError("SearchIndex.retriever: weights given both as an option and by "
                                     "POLICYQA_VECTOR_WEIGHT; give one")
                options = {**options, "weights": (float(weight), 1.0)}
            self._retriever = HybridRetriever(self.embeddings, self.vector, self.lexical,
                                              on_search=lambda: self.refresh(wait=False), **options)
        elif options:
            raise ValueError("SearchIndex.retriever: options can only be given on the first call")
        return self._retriever

    def warmup(self) -> None:
        """One search, so the first real question does not pay for loading the model and Chroma's index."""
        if self.lexical.units:
            self.retriever().run("绿色低碳转型", top_k=1)
        else:
            self.embeddings.encode_query("绿色低碳转型")

    def close(self) -> None:
        """Drop the clients (Chroma persists on every write; there is nothing to flush)."""
        self._retriever = None
        self.vector = None  # type: ignore[assignment]

    def langchain_retriever(self, top_k: int = 5, doc_id: str | None = None, measures: bool = False) -> PolicyRetriever:
        return PolicyRetriever(hybrid=self.retriever(), top_k=top_k, doc_id=doc_id, measures=measures)
