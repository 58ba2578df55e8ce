"""When a call that grants no sum closes, asked of a document in scope that states no support item (a call for
demonstration enterprises, a pilot, a 征集): 能碳管理示范企业申报什么时候截止 (229: 形成申报汇总表（附件2），于2022年2月16日前
报送我厅). The extraction makes items only of sums, rates and the articles of regulations (a call that funds nothing
has none), so the window such a call states was never asked, and the ordinary routes answered with a nearby date
(229: the monthly report due 每月5日前). Answered from the windows the document states once — its call's, as
`knowledge.support.document_facts` reads them for every notice (under 申报时间-style cues, or the applicant's own
deadline; else its one dated application sentence) — when they carry the question's topic.
"""
from __future__ import annotations

from answer.support_common import INTENTS, MIN_FIT, asked_topic, pairs, spoken, unit_with
from answer.types import Answer
from knowledge.support import document_facts
from knowledge.support_windows import call_windows


def call_windows_of(doc) -> list[dict]:
    """The application windows `doc` states once: its call's (under a cue), else its one dated application
    sentence."""
    facts = document_facts(doc.units(), {s.no: s.title for s in doc.sections})
    return call_windows(facts["calls"]) or ([facts["window"]] if facts["window"] is not None else [])


def answer_call_window(question: str, docs: list, cite) -> Answer | None:
    """From the first of `docs` (most probable first) whose windows carry MIN_FIT of the question's topic (in the
    window's sentence, the headings of its unit and the document's title); only when the window alone is asked."""
    if any(name != "window" and pattern.search(question) for name, pattern in INTENTS):
        return None  # a sum or the conditions asked besides: the window alone would leave them out
    topic = asked_topic(question, "window")
    for doc in docs:
        lines, cites = [], []
        for w in call_windows_of(doc):
            unit = unit_with(doc, w["sentence"])
            if unit is None:
                continue
            context = pairs(w["sentence"]) | pairs(" ".join(getattr(unit, "path", None) or ())) | pairs(doc.title)
            fit = len(topic & context) / len(topic) if topic else 1.0
            if fit < MIN_FIT:
                continue
            cites.append(cite(doc, unit, w["sentence"], fit))
            lines.append(f"《{doc.title}》{spoken(doc, unit)}的申报时间：{w['sentence']}[{len(cites)}]")
        if lines:
            return Answer(question=question, answer="\n".join(lines), refused=False, citations=cites, route="support")
    return None
