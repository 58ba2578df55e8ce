"""Numbered sources for the LLM prompt: the measures the extractive answer cited, then the other retrieved
measures, each with its document/measure/page metadata; plus the structured-facts block (the extractive
answer, its [n] markers renumbered to the sources). Pure functions over the catalog."""
from __future__ import annotations

import re
from dataclasses import dataclass

from answer.compose import unit_label
from answer.guard import MARKER
from answer.types import Answer, Citation, Hit
from knowledge.bureaus import canonical_name
from knowledge.catalog import Catalog
from knowledge.text import fold, split_sentences

MAX_SOURCES = 12  # enough for a bureau's full list of measures; keeps the prompt a few thousand characters


@dataclass(frozen=True)
class Source:
    n: int  # 1-based number shown to the model
    doc_id: str
    doc_title: str
    section: str
    measure_no: int
    label: str  # （五）加快绿色低碳能源供给
    measure_title: str
    page: int
    seq: int
    text: str  # the stored unit text, unchanged (quotes are cut from it)
    score: float
    quotes: tuple[str, ...] = ()  # what the extractive answer quoted from this unit (exact substrings)
    bureaus: tuple[str, ...] = ()  # canonical names: the measure's units and the document-wide implementers
    unit_label: str = ""  # the unit's label as the document numbers it


def build_sources(catalog: Catalog, extractive: Answer, hits: list[Hit],
                  limit: int = MAX_SOURCES) -> tuple[list[Source], dict[int, int]]:
    """Sources in order: extractive citations first (they carry the structured facts), then retrieval hits.
    Returns the sources and the map extractive citation number → source number."""
    order: list[tuple[str, int, float]] = []
    quotes: dict[tuple[str, int], list[str]] = {}
    for c in extractive.citations:
        key = (c.doc_id, c.seq)
        if key not in quotes:
            if len(order) >= limit:
                continue
            order.append((c.doc_id, c.seq, c.score))
            quotes[key] = []
        if c.quote not in quotes[key]:
            quotes[key].append(c.quote)
    for h in hits:
        if len(order) >= limit:
            break
        if (h.doc_id, h.seq) not in quotes:
            order.append((h.doc_id, h.seq, h.score))
            quotes[(h.doc_id, h.seq)] = []

    sources: list[Source] = []
    for doc_id, seq, score in order:
        doc = catalog.documents.get(doc_id)
        m = doc.measure(seq) if doc else None
        if m is None:  # a hit the catalog no longer holds (removed meanwhile): nothing to quote from
            continue
        section = doc.section(m.section_no)
        bureaus = tuple(dict.fromkeys([canonical_name(b.name) for b in m.bureaus]
                                      + [canonical_name(i) for i in doc.implementers]))
        sources.append(Source(n=len(sources) + 1, doc_id=doc_id, doc_title=doc.title,
                              section=section.title if section else "", measure_no=m.no,
                              label=unit_label(doc, m), measure_title=m.title, page=m.page,
                              seq=seq, text=m.text, score=score, quotes=tuple(quotes[(doc_id, seq)]),
                              bureaus=bureaus, unit_label=m.label))
    pos = {(s.doc_id, s.seq): s.n for s in sources}
    keys = {i: (c.doc_id, c.seq) for i, c in enumerate(extractive.citations, 1)}
    cite_map = {i: pos[k] for i, k in keys.items() if k in pos}
    return sources, cite_map


def neutralise(text: str) -> str:
    """Document text cannot open or close a delimiter: angle brackets and quotes become full-width."""
    return (text or "").replace("<", "＜").replace(">", "＞").replace('"', "＂")


_PLAIN_MARKER = re.compile(r"\[(\d+)\]")


def renumber_markers(text: str, mapping: dict[int, int]) -> str:
    """Rewrite [i] (and [i,j], 【i】) as [mapping[i]]…; markers without a mapping are dropped."""
    def sub(m: re.Match) -> str:
        nums = [int(x) for x in re.split(r"\s*[,，、]\s*", m.group(1))]
        return "".join(f"[{mapping[x]}]" for x in nums if x in mapping)
    return MARKER.sub(sub, text)


def shift_markers(text: str, offset: int) -> str:
    """[i] as [i + offset]: an answer's markers after `offset` citations of answers joined before it (answer.several,
    the front-matter fields of answer.extractive)."""
    return _PLAIN_MARKER.sub(lambda m: f"[{int(m.group(1)) + offset}]", text)


def facts_block(extractive: Answer, cite_map: dict[int, int]) -> str:
    return neutralise(renumber_markers(extractive.answer, cite_map)).strip() or "（无）"


def quote_for(source: Source, needles: list[str], context: str) -> str:
    """An exact substring of the unit text that holds every figure the answer cites from it: the span of
    sentences from the first to the last one containing a needle; otherwise the extractive quote, or the
    sentence sharing most characters with the answer's citing sentences."""
    text = source.text
    sentences = split_sentences(text)
    spans, pos = [], 0
    for s in sentences:
        start = text.find(s, pos)
        spans.append((start, start + len(s)))
        pos = start + len(s)
    flat = [fold(text[a:b]) for a, b in spans]
    hit = [i for i, f in enumerate(flat) if any(fold(n) in f for n in needles)]
    if hit:
        lo, hi = spans[hit[0]][0], spans[hit[-1]][1]
        return text[lo:hi].strip()
    if source.quotes:
        return source.quotes[0]
    if not spans:
        return text
    ctx = set(fold(context))
    best = max(range(len(spans)), key=lambda i: len(set(flat[i]) & ctx))
    return text[spans[best][0]: spans[best][1]].strip()


def citation_for(source: Source, quote: str) -> Citation:
    if quote not in source.text:
        raise ValueError(f"quote is not in the unit text of {source.doc_id}:{source.seq}: {quote!r}")
    return Citation(doc_id=source.doc_id, doc_title=source.doc_title, section=source.section,
                    measure_no=source.measure_no, measure_title=source.measure_title, quote=quote,
                    page=source.page, score=source.score, seq=source.seq, unit_text=source.text,
                    label=source.unit_label)

