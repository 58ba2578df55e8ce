"""A list asked, answered by a sentence that lists nothing (docs/wrong-answers-r19.md).

A question that asks for the members of a list (哪些…, 哪几类, 分为哪几种, 包括什么) is answered by a sentence that
names several of them: a run of items joined by 、 (碳排放权、用能权有偿使用、合同能源管理), a classification with its count
(answer.text.STATES_CLASSES: 试点分为林业增汇试点县和林业碳汇先行基地两大类) or a lead that introduces numbered items
(替代源包括：（一）…；（二）…, answer.text.with_enumeration). When the decision's chosen sentence does none of these (a
notice's closing line 附件：…办法.doc 浙江省林业局2022年6月28日, the definition that opens an article, a procedure
sentence beside the list), the best eligible sentence of the same document that does, and whose words cover the
question no worse, answers instead — one that states a classification or leads items before one that only runs names
with 、. A preference among the sentences the decision weighs, after it has decided to answer: it
never turns an answer into a refusal or a refusal into an answer.

Chinese grammar, not fitted: 哪些 / 哪几 / 分几类 / 包括什么 ask for members; who (哪些部门, answer.intents.WHO_ASKED)
and when (answer.intents.WHEN) are other questions with handlers of their own.
"""
from __future__ import annotations

import re
from typing import Callable

from answer.answerability import FEATURES, Candidate, QuestionView
from answer.intents import ASKS_CLASSES, WHEN, WHO_ASKED
from answer.text import STATES_CLASSES, with_enumeration

# 几个 / 几项 ask a count (能设几个, 申请几项专利: the count handlers' and the figure's questions), not members.
LIST_ASKED = re.compile(r"哪些|哪几|包括什么|有什么(?:类型|种类)")
# Two names of two or more characters joined by 、 — the members of a list written in a sentence; a name may close
# with its bracket or quote (大邑（180万千瓦）、道孚; “盐光互补”、“风光互补”).
_SERIES = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff）)”]、[“（(]?[\u4e00-\u9fff]{2,}")
# A classification or an inclusion by its verb, without a count (生态环境标准分为国家生态环境标准和地方生态环境标准;
# 协议转让…包括挂牌协议交易及大宗协议交易).
_CLASSIFIES = re.compile(r"(?:分为|分成|划分为|包括|包含)[^。；]{2,80}?(?:和|与|及|、)")
_COV_FULL = FEATURES.index("cov_full")


def asks_list(question: str) -> bool:
    """The question asks for the members of a list, not for who or when."""
    if ASKS_CLASSES.search(question):
        return True
    return bool(LIST_ASKED.search(question)) and not WHO_ASKED.search(question) and not WHEN.search(question)


def classifies(sentence: str, unit_text: str) -> bool:
    """The sentence states a classification (with its count, or 分为/包括 A 和 B) or leads numbered items that follow
    it in the unit."""
    if unit_text and with_enumeration(unit_text, sentence) != sentence:
        return True
    return bool(STATES_CLASSES.search(sentence) or _CLASSIFIES.search(sentence))


def enumerates(sentence: str, unit_text: str) -> bool:
    """The sentence names members: a classification or a lead of items (`classifies`), or a run joined by 、."""
    return classifies(sentence, unit_text) or _SERIES.search(sentence) is not None


def states_members(qv: QuestionView, chosen: Candidate, cands: list[Candidate],
                   unit_text: Callable[[Candidate], str], shown: tuple[str, ...] = ()) -> Candidate:
    """`chosen`, or when a list is asked and it names no members (nor, for a handler's quote, any of the handler's
    quotes `shown`), the best eligible candidate of its document that does and covers the question as well: one
    stating a classification or leading items first, a run of 、 (森林、湿地生态系统 in a purpose clause as readily as
    the members asked) only when none does."""
    if not asks_list(qv.question) or enumerates(chosen.sentence, unit_text(chosen)):
        return chosen
    # a handler's quote the decision chose stands for the handler's answer, which may name the members in another quote
    if chosen.structured and any(enumerates(q, "") for q in shown):
        return chosen
    # of the chosen document, and about the question no less (its words in the document title, unit title and
    # sentence: the cov_full feature) — not a list of another topic of the same document
    ranked = [c for c in sorted(cands, key=lambda c: -c.prob) if c is not chosen and c.eligible
              and c.doc_id == chosen.doc_id and c.x[_COV_FULL] >= chosen.x[_COV_FULL]]
    for test in (classifies, enumerates):
        for c in ranked:
            if test(c.sentence, unit_text(c)):
                return c
    return chosen
