"""What support a document offers, asked of a document that states no support item (a plan, an opinion, a call
that grants no sum): 近零碳园区试点验收通过有什么好处, 对…工作做得好的央企有什么激励, 有哪些资金支持渠道. The extraction makes
items only of sums, rates and the articles of regulations, so such support (139 对通过验收的评为四川省近零碳排放园区，同时给予
一定形式的奖励; 11 对工作成效突出的企业予以表彰奖励; 139 支持符合条件的项目申报预算内基本建设资金) was never read, and the
ordinary routes answered with a nearby sentence. Answered from the sentences that grant support, by the share of the
question's topic they carry (the fit of answer.support_common), in the documents in scope only.
"""
from __future__ import annotations

import re

from answer.support_common import MIN_FIT, NEAR, pairs, spoken, topic as _topic
from answer.types import Answer
from knowledge.support_clauses import GIVE_SUPPORT_RE, GRANT_RE, sentences

# A sentence that grants support: a grant of a kind (给予…奖励, 予以表彰奖励), 给予…支持, or support to apply for funds
# (139: 支持符合条件的项目申报预算内基本建设资金; common 鼓励…争取…专项资金).
OFFER_RE = re.compile(rf"{GRANT_RE.pattern}|{GIVE_SUPPORT_RE.pattern}|(?:予以|给予)[^，。；]{{0,6}}表彰|"
                      r"(?:支持|鼓励)[^，。；]{0,20}(?:申报|申请|争取)[^，。；]{0,20}(?:资金|补助|补贴)")
# Words of asking, left out of the topic besides answer.support_common's (好处, 激励, 渠道).
_ASKING = re.compile(r"好处|激励|渠道|有什么|有哪些|能得到|可以得到|获得")
MAX_LINES = 3


def offers(doc) -> list[tuple[object, str]]:
    """(unit, sentence) of every sentence of `doc` that grants support, in document order."""
    return [(u, s) for u in doc.units() for s in sentences(u.text)
            if OFFER_RE.search(re.sub(r"《[^》]*》", "", s))]


def answer_offers(question: str, docs: list, cite) -> Answer | None:
    """From the first of `docs` (most probable first) with a granting sentence that carries MIN_FIT of the question's
    topic (in the sentence, or the headings its unit sits under): that sentence and those of its document within
    NEAR of it (at most MAX_LINES)."""
    topic = _topic(_ASKING.sub(" ", question), [])
    if not topic:
        return None
    for doc in docs:
        scored = []
        for unit, s in offers(doc):
            context = pairs(s) | pairs(" ".join(getattr(unit, "path", None) or ()))
            scored.append((len(topic & context) / len(topic), unit, s))
        if not scored:
            continue
        best = max(f for f, _, _ in scored)
        if best < MIN_FIT:
            continue
        chosen = [x for x in scored if x[0] >= best - NEAR - 1e-9][:MAX_LINES]
        cites, lines = [], []
        for fit, unit, s in chosen:
            cites.append(cite(doc, unit, s, fit))
            lines.append(f"《{doc.title}》{spoken(doc, unit)}：{s}[{len(cites)}]")
        return Answer(question=question, answer="\n".join(lines), refused=False, citations=cites, route="support")
    return None
