"""Who may apply, on what conditions — "需要满足什么条件", "申报条件是什么", "哪些企业可以申请", "申报主体" — answered from
the applicants and conditions of the support items of the documents in scope, each sentence quoted with its citation,
grouped by where the document states them (a notice's 申报条件 section, or the item's own clause), instead of from the
one best item (answer/support.py).

A notice states its conditions once, in a section (knowledge.support_facts.document_facts links them to every item as
`document_wide` fields, each with the label of the unit it was read in); one group per such unit. An item's own
conditions (对…的企业, 给予…) are a group of their own. The groups answer:
- when the question names something narrower than the policy (重大科技成果转化项目 of a guide with five kinds of
  project), the groups whose headings and sentences carry it;
- otherwise the policy's own conditions: its document-wide groups, else its items' groups.
Returns None when no group fits the question, so the ordinary support answer (answer.support) takes it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from answer.support_common import INTENTS, MIN_FIT, NEAR, pairs as _pairs, spoken, topic as _topic, unit_with as _unit_with
from answer.types import Answer, Citation
from knowledge.support import numbering_marker, numbering_paths
from knowledge.support_facts import document_facts
from knowledge.support_clauses import CALL_COND_SECTION_RE, sentences
from knowledge.support_items import states_figure

# The question asks who may apply or the conditions as a whole, not one condition (对注册时间有什么要求 is answered by
# the one best item). Cues: issue #12 ("需要满足什么条件"), SPEC ("eligible applicants and conditions") and the section
# headings notices state them under (knowledge.support_clauses.COND_SECTION_RE: 申报条件, 申报主体, 支持对象 …).
# Which kind of applicant may apply (哪些企业可以, 什么样的单位能; and the places calls that grant no money are for: 373
# 哪些城市可以申报, 139 园区, 487 试点县): the kind is the `who` group.
WHO_MAY_APPLY = re.compile(r"(?:哪些|什么样?的?|哪类|哪种)(?P<who>企业|单位|机构|主体|项目|城市|园区|地区|县)(?:可以|能|才能|可)")
ASKS_WHO_MAY_APPLY = re.compile(
    r"(?:满足|符合|具备|具有|达到)(?:什么|哪些|哪几个?|何种)样?的?条件|什么条件|哪些条件|申报条件|申请条件|基本条件|"
    rf"{WHO_MAY_APPLY.pattern}|谁可以|谁能|"
    r"申报主体|申请主体|申报对象|申请对象|支持对象|扶持对象|补助对象|奖励对象|"
    # … and who may take part in a call that grants no money (the headings of CALL_COND_SECTION_RE: 139 试点对象, 282
    # 征集对象).
    r"试点对象|示范对象|征集对象|"
    # … and whether the asker may apply at all (还能申请…吗, 能不能申报): answered by the conditions they must meet (issue
    # #12 "我们公司能申请吗"); whether a relief may be claimed (能享受吗) is answered by the item, with what it grants.
    r"(?:能不能|可不可以|是否(?:可以|能)?|能否)(?:申请|申报)|(?:还|可以|能)能?(?:申请|申报)(?=[^？?。]{0,30}吗)")
# Groups listed at most, and sentences of a group at most (in the document's order).
MAX_GROUPS = 4
MAX_SENTENCES = 8


@dataclass
class _Group:
    doc: object
    unit: object
    label: str
    wide: bool  # stated once for the document (a 申报条件 section), not in the item's own clause
    sentences: list[str] = field(default_factory=list)


def asks_who_may_apply(question: str) -> bool:
    return bool(ASKS_WHO_MAY_APPLY.search(question or ""))


def _groups(items: list) -> list[_Group]:
    groups: dict[tuple, _Group] = {}
    for doc, item in items:
        for f in (*item.applicants, *item.conditions):
            key = (doc.doc_id, "wide", f.label) if f.document_wide else (doc.doc_id, "item", item.label, item.seq)
            unit = _unit_with(doc, f.sentence, None if f.document_wide else item.seq)
            if unit is None:
                continue
            g = groups.get(key)
            if g is None:
                g = groups[key] = _Group(doc, unit, f.label if f.document_wide else item.label, f.document_wide)
            if f.sentence not in g.sentences and f.sentence in g.unit.text:
                g.sentences.append(f.sentence)
    out = [g for g in groups.values() if g.sentences]
    for g in out:
        g.sentences.sort(key=g.unit.text.find)
    return out


def call_groups(docs) -> list[_Group]:
    """The groups of documents that state no support item: a call that grants no money (a pilot, a demonstration, a
    征集) states who may take part all the same (139 试点对象, 373 第六条 …应当同时满足以下条件：). One group per unit,
    read as knowledge.support_facts.document_facts reads a notice's conditions, under the headings of such calls."""
    groups: dict[tuple, _Group] = {}
    for doc in docs:
        if any(states_figure(it) for it in getattr(doc, "support_items", None) or ()):
            continue
        facts = document_facts(doc.units(), {s.no: s.title for s in doc.sections}, CALL_COND_SECTION_RE, leads=True)
        for f in (*facts["applicants"], *facts["conditions"]):
            unit = _unit_with(doc, f.sentence)
            if unit is None:
                continue
            g = groups.setdefault((doc.doc_id, unit.seq), _Group(doc, unit, f.label, True))
            if f.sentence not in g.sentences:
                g.sentences.append(f.sentence)
    out = [g for g in groups.values() if g.sentences]
    for g in out:
        g.sentences.sort(key=g.unit.text.find)
    return out


