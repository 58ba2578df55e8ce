"""The langchain face of retrieval.hybrid.HybridRetriever: one langchain Document per unit (or measure) hit, with
the metadata a citation needs."""
from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval.hybrid import HybridRetriever
from retrieval.units import Unit


class PolicyRetriever(BaseRetriever):
    """langchain retriever over HybridRetriever: one Document per unit hit, metadata for citation."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    hybrid: HybridRetriever
    top_k: int = 5
    doc_id: str | None = None
    measures: bool = False  # True: one Document per measure (its best sentence first in metadata)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        if self.measures:
            return [to_langchain(m.unit, m.score, quote=m.best_quote)
                    for m in self.hybrid.run_measures(query, top_k=self.top_k, doc_id=self.doc_id)]
        return [to_langchain(h.unit, h.score) for h in self.hybrid.run(query, top_k=self.top_k, doc_id=self.doc_id)]


def to_langchain(unit: Unit, score: float, quote: str | None = None) -> LCDocument:
    md = unit.to_metadata()
    md = {k: v for k, v in md.items() if not k.startswith(("b:", "y:"))}
    md.update(unit_id=unit.unit_id, score=score, quote=quote if quote is not None else unit.text,
              section_no=unit.section_no)
    return LCDocument(page_content=unit.text, metadata=md, id=unit.unit_id)
