"""When a policy was issued, takes effect and expires: from the document's front matter (`meta`: issued,
effective, expires, as the parser read them), each fact quoted from the unit that states it."""
from __future__ import annotations

import re

from answer.types import Answer
from knowledge.text import fold, split_sentences

# What the question asks → the meta field, and the words that mark the stating sentence.
ASKS = (
    ("issued", re.compile(r"印发|发布|出台|发文|签发|成文"), ("印发", "发布", "年")),
    ("effective", re.compile(r"施行|生效|实施|执行|起算|开始"), ("施行", "生效", "实施", "执行")),
    ("expires", re.compile(r"有效期|到期|截止|失效|多久|多长"), ("有效期", "有效", "截止")),
)
_LABEL = {"issued": "印发日期", "effective": "施行", "expires": "有效期"}


def _stating(doc, value: str, marks: tuple[str, ...]):
    """The unit and sentence that state `value` (and one of `marks`): an exact substring to quote."""
    v = fold(value)
    best = None
    for u in doc.units():
        for s in split_sentences(u.text):
            s = s.strip()
            flat = fold(s)
            if v and v in flat:
                score = sum(m in s for m in marks) - len(s) / 1000
                if best is None or score > best[0]:
                    best = (score, u, s)
    return (best[1], best[2]) if best else (None, None)


def meta_dates(answerer, question: str, doc) -> Answer | None:
    if doc is None or not doc.meta:
        return None
    q = fold(question)
    asked = [(k, marks) for k, pat, marks in ASKS if pat.search(q) and doc.meta.get(k)]
    if not asked:
        return None
    parts, cites = [], []
    for key, marks in asked:
        value = doc.meta[key]
        unit, sentence = _stating(doc, value, marks)
        if unit is None:
            continue
        if not any(c.quote == sentence and c.seq == unit.seq for c in cites):
            cites.append(answerer.cite(doc, unit, sentence, 1.0))
        n = next(i for i, c in enumerate(cites, 1) if c.quote == sentence and c.seq == unit.seq)
        if key == "issued":
            parts.append(f"印发于{value}[{n}]")
        elif key == "effective":
            parts.append(f"自{value}起施行[{n}]")
        else:
            parts.append(f"有效期{value}[{n}]" if not re.search(r"\d{4}年\d", value) else f"有效期至{value}[{n}]")
    if not parts:
        return None
    text = f"《{doc.title}》" + "，".join(parts) + "。"
    return Answer(question=question, answer=text, refused=False, citations=cites, exact=True)
