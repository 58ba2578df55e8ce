"""Which papers an application hands in, asked of the documents in scope (申报登记…要准备哪些材料, 需要提交哪些材料,
要交什么材料): answered from the statements of papers the document makes (knowledge.support_materials: a lead and
its list, a unit under a heading of papers, a sentence naming the papers handed in) — a support item's `materials`
field where the document has items, the same statements read from its units where it has none (a registration
rule, a filing notice: 155, 162, 175, 375, 406). The ordinary routes quoted the nearest sentence, often an article
near the list rather than it (162: 第九条 for 第十条's 应当提供登记申请表…). Every statement is quoted whole and cited.
"""
from __future__ import annotations

import re

from answer.support_common import INTENTS, MIN_FIT, NEAR, pairs, spoken, topic as _topic, unit_with
from answer.types import Answer
from knowledge.support_materials import of_units

# Words that ask for papers, no topic of the question (材料, 提交, 准备 …) besides answer.support_common's.
_ASKING = re.compile(r"材料|资料|证明文件|提交|提供|准备|报送|递交|上传|要交|需交|交什么|交哪些|有哪些|什么|哪些|需要|还需|还要")
# Statements of one document listed at most (a notice's list of papers cut into one unit per paper: 309 五、), and
# statements nearly as good as the best listed beside it.
MAX_LINES = 12
MAX_NEAR = 3


def statements_of(doc) -> list[tuple[object, str, bool]]:
    """(unit, statement, is a list) of `doc`'s papers: its items' materials field where it has items (the field
    holds the document's lists and their own units' sentences), else read from its units."""
    read = of_units(doc.units())
    if not doc.support_items:
        return read
    listed = {s for _, s, is_list in read if is_list}
    seen, out = set(), []
    for it in doc.support_items:
        for f in it.materials:
            unit = unit_with(doc, f.sentence, None if f.document_wide else it.seq)
            if unit is not None and f.sentence not in seen:
                seen.add(f.sentence)
                out.append((unit, f.sentence, f.sentence in listed))
    return sorted(out, key=lambda x: (x[0].seq, x[0].text.find(x[1]))) or read


def answer_materials(question: str, docs: list, cite) -> Answer | None:
    """From the first of `docs` (most probable first) with a statement of papers that carries MIN_FIT of the
    question's topic (in the statement, its unit's headings and the document's title): the best statement, a list
    before a sentence at equal fit, and the statements within NEAR of it — all of one heading when the best is one
    paper of a list cut into units. Only when the papers alone are asked (向谁申请验收，要交什么材料 asks an office
    too: the ordinary routes answer both)."""
    if any(name != "materials" and pattern.search(question) for name, pattern in INTENTS):
        return None
    topic = _topic(_ASKING.sub(" ", question), [])
    for doc in docs:
        scored = []
        for unit, s, listed in statements_of(doc):
            path = " ".join(getattr(unit, "path", None) or ())
            context = pairs(s) | pairs(path) | pairs(doc.title)
            fit = len(topic & context) / len(topic) if topic else 1.0
            scored.append((fit, listed, unit, s))
        if not scored:
            continue
        best = max(scored, key=lambda x: (x[0], x[1]))
        if best[0] < MIN_FIT:
            continue
        chosen = [x for x in scored if x[0] >= best[0] - NEAR - 1e-9 and (x[1] or not best[1])][:MAX_NEAR]
        if best[1] and best[3] == best[2].text.strip() and best[2].path:
            # a unit under a heading of papers, one paper per unit (309 五、（二）项目实施方案原件；): the heading's list
            chosen = [x for x in scored if x[3] == x[2].text.strip() and x[2].path == best[2].path]
        cites, lines = [], []
        for fit, _, unit, s in chosen[:MAX_LINES]:
            cites.append(cite(doc, unit, s, fit))
            lines.append(f"- {s}[{len(cites)}]")
        where = spoken(doc, chosen[0][2])
        return Answer(question=question, answer=f"根据《{doc.title}》{where}，需提交的材料：\n" + "\n".join(lines),
                      refused=False, citations=cites, route="support")
    return None
