"""Typed answers and citations (SPEC: the `ask --json` shape)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Citation:
    doc_id: str
    doc_title: str
    section: str  # section title ("" when the document has none)
    measure_no: int  # （五） → 5; 0 for text outside measures
    measure_title: str
    quote: str  # an exact substring of the stored unit text
    page: int
    score: float
    seq: int = 0  # the unit's position in its document (measure numbers may repeat across sections)
    unit_text: str = ""  # the whole stored unit text, for highlighting; not part of the JSON
    label: str = ""  # the unit as the document numbers it (`（五）`, `第十九条`, `三、 （二）`)

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("unit_text")
        d["score"] = round(self.score, 4)
        return d


@dataclass
class Answer:
    question: str
    answer: str
    refused: bool
    citations: list[Citation] = field(default_factory=list)
    latency_ms: float = 0.0
    route: str = "general"
    note: str = ""  # e.g. "LLM unavailable: fell back to the extractive answer"
    per_document: bool = False  # joined from answers decided document by document
    exact: bool = False  # read from the document's front matter (issuer, number, dates): nothing to decide

    def to_json(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "latency_ms": round(self.latency_ms, 2),
            "route": self.route,
            "note": self.note,
        }
