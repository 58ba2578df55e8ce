"""Retrieval at scale: a 10,000-unit index from the development corpus, for `python -m eval bench`.

The corpus' real units are replicated under synthetic document ids (`{doc_id}~{r}`) until there are n
units. The corpus' own units are embedded once and replicas reuse their vectors: embedding speed is
reported separately (units/s), and what the 10k index measures is search over 10k vectors and a 10k-row
BM25 matrix, which replicated text exercises like distinct text (BM25 document frequencies are those of
a corpus where every document appears several times).
"""
from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

import numpy as np

from knowledge.model import Document
from retrieval.embeddings import PolicyEmbeddings, make_embeddings
from retrieval.index import SearchIndex
from retrieval.prepared import embed_units
from retrieval.units import Unit, units_for
from retrieval.vocabulary import dictionary_words
from settings import shared_corpus

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_QUESTIONS = (
    "公家单位买车要买多少电车？",
    "营运交通工具单位换算周转量碳排放强度",
    "到2030年可再生能源装机目标是多少？",
    "交通领域由哪个部门牵头？",
    "市发改委牵头负责哪些举措？",
    "我们是化工企业，有哪些要求？",
    "近零碳码头要建几个？",
    "建筑垃圾资源化利用率要达到多少",
)


def corpus_dir() -> Path:
    """The development corpus (settings.shared_corpus)."""
    return shared_corpus()


def development_documents(corpus: Path | None = None, timeout_s: float = 60.0) -> list[Document]:
    """Parse and enrich every accepted file of the corpus (refused files, e.g. the garbled PDF, are skipped:
    they are refused at ingest too)."""
    from errors import RejectedFile
    from ingest.loaders import load_many
    from ingest.structure import parse
    from knowledge.extract import enrich

    corpus = corpus or corpus_dir()
    if not corpus.is_dir():
        raise FileNotFoundError(f"development corpus not found at {corpus} (set POLICYQA_CORPUS)")
    docs = []
    for item in load_many([corpus], max_file_mb=50, timeout_s=timeout_s, workers=min(2, os.cpu_count() or 1)):
        if isinstance(item, RejectedFile):
            continue
        doc = parse(item.pages, item.title_hint, source=item.source, content_hash=item.content_hash,
                    doc_id=item.content_hash[:12])
        docs.append(enrich(doc))
    return docs


def build_synthetic_units(docs: Sequence[Document], n: int = 10_000) -> list[Unit]:
    """Exactly n units: the documents' own units, then replicas under doc ids `{doc_id}~1`, `~2`, …"""
    base = [u for d in docs for u in units_for(d)]
    if not base:
        raise ValueError("build_synthetic_units: the documents have no units")
    out: list[Unit] = []
    r = 0
    while len(out) < n:
        for u in base:
            if len(out) >= n:
                break
            if r == 0:
                out.append(u)
                continue
            doc_id = f"{u.doc_id}~{r}"
            uid = doc_id + u.unit_id[len(u.doc_id):]
            out.append(replace(u, unit_id=uid, doc_id=doc_id))
        r += 1
    return out


@dataclass(frozen=True)
class BuildStats:
    units: int
    distinct_units: int  # the corpus' own units, embedded once (replicas reuse their vectors)
    embed_s: float  # embedding the distinct units (retrieval.prepared.embed_units)
    embed_units_per_s: float
    chroma_add_s: float
    bm25_build_s: float  # tokenize + index + save
    total_s: float


@dataclass
class SyntheticIndex:
    """What `eval.bench.bench_10k` drives: `retrieve(question, top_k)` and `close()`."""

    index: SearchIndex
    stats: BuildStats

    def retrieve(self, question: str, top_k: int = 5):
        return self.index.retriever().run_measures(question, top_k=top_k)

    def close(self) -> None:
        self.index.close()


