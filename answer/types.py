"""The typed interface of answering: what a handler takes (a Query: the question, its Route, the retrieved
Hits, the scope) and what it returns (an Answer with Citations; SPEC: the `ask --json` shape)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol


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
    exact: bool = False  # read as it is stored (front matter: issuer, number, dates; a bureau's listed measures): nothing to decide
    # a sentence the handler chose by its overlap with the question (a body named in a sentence, not a responsibility
    # clause): decided like the general handler's sentence
    picked: bool = False

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


@dataclass(frozen=True)
class Hit:
    """A retrieved measure: what the retriever returned, reduced to what answering needs."""
    doc_id: str
    seq: int
    score: float
    sentences: tuple[str, ...] = ()  # best-matching sentences, exact substrings of the unit text
    sentence_vectors: tuple = ()  # encoder similarity of each of `sentences` to the question (None: not scored)


@dataclass(frozen=True)
class Route:
    """What kind of fact is asked (answer.intents), about which year, bureau and industry. The documents a
    question names are its scope (retrieval/scope.py, Query.scope), not a field of the route."""
    kind: str
    years: tuple[int, ...] = ()
    bureaus: tuple[str, ...] = ()  # canonical names
    industries: tuple[str, ...] = ()  # keys of INDUSTRIES
    industry_words: tuple[str, ...] = ()  # as the question wrote them
    asks_lead: bool = False


@dataclass(frozen=True)
class Query:
    """One question to answer: as asked, routed, with its retrieved hits and the documents in scope
    (None: the whole library)."""
    question: str
    route: Route
    hits: tuple[Hit, ...] = ()
    scope: tuple[str, ...] | None = None


class Handler(Protocol):
    """One kind of question (answer.intents names the kinds). `run` answers, or returns None when the documents
    do not hold what this handler reads (the next handler of the route's chain is then tried)."""
    kind: str

    def run(self, query: Query) -> Answer | None: ...