def _context(g: _Group) -> set[str]:
    """The pairs of what a group is about: the headings its unit sits under, its title and its sentences."""
    return _pairs(" ".join([*(getattr(g.unit, "path", None) or []), g.unit.title or "", *g.sentences]))


def _sub_item(g: _Group, extra, by_title: float) -> list[str]:
    """The group's sentences under the numbered heading of its unit that names what is asked ((一)产业链关键环节提升项目
    and its 1. 2. 3. of a unit that lists the conditions of each kind of project), all when no heading names it."""
    sents = sentences(g.unit.text)
    paths = numbering_paths(sents)
    heads = [(extra(s), i) for i, s in enumerate(sents) if _heading(s)]
    best, at = max(heads, default=(0.0, None))
    if at is None or best <= by_title:  # no heading names more of the question than the policy's title
        return g.sentences
    scope = paths[at]
    under = {s.strip() for s, p in zip(sents, paths) if p[:len(scope)] == scope}
    return [s for s in g.sentences if s.strip() in under] or g.sentences


def _heading(sentence: str) -> bool:
    """A numbered heading naming a kind of project ((一)产业链关键环节提升项目。): short, no figure, not a lead to a list
    (1.对同时符合下列条件的纯生物柴油免征消费税： is followed by its conditions numbered one level up, （一）（二）)."""
    mark = numbering_marker(sentence)
    if mark is None:
        return False
    rest = sentence.strip()[len(mark[1]):].strip()
    return 0 < len(rest) <= MAX_HEADING + 4 and not re.search(r"\d|[：:]$", rest)


def _where(g: _Group) -> str:
    """The unit as the document numbers it, with its title when that is a heading (一、支持对象), not when it is the
    start of the first condition (（一）申报单位是在云南省注册…)."""
    unit = g.unit if len(g.unit.title or "") <= MAX_HEADING else replace(g.unit, title="")
    return spoken(g.doc, unit)


# A unit title longer than this is the start of its text, not a heading.
MAX_HEADING = 16


def answer_conditions(question: str, items: list, cite) -> Answer | None:
    """`items`: (document, SupportItem) of the documents in scope — one document's when the question's scope holds
    several (answer.support answers them one at a time, the most probable first); over the whole library, the
    document of the group that fits best answers. `cite(doc, unit, quote, score)` makes a checked Citation."""
    if not _asks_conditions_only(question):
        return None
    return answer_groups(question, _groups(items), cite)