def build_10k_index(settings, n_units: int = 10_000, docs: Sequence[Document] | None = None,
                    embeddings: PolicyEmbeddings | None = None) -> SyntheticIndex:
    """Build an n-unit index under settings.home (Chroma as configured, BM25 under bm25_dir)."""
    t0 = time.perf_counter()
    docs = list(docs) if docs is not None else development_documents()
    embeddings = embeddings or make_embeddings(settings)
    base = [u for d in docs for u in units_for(d)]
    t = time.perf_counter()
    base_vectors = embed_units(embeddings, base)
    embed_s = time.perf_counter() - t
    units = build_synthetic_units(docs, n_units)
    # replica r of base unit i is units[r * len(base) + i]: reuse its vector
    vectors = np.stack([base_vectors[i % len(base)] for i in range(len(units))])

    index = SearchIndex(settings, embeddings)
    index.reset()
    words: set[str] = set()
    for d in docs:
        words |= dictionary_words(d)
    t = time.perf_counter()
    index.vector.add(units, vectors)
    chroma_s = time.perf_counter() - t
    t = time.perf_counter()
    index.tokenizer.add_words(words)
    index.lexical.add(units)
    index.lexical.save(index.bm25_dir)
    bm25_s = time.perf_counter() - t
    stats = BuildStats(units=len(units), distinct_units=len(base), embed_s=round(embed_s, 2),
                       embed_units_per_s=round(len(base) / embed_s, 1) if embed_s else 0.0,
                       chroma_add_s=round(chroma_s, 2), bm25_build_s=round(bm25_s, 2),
                       total_s=round(time.perf_counter() - t0, 2))
    index.warmup()
    return SyntheticIndex(index=index, stats=stats)


@dataclass(frozen=True)
class Latency:
    n: int
    p50_ms: float
    p95_ms: float
    max_ms: float


def measure(fn, questions: Sequence[str] = BENCH_QUESTIONS, reps: int = 5) -> Latency:
    for q in questions:  # warm-up
        fn(q)
    times = []
    for _ in range(reps):
        for q in questions:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return Latency(n=len(times), p50_ms=round(statistics.median(times), 2),
                   p95_ms=round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
                   max_ms=round(times[-1], 2))


@dataclass(frozen=True)
class VectorPathLatency:
    """Chroma's query against a brute-force numpy scan of the same vectors (the in-process alternative)."""

    units: int
    chroma: Latency
    chroma_filtered: Latency  # where doc_id = one document
    numpy: Latency


def compare_vector_paths(index: SearchIndex, questions: Sequence[str] = BENCH_QUESTIONS, k: int = 50,
                         reps: int = 5) -> VectorPathLatency:
    ids, matrix = index.vector.vectors()
    qv = {q: index.embeddings.encode_query(q) for q in questions}
    doc = index.lexical.units[0].doc_id

    def brute(q):
        s = matrix @ qv[q]
        top = np.argpartition(-s, min(k, len(s) - 1))[:k]
        return [ids[i] for i in top[np.argsort(-s[top])]]

    return VectorPathLatency(
        units=len(ids),
        chroma=measure(lambda q: index.vector.query(qv[q], k), questions, reps),
        chroma_filtered=measure(lambda q: index.vector.query(qv[q], k, {"doc_id": doc}), questions, reps),
        numpy=measure(brute, questions, reps),
    )


@dataclass(frozen=True)
class RetrievalBench:
    small_units: int
    small: Latency  # run_measures on the primary document alone
    large: Latency  # run_measures on n units
    build: BuildStats
    vector_paths: VectorPathLatency
    extra: dict = field(default_factory=dict)


def run_bench(settings_small, settings_large, n: int = 10_000, reps: int = 5,
              docs: Sequence[Document] | None = None, embeddings: PolicyEmbeddings | None = None) -> RetrievalBench:
    """p50/p95 of run_measures() on the primary document (~160 units) and on n units, plus build time.
    The two settings must point at different homes."""
    docs = list(docs) if docs is not None else development_documents()
    embeddings = embeddings or make_embeddings(settings_small)
    primary = next((d for d in docs if "连云港" in d.title), docs[0])
    small = SearchIndex(settings_small, embeddings)
    small.reset()
    small.add(primary)
    small.warmup()
    small_lat = measure(lambda q: small.retriever().run_measures(q, top_k=5), reps=reps)
    small_units = len(small.lexical)
    small.close()
    big = build_10k_index(settings_large, n, docs=docs, embeddings=embeddings)
    large_lat = measure(lambda q: big.retrieve(q, top_k=5), reps=reps)
    paths = compare_vector_paths(big.index, reps=reps)
    big.close()
    return RetrievalBench(small_units=small_units, small=small_lat, large=large_lat, build=big.stats,
                          vector_paths=paths)


if __name__ == "__main__":  # python -m retrieval.bench
    import json
    import tempfile
    from dataclasses import asdict

    from settings import Settings

    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        result = run_bench(Settings(home=Path(a)), Settings(home=Path(b)))
        print(json.dumps(asdict(result), ensure_ascii=False, indent=2))
