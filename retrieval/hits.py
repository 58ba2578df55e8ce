"""The retriever's result and filter types: a ranked unit (`Hit`), a measure with the evidence that ranked it
(`MeasureHit`, the unit of citation) and the filters a search takes (`Filters`). Split from retrieval/hybrid.py,
which ranks and folds them."""
from __future__ import annotations

from dataclasses import dataclass

from retrieval.units import Unit


@dataclass(frozen=True)
class Hit:
    unit: Unit
    score: float  # fused: RRF + structure boosts; comparable only within one query
    vector_score: float | None = None  # cosine similarity, when the vector search returned the unit
    lexical_score: float | None = None  # BM25, when the unit matched a query term


@dataclass(frozen=True)
class MeasureHit:
    """A measure (the unit of citation) with the evidence that ranked it."""

    unit: Unit  # the whole-measure unit
    score: float
    sentences: tuple[Hit, ...] = ()  # its best sentence units, best first (may be empty)
    vector_score: float | None = None  # best over the measure's units
    lexical_score: float | None = None

    @property
    def doc_id(self) -> str:
        return self.unit.doc_id

    @property
    def seq(self) -> int:
        return self.unit.seq

    @property
    def best_quote(self) -> str:
        """The best sentence (an exact substring of the measure text), or the measure itself."""
        return self.sentences[0].unit.text if self.sentences else self.unit.text


@dataclass(frozen=True)
class Filters:
    doc_id: str | None = None
    bureau: str | None = None  # any surface form; resolved to canonical names
    year: int | None = None
    section_no: int | None = None
    doc_ids: tuple[str, ...] | None = None  # any of these documents (a question naming several)

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.doc_id, self.bureau, self.year, self.section_no, self.doc_ids))

    @classmethod
    def of(cls, doc_id=None, bureau=None, year=None, section_no=None, doc_ids=None) -> "Filters":
        return cls(doc_id, bureau, None if year is None else int(year), section_no,
                   None if doc_ids is None else tuple(doc_ids))
