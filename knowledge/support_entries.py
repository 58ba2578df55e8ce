"""Support stated as labelled entries, the shape of the tax authority's 税费优惠政策指引 (329 支持绿色发展税费优惠政策指引,
and the same series for other themes): a numbered title (10.供热企业取得的采暖费收入免征增值税), then 【享受主体】 who may
claim it, 【优惠内容】 what is granted and for which period, 【享受条件】 the conditions, 【政策依据】 the legal basis.
Pure functions on a document's units, no I/O.

The outline cuts such a guide at every numbered line (the conditions 1. 2. 3. and the bases 1. 2. become units of
their own), so an entry is read across units: from one 【享受主体】 to the next. Each field is a list of `Field`s, one
a sentence, each an exact substring of one unit's text (so it can be cited).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.support_clauses import NUMBERING_RE, kind_of
from knowledge.support_fields import money_in, rates_in
from knowledge.support_windows import windows_in
from knowledge.support_items import Field, window_dict
from knowledge.support_labels import unit_label
from knowledge.text import line_sentences

# The labels of an entry (329; the 指引 series of the tax authority words every entry so).
MARK_RE = re.compile(r"【(享受主体|优惠内容|享受条件|政策依据)】")
# Sentences a field may hold: a conditions list runs on over a few units, not past the entry.
MAX_SENTENCES = 24


@dataclass
class Entry:
    title: str  # 10.供热企业取得的采暖费收入免征增值税
    seq: int | None  # the unit of its 【优惠内容】
    applicants: list[Field] = field(default_factory=list)
    content: list[Field] = field(default_factory=list)
    conditions: list[Field] = field(default_factory=list)


def _title_start(text: str, end: int) -> int:
    """Where the title of an entry starts, its 【享受主体】 at `end`: the line the label is on, or the line before
    when the label opens its line."""
    start = text.rfind("\n", 0, end) + 1
    if not text[start:end].strip():
        start = text.rfind("\n", 0, max(0, start - 1)) + 1
    return start


def _fields(pieces: list[str]) -> list[Field]:
    out = []
    for piece in pieces:
        for s in line_sentences(piece):
            s = s.strip()
            if s and len(out) < MAX_SENTENCES:
                out.append(Field(s, s))
    return out


def entries(units) -> list[Entry]:
    """The labelled entries of a document's units (in document order, each with `.text` and `.seq`)."""
    units = list(units)
    marks = [(i, m) for i, u in enumerate(units) for m in MARK_RE.finditer(u.text)]
    out: list[Entry] = []
    for k, (i, m) in enumerate(marks):
        label = m.group(1)
        if label == "享受主体":
            text = units[i].text
            out.append(Entry(text[_title_start(text, m.start()):m.start()].strip(), None))
        if not out or label == "政策依据":
            continue
        # The field runs to the next label, or to the end of the units; before a 【享受主体】, to its title.
        j, n = marks[k + 1] if k + 1 < len(marks) else (len(units) - 1, None)
        end = len(units[j].text) if n is None else (
            _title_start(units[j].text, n.start()) if n.group(1) == "享受主体" else n.start())
        pieces = [units[i].text[m.end():end]] if j == i else (
            [units[i].text[m.end():]] + [u.text for u in units[i + 1:j]] + [units[j].text[:end]])
        fields = _fields(pieces)
        entry = out[-1]
        if label == "享受主体":
            entry.applicants = fields
        elif label == "优惠内容":
            entry.content, entry.seq = fields, getattr(units[i], "seq", None)
        else:
            entry.conditions = fields
    return [e for e in out if e.content]


def entry_of(item, found: list[Entry]) -> Entry | None:
    """The entry whose 优惠内容 the item was read from (same unit, overlapping sentence)."""
    for e in found:
        if e.seq == item.seq and any(f.sentence in item.quote or item.quote in f.sentence for f in e.content):
            return e
    return None


