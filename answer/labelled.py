"""A question that names a unit by its number — "第十九条规定了什么？", "第三章第二节（三）讲什么" — is answered from
that unit: the document numbers it so, and the reader cites it so. Taken only when the number names exactly one
unit of the documents in scope (a 第十九条 in one regulation); otherwise the ordinary routes answer.
"""
from __future__ import annotations

import re

from answer.compose import unit_label
from answer.intents import ARTICLE, ARTICLE_OTHER, ASKS_ARTICLE_CONTENT
from answer.types import Answer
from knowledge.numerals import cn_to_int

_CN = "一二三四五六七八九十百零〇两"
_SENTENCES = re.compile(r"[^。；！？]+[。；！？]?")
# The question's cues (a unit named by number; asking what it says, not the penalty for breaking it) are rows
# of the intent table.
_ARTICLE, _ASKS_CONTENT, _OTHER = ARTICLE, ASKS_ARTICLE_CONTENT, ARTICLE_OTHER
MAX_CHARS = 300  # the unit's opening, quoted whole; the sources panel shows the rest


def named_article(question: str) -> int | None:
    m = _ARTICLE.search(question or "")
    if not m:
        return None
    try:
        return cn_to_int(m.group(1))
    except ValueError:
        return None


def answer_labelled(question: str, scope: list[str] | None, catalog, cite) -> Answer | None:
    """`cite(doc, unit, quote, score)` makes a checked Citation."""
    no = named_article(question)
    if no is None or not _ASKS_CONTENT.search(question) or _OTHER.search(question):
        return None
    docs = [catalog.documents[d] for d in (scope or catalog.documents) if d in catalog.documents]
    found = [(d, u) for d in docs for u in d.units()
             if u.label and re.search(r"第[一二三四五六七八九十百零〇\d]+条$", u.label)
             and _article_no(u.label) == no]
    if len({d.doc_id for d, _ in found}) != 1:
        return None  # no such article, or several documents have one: let retrieval choose
    doc, unit = found[0]
    quote = ""
    for s in _SENTENCES.findall(unit.text):
        if len(quote) + len(s) > MAX_CHARS and quote:
            break
        quote += s
    quote = quote.strip()
    if not quote or quote not in unit.text:
        return None
    return Answer(question=question, refused=False, route="article",
                  citations=[cite(doc, unit, quote, 1.0)],
                  answer=f"《{doc.title}》{unit_label(doc, unit)}：{quote}[1]")


def _article_no(label: str) -> int | None:
    m = re.search(rf"第([{_CN}\d]+)条$", label)
    try:
        return cn_to_int(m.group(1)) if m else None
    except ValueError:
        return None
