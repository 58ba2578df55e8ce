"""The fields a support question asks of an item, one small class per kind behind one interface (SupportField):
how much (amount), by when (window), on what conditions (conditions), where the papers go and which office
handles them (office), which papers to hand in (materials). Each says whether an item carries the field, which sentences state it (the topic fit of
answer.support reads them) and writes the answer line, every sentence cited with `add(sentence)` → its citation
number. answer.support chooses the items; FIELDS names the class of each kind (the kinds of answer.intents'
SUPPORT_INTENTS).
"""
from __future__ import annotations

import math
import re
from typing import Callable, Protocol

from answer.support_common import pairs as _pairs
from knowledge.support_clauses import APPLY_RE, CALL_PAPERS_RE, HAND_IN, OFFICE_SENT_RE
from knowledge.support_items import states_figure

Add = Callable[[str], "int | None"]


class SupportField(Protocol):
    """One field of a support item a question asks (issue 12: "Chat uses the same fields")."""
    kind: str

    def carries(self, item) -> bool: ...

    def sentences(self, item) -> list[str]: ...

    def line(self, item, where: str, asked: set[str], add: Add) -> str | None: ...


def amount_sentences(item) -> list[str]:
    """The sentences an item's figures are read from (its sum, rate, cap and tiers), else its own sentence."""
    found = [f["sentence"] for f in (item.amount, item.rate, item.cap) if f] + [t["sentence"] for t in item.tiers]
    return found or [item.quote]


class AmountField:
    kind = "amount"

    def carries(self, item) -> bool:
        return states_figure(item)

    def sentences(self, item) -> list[str]:
        return []  # the item's own sentence and unit are its context already

    def line(self, item, where: str, asked: set[str], add: Add) -> str | None:
        sentences = list(dict.fromkeys(amount_sentences(item) + [f.sentence for f in item.terms]))
        refs = [(s, add(s)) for s in sentences]
        return f"{where}：" + "".join(f"{s}[{n}]" for s, n in refs if n)


class WindowField:
    kind = "window"

    def carries(self, item) -> bool:
        return bool(item.window and item.window.get("sentence"))

    def sentences(self, item) -> list[str]:
        return [item.window["sentence"]] if self.carries(item) else []

    def line(self, item, where: str, asked: set[str], add: Add) -> str | None:
        w = item.window or {}
        n = add(w["sentence"]) if w.get("sentence") else None
        if not n:
            return None
        # a window to apply in, or the period a relief runs (329: 自2021年1月1日至2022年12月31日…免征)
        what = "申报时间" if APPLY_RE.search(w["sentence"]) else "执行期限"
        return f"{where}的{what}：{w['sentence']}[{n}]"


# Where a call's papers go when the sentence names its issuer's own office rather than an organ (229: 于2022年2月16日
# 前报送我厅（节能与综合利用处）): the extraction leaves 我厅 out of the office field (knowledge.support_clauses.
# OFFICE_SENT_RE reads organs' names only), but the sentence answers "报送到哪个处室" all the same.
_SENT_TO_OWN = re.compile(rf"(?:{HAND_IN}|报)(?:至|到|给)?我(?:厅|局|委|办|部|中心)")


# … in a sentence of applying (申报, 申请, 推荐, their papers), not a dated report duty (每月5日前…报送我厅, APPLY_RE's 报送).
_APPLYING = re.compile(rf"申报|申请|推荐|{CALL_PAPERS_RE.pattern}")


def office_sentence(item) -> str | None:
    """The sentence that says where an item's papers go or who handles them: its office field's, else its call's
    deadline sentence when that names where the papers are sent (报送安徽省发展改革委, 报送我厅（…处）)."""
    if item.office is not None and item.office.sentence:
        return item.office.sentence
    s = (item.window or {}).get("sentence") or ""
    if s and (OFFICE_SENT_RE.search(s) or _SENT_TO_OWN.search(s)) and (_APPLYING.search(s) or item.shape == "call"):
        return s
    return None


class OfficeField:
    """Where to apply, which office handles it (issue 12's "where to apply and which office handles it")."""
    kind = "office"

    def carries(self, item) -> bool:
        return office_sentence(item) is not None

    def sentences(self, item) -> list[str]:
        s = office_sentence(item)
        return [s] if s else []

    def line(self, item, where: str, asked: set[str], add: Add) -> str | None:
        s = office_sentence(item)
        n = add(s) if s else None
        if not n:
            return None
        name = item.office.text if item.office is not None and item.office.sentence == s else ""
        return f"{where}的受理（报送）部门：{name + '。' if name else ''}{s}[{n}]"


# Conditions listed for an item at most; when it has more, those that share most of the question's words.
MAX_CONDITIONS = 6


class ConditionsField:
    kind = "conditions"

    def carries(self, item) -> bool:
        return bool(item.applicants or item.conditions)

    def sentences(self, item) -> list[str]:
        return [f.sentence for f in (*item.applicants, *item.conditions) if not f.document_wide]

    def line(self, item, where: str, asked: set[str], add: Add) -> str | None:
        conds = conditions_asked(list(dict.fromkeys(f.sentence for f in (*item.applicants, *item.conditions))), asked)
        refs = [(s, n) for s in conds for n in [add(s)] if n]
        return f"{where}的申报条件：\n" + "\n".join(f"- {s}[{n}]" for s, n in refs) if refs else None


def conditions_asked(conds: list[str], asked: set[str]) -> list[str]:
    """At most MAX_CONDITIONS of an item's conditions, in the document's order: all when they are few, else those
    sharing most of the question's pairs (a lead that ends in ： and the line after it go together: …不得发生下列情形：
    ①…)."""
    if len(conds) <= MAX_CONDITIONS or not asked:
        return conds[:MAX_CONDITIONS]
    # Each shared pair weighs by how few of the item's conditions have it (inverse document frequency over its
    # conditions): the words of the item itself (资源综合利用, 即征即退) are in many of them and tell none apart, the
    # case asked (前几个月…罚了) names the one condition about it (前6个月…不得发生下列情形).
    sets = [_pairs(c) for c in conds]
    idf = {p: math.log((len(sets) + 1) / (sum(p in s for s in sets) + 0.5)) for p in asked}
    order = sorted(range(len(conds)), key=lambda i: -sum(idf[p] for p in asked & sets[i]))
    keep: set[int] = set()
    for i in order:
        if len(keep) >= MAX_CONDITIONS:
            break
        keep.add(i)
        if conds[i].rstrip().endswith(("：", ":")) and i + 1 < len(conds):
            keep.add(i + 1)
        if i and conds[i - 1].rstrip().endswith(("：", ":")):
            keep.add(i - 1)
    return [conds[i] for i in sorted(keep)]


class MaterialsField:
    """Which papers an application hands in (申报材料如下：…, 应当提供登记申请表…): the item's statements of papers
    (knowledge.support_materials), its own unit's first; at most MAX_MATERIALS."""
    kind = "materials"

    def carries(self, item) -> bool:
        return bool(item.materials)

    def sentences(self, item) -> list[str]:
        return [f.sentence for f in item.materials[:MAX_MATERIALS]]

    def line(self, item, where: str, asked: set[str], add: Add) -> str | None:
        refs = [(s, n) for s in self.sentences(item) for n in [add(s)] if n]
        return f"{where}的申报材料：\n" + "\n".join(f"- {s}[{n}]" for s, n in refs) if refs else None


MAX_MATERIALS = 3
FIELDS: dict[str, SupportField] = {f.kind: f for f in (AmountField(), WindowField(), ConditionsField(), OfficeField(),
                                                        MaterialsField())}
