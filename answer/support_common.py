"""What the two support answers share — the item answer (answer/support.py) and the conditions answer
(answer/support_conditions.py): the question's topic, the unit that states a sentence, how a unit is spoken, and
the fit thresholds. One home, so neither module imports the other's helpers (support imports support_conditions,
never the reverse).
"""
from __future__ import annotations

import re

from answer.compose import unit_label
from answer.intents import SUPPORT_INTENTS
# Character pairs within runs of Chinese text (no pair across a removed word or punctuation).
from knowledge.text import cjk_pairs as pairs

INTENTS = SUPPORT_INTENTS  # (intent, question pattern), the first that matches wins
# Words of the question that say what is asked, not what about: left out when matching the topic.
_FORM = re.compile(r"补贴|补助|奖励|资助|奖补|扶持|贴息|资金|支持|申报|申请|多少|最高|上限|额度|金额|标准|截止|什么|时候|"
                   r"条件|资格|要求|哪些|企业|我们|能拿|可以|需要|满足|按照|根据|文件|规定|政策|是否|能否|一下|请问")
# Share of the question's topic pairs an item (its sentence, unit and document title) must carry. Chosen on the
# blind dev split's support documents (141 questions, no document filter): accuracy 0.418 without this path, 0.461 /
# 0.475 / 0.482 at 0.25 / 0.34 / 0.5 — lower values answer more support questions but refuse fewer unanswerable ones.
MIN_FIT = 0.5
# How far below the best an item (a condition group) of the same document may be to be listed with it. Chosen on
# the blind dev split's support questions: see docs/support.md.
NEAR = 0.05


def spoken(doc, unit) -> str:
    return unit_label(doc, unit)


# The words that ask where or when (Chinese question words: 哪个时间段, 在哪里, 最晚, 最迟) are no topic of a where- or
# when-question: left out with the intent's own cue (asked_topic).
_WHERE_WHEN = re.compile(r"在?哪(?:个|一个|些|里|儿)?|最晚|最迟|时间段?")


def asked_topic(question: str, intent: str) -> set[str]:
    """The topic of a question asking `intent`: for where (office) and when (window), without the words asking it
    (b14 395 申请表要在哪个时间段交给…: 哪个, 时间段 are in no window's sentence)."""
    if intent in ("office", "window"):
        for name, pattern in INTENTS:
            if name == intent:
                question = pattern.sub(" ", question)
        question = _WHERE_WHEN.sub(" ", question)
    return topic(question, [])


def topic(question: str, titles: list[str]) -> set[str]:
    """The pairs of what the question is about: without the words of asking and the titles given."""
    q = _FORM.sub(" ", question)
    for title in titles:  # naming the policy is not its topic
        q = q.replace(title, " ")
    return pairs(q)


def unit_with(doc, sentence: str, seq: int | None = None):
    """The unit that states `sentence`: the item's own unit (its seq) when it does, else the first that does."""
    unit = doc.measure(seq) if seq is not None else None
    if unit is not None and sentence and sentence in unit.text:
        return unit
    return next((u for u in doc.units() if sentence and sentence in u.text), None)
