"""One indicator across documents, in the chat: "各地非化石能源消费比重目标是多少？" is answered from the same table
as `targets --compare` (knowledge/indicators.py over the knowledge store), one line per document, each cited.

Taken only when the question asks across places or documents (各地, 各省, 各城市, 各文件, 不同城市 …), names no
document, and names an indicator the normaliser knows; otherwise the ordinary routes answer. Every figure in
the answer is in its citation's quote: the target's sentence, extended back to the year that governs it when
the sentence itself does not say the year (到2025年，…。非化石能源消费比重达到20%。).
"""
from __future__ import annotations

import re

from answer.intents import ACROSS
from answer.types import Answer, Citation
from knowledge.indicators import NAMES, normalise, year_context

MAX_DOCS = 12  # lines in one answer; the 对比 tab and `targets --compare` show all


def indicator_asked(question: str) -> str | None:
    """The canonical indicator a cross-document question asks about, or None."""
    if not ACROSS.search(question or ""):
        return None
    found = normalise(question)
    if found:
        return found
    return next((n for n in NAMES if n in question), None)


def _quantity(row: dict) -> str:
    comparator = row["comparator"] or ""
    if "…" in comparator:
        before, _, after = comparator.partition("…")
        return f"{before}{row['value']}{row['unit']}{after}"
    if comparator in ("以上", "左右", "以下", "以内", "及以上"):
        return f"{row['value']}{row['unit']}{comparator}"
    return f"{comparator}{row['value']}{row['unit']}"


def answer_across(question: str, name: str, rows: list[dict], catalog) -> Answer | None:
    """One line per document (its targets by year), each figure cited; None when fewer than two documents of
    the catalogue set the indicator (the ordinary routes then answer)."""
    by_doc: dict[str, list[dict]] = {}
    for r in rows:
        if r["doc_id"] in catalog.documents:
            by_doc.setdefault(r["doc_id"], []).append(r)
    if len(by_doc) < 2:
        return None
    citations: list[Citation] = []
    lines = []
    for doc_id in list(by_doc)[:MAX_DOCS]:
        doc = catalog.documents[doc_id]
        parts = []
        for r in by_doc[doc_id]:
            unit = next((u for u in doc.units() if r["quote"] in u.text), None)
            if unit is None:
                continue
            quote = year_context(unit.text, r["quote"], r["year"])
            section = doc.section(unit.section_no)
            citations.append(Citation(doc_id=doc_id, doc_title=doc.title, section=section.title if section else "",
                                      measure_no=unit.no, measure_title=unit.title, quote=quote, page=unit.page,
                                      score=1.0, seq=unit.seq, unit_text=unit.text))
            when = f"{r['year']}年" if r["year"] and str(r["year"]) in quote else ""
            parts.append(f"{when}{_quantity(r)}[{len(citations)}]")
        if parts:
            lines.append(f"- 《{doc.title}》{rows_label(by_doc[doc_id])}：{'；'.join(parts)}")
    if len(lines) < 2:
        return None
    more = len(by_doc) - MAX_DOCS
    text = f"库中{len(by_doc)}份文件设定了{name}目标：\n" + "\n".join(lines)
    if more > 0:
        text += f"\n另有{more}份文件，见“对比”页或 python app.py targets --compare {name}。"
    return Answer(question=question, answer=text, refused=False, citations=citations, route="indicator_compare")


def rows_label(rows: list[dict]) -> str:
    # A label with digits (3. items) would put a figure in the answer that no quote carries.
    labels = list(dict.fromkeys(r["label"] for r in rows if r["label"] and not re.search(r"\d", r["label"])))
    # 二、 reads as a list separator inside a sentence: call it 第二部分.
    labels = [f"第{x[:-1]}部分" if re.fullmatch(r"[一二三四五六七八九十]+、", x) else x for x in labels]
    return "、".join(labels[:3])


__all__ = ["indicator_asked", "answer_across"]
