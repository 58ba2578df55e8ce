"""Listings for the service: targets, support items and an indicator across the library, read from the
knowledge store (`targets`, `support`, `targets --compare`, the enterprise page). Earlier editions are left out
where a listing covers the whole library."""
from __future__ import annotations

from typing import Callable

from knowledge.model import Document
from knowledge.store import KnowledgeStore, TargetRow


class Listings:
    """`resolve_doc(ref)` turns a title or id into a doc_id (or raises); `superseded()` names the earlier
    editions; `document(doc_id)` reads one document (from the catalogue, else the store)."""

    def __init__(self, store: KnowledgeStore, resolve_doc: Callable[[str | None], str | None],
                 superseded: Callable[[], set[str]], document: Callable[[str], Document | None]):
        self.store = store
        self.resolve_doc = resolve_doc
        self.superseded = superseded
        self.document = document

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
        from knowledge.actors import document_jurisdiction
        from knowledge.eligibility import match, ranked

        earlier = self.superseded()
        rows = [r for r in self.support(doc=doc) if r.doc_id not in earlier]
        out = []
        for r in rows:
            item = r.to_json()
            d = self.document(r.doc_id)
            # The item's own unit, by its position (an item's label may go down to a sub-item: 第四条（三）).
            unit = d.measure(r.item.seq) if d is not None and r.item.seq is not None else None
            place = document_jurisdiction(r.doc_title, d.meta, d.source) if d is not None else \
                document_jurisdiction(r.doc_title)
            out.append(match(item, profile, place, unit.text if unit else ""))
        return ranked(out, by)