def with_entries(items: list, units, make_item) -> list:
    """Items of a guide written in labelled entries (329 税费优惠政策指引: 【享受主体】【优惠内容】【享受条件】): each item
    read from an entry's 优惠内容 takes the entry's 享受主体 as applicants, its 享受条件 as conditions, the rest of its
    优惠内容 as terms (当年不足抵免的，可以在以后5个纳税年度结转抵免) and the period it states as its window (自2021年1月1日至
    2022年12月31日); an entry no item was read from (免征增值税: no figure) is an item of its own, made by
    `make_item(sentence, kind)` from its first figured 优惠内容 sentence, else its first."""
    found = entries(units)
    if not found:
        return items
    # A guide lists its entries' titles before them (329: 一、（一）1.… 3.从事污染防治的第三方企业减按15%的税率征收企业所得税
    # …, in its overview and again in its annex's), and the outline may give a title a sentence of its own: a title
    # is no item, its entry is (one is made below for an entry no item was read from).
    titles = {_bare(e.title) for e in found}
    items = [it for it in items if _bare(it.quote) not in titles]
    covered: dict[int, object] = {}  # id(entry) → its item
    kept = []
    for it in items:
        e = entry_of(it, found)
        if e is None:
            kept.append(it)
        elif id(e) in covered:
            # An entry is one relief, numbered once by the guide; a second figure in its 优惠内容 is a tier of it
            # (329 26.: 低于标准百分之三十的，减按百分之七十五征收; 低于标准百分之五十的，减按百分之五十征收).
            _add_tier(covered[id(e)], it)
        else:
            covered[id(e)] = it
            _take_entry(it, e)
            kept.append(it)
    items = kept
    for e in found:
        if id(e) in covered:
            continue
        s = next((f.sentence for f in e.content if money_in(f.sentence) or rates_in(f.sentence)), e.content[0].sentence)
        it = make_item(s, kind_of(e.title) or kind_of(s) or "减免")
        it.seq, it.label = e.seq, _entry_label(units, e)
        _take_entry(it, e)
        items.append(it)
    return sorted(items, key=lambda it: (it.seq if it.seq is not None else -1))


def _bare(sentence: str) -> str:
    return sentence.strip().rstrip("。；;")


def _tier_of(it) -> dict | None:
    """An item's figure as a tier named by the clause that states its case (…百分之三十的，减按百分之七十五征收 → the
    clause ending in 的)."""
    fig = it.rate or it.amount or it.cap
    if fig is None:
        return None
    sentence = fig["sentence"]
    at = sentence.find(fig["text"])
    clauses = [c for c in re.split(r"[，,]", sentence[:max(at, 0)]) if c.strip()]
    name = clauses[-1].strip() if clauses and clauses[-1].strip().endswith("的") else ""
    name = name.rsplit("】", 1)[-1]  # after the entry's labels when the case opens its 优惠内容
    t = {"tier": NUMBERING_RE.sub("", name), "sentence": sentence}
    if it.rate is not None:
        t["rate"] = it.rate["text"]
    else:
        key = "amount" if it.amount is not None else "cap"
        t[key], t["wan"] = fig["text"], fig["wan"]
    return t


def _add_tier(first, other) -> None:
    """`other`, read from the same entry as `first`, becomes a tier of it; `first`'s own figure the first tier."""
    t = _tier_of(other)
    if t is None:
        return
    if not first.tiers:
        own = _tier_of(first)
        if own is not None:
            first.tiers = [own]
            first.rate = first.amount = first.cap = None
    first.tiers.append(t)


def _entry_label(units, e) -> str:
    unit = next((u for u in units if getattr(u, "seq", None) == e.seq), None)
    return unit_label(unit) if unit is not None else ""


def _take_entry(it, e: Entry) -> None:
    it.applicants = list(e.applicants) or it.applicants
    # the entry's 享受条件 stand for the clauses read out of its labelled sentence; what the document states once stays
    it.conditions = list(e.conditions) + [c for c in it.conditions if c.document_wide]
    it.terms = [f for f in e.content if f.sentence not in it.quote]
    if it.window is None:
        dated = next(((f.sentence, w[0]) for f in e.content for w in [windows_in(f.sentence)] if w), None)
        if dated:
            it.window = window_dict(dated[1], dated[0])
