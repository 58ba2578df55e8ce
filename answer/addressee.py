"""Who an act is addressed to, and who holds a named role: "向谁/向哪里申请验收", "应该向哪里申报" are answered by the
sentence where the act is done towards someone (向所在市（州）生态环境局…提出验收申请, 由重点排放单位向属地生态环境分局申报);
"建设主体是谁" by the sentence that says who holds the role (建设主体为开发区（园区）管理委员会); "领导小组由谁当组长" by the
sentence that names the holder of the post (由分管副省长任组长). Chinese grammar: 向 marks the addressee of an act, a role
is named with 为/是 (…主体为…, …单位是…), and a post's holder comes before a verb of holding it (任, 担任, 为). The sentence is looked for in the retrieved
units, the one sharing most with the question; None when no retrieved sentence does it."""
from __future__ import annotations

import re

from answer.compose import ComposerHandler, without_heading_line
from answer.intents import ADDRESSEE_ASKED, HEAD_ASKED, ROLE_ASKED, WHO_HOLDS
from answer.text import overlap, strip_heading
from answer.types import Answer, Query
from knowledge.text import split_sentences

_UNITS = 4  # retrieved units read, best first (as Composer.best_sentences does)


class AddresseeHandler(ComposerHandler):
    kind = WHO_HOLDS

    def run(self, query: Query) -> Answer | None:
        ctx, question = self.ctx, query.question
        pattern = _stating(question)
        if pattern is None:
            return None
        terms = ctx.terms(question)
        best = None
        for rank, h in enumerate(query.hits[:_UNITS]):
            doc = ctx.catalog.documents.get(h.doc_id)
            m = doc.measure(h.seq) if doc else None
            for s in split_sentences(m.text) if m else ():
                s = without_heading_line(s.strip(), m)  # not the unit's own heading line
                if not pattern.search(s):
                    continue
                score = overlap(terms, s) - 0.05 * rank
                if best is None or score > best[0]:
                    best = (score, doc, m, s)
        if best is None or best[0] <= 0:
            return None
        score, doc, m, s = best
        return Answer(question=question, refused=False, citations=[ctx.cite(doc, m, s, score)],
                      answer=f"根据《{doc.title}》{ctx.label(doc, m)}：{strip_heading(s)}[1]")


def _stating(question: str) -> re.Pattern | None:
    """The sentence pattern that answers `question`: 向 … and the asked act's verb (向谁申请 → 向…申请); the asked role
    with 为/是/： after it (建设主体是谁 → 建设主体为…). None when the question asks neither."""
    m = ADDRESSEE_ASKED.search(question)
    if m:
        verb = re.escape(m.group("verb"))
        return re.compile(rf"向[^，。；：]{{2,40}}?{verb}|{verb}(?:至|到|给)[^，。；]{{2,30}}")
    m = ROLE_ASKED.search(question)
    if m:
        return re.compile(rf"{re.escape(m.group('role'))}(?:为|是|：|:)[^，。；]{{2,}}")
    m = HEAD_ASKED.search(question)
    if m:
        post = re.escape(m.group("post") or m.group("post2"))
        # the holder, then a verb of holding the post (由分管副省长任组长, 主要领导同志任组长), or the post, then its holder
        # (组长由…担任, 组长为…); not 副组长 when 组长 is asked
        head = "" if post.startswith("副") else "(?<!副)"
        return re.compile(rf"[\u4e00-\u9fff]{{2,}}(?:任|担任|为|作为|出任){head}{post}|{head}{post}(?:由|为|是|：|:)[^，。；]{{2,}}")
    return None