def answer_call_conditions(question: str, docs: list, cite) -> Answer | None:
    """Who may take part in a call that grants no money (call_groups), from the first of `docs` (most probable
    first) whose groups answer; None when the question asks something else or no group fits."""
    if not _asks_conditions_only(question):
        return None
    who = WHO_MAY_APPLY.search(question)
    for doc in docs:
        groups = call_groups([doc])
        if who:  # the kind of applicant asked (哪些城市可以申报) is named where the conditions are stated; a list
            # of a project's conditions (175 第十条 项目应当同时满足以下要求：) does not say which enterprises may apply
            groups = [g for g in groups if who.group("who") in " ".join([g.unit.title or "", g.unit.text])]
        ans = answer_groups(question, groups, cite)
        if ans is not None:
            return ans
    return None


def _asks_conditions_only(question: str) -> bool:
    """Who may apply or the conditions as a whole, and no figure or window besides (the ordinary support answer
    reads both fields)."""
    return asks_who_may_apply(question) and not any(
        name != "conditions" and pattern.search(question) for name, pattern in INTENTS)


def answer_groups(question: str, groups: list[_Group], cite) -> Answer | None:
    """The answer from condition groups (answer_conditions; call_groups for documents without items)."""
    if not groups:
        return None
    topic = _topic(ASKS_WHO_MAY_APPLY.sub(" ", question), [])
    titles: dict[str, set[str]] = {}
    for g in groups:
        titles.setdefault(g.doc.doc_id, _pairs(g.doc.title))

    def share(pairs: set[str]) -> float:
        return len(topic & pairs) / len(topic) if topic else 0.0

    fits = [(share(_context(g) | titles[g.doc.doc_id]), g) for g in groups]  # (fit, group)
    if topic:
        best = max(s for s, _ in fits)
        if best < MIN_FIT:
            return None  # no group is about what is asked
        top_doc = next(g.doc.doc_id for s, g in fits if s == best)  # the first in the listing's order
    elif len(titles) == 1:
        top_doc = next(iter(titles))
    else:
        return None
    # A group names something narrower than the policy when it carries more of the question beyond the policy's
    # title than the title carries (深圳产业链关键环节提升项目 names a kind of project of the 深圳 guide; 深圳绿色低碳
    # 产业扶持计划 names the guide, and its 深圳 in a condition is no narrower thing).
    by_title = share(titles[top_doc])
    # (fit, fit beyond the title, group) of the top document's groups
    scored = [(s, share(_context(g) - titles[top_doc]), g) for s, g in fits if g.doc.doc_id == top_doc]
    narrowest = max(extra for _, extra, _ in scored)
    narrow = narrowest > by_title
    if narrow:
        chosen = [g for s, extra, g in sorted(scored, key=lambda x: -x[1]) if extra >= narrowest - NEAR - 1e-9]
        if not any(g.wide for g in chosen):  # an item's own clause (对…绿色工厂): the policy's conditions hold too
            chosen += [g for _, _, g in scored if g.wide]
    else:  # the policy as a whole: the conditions it states once, else each item's own
        chosen = [g for _, _, g in scored if g.wide] or [g for _, _, g in scored]
    chosen = chosen[:MAX_GROUPS]
    if narrow:
        for g in chosen:
            g.sentences = _sub_item(g, lambda s: share(_pairs(s) - titles[g.doc.doc_id]), by_title)
    cites: list[Citation] = []
    lines: list[str] = []
    for g in chosen:
        refs = []
        for s in g.sentences[:MAX_SENTENCES]:
            n = next((i for i, c in enumerate(cites, 1) if c.quote == s and c.doc_id == g.doc.doc_id), None)
            if n is None:
                cites.append(cite(g.doc, g.unit, s, 1.0))
                n = len(cites)
            refs.append(f"- {s.strip()}[{n}]")
        lines.append(f"《{g.doc.title}》{_where(g)}的申报条件：\n" + "\n".join(refs))
    if not lines:
        return None
    return Answer(question=question, answer="\n".join(lines), refused=False, citations=cites, route="support")
