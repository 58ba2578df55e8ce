"""The outline of a policy document: which heading markers it uses, how they nest, and where each heading is.

Pure: text in, headings out. Markers recognised (GB/T 9704 and what real policy files do besides):
  附件N · 第X编 · 第X章 · 第X节 · 第X条 · 一、 · （一） · 1．/1、/1. · （1）/(1) · ① · 专栏N
The nesting is not a fixed scheme. 附件 opens a new outline; 编 > 章 > 节 are always in that order and above
the others; the order of the others (条 and the list markers) is taken from the document: the canonical order
and the order in which the markers first appear are both tried, and the one that accepts more headings in
sequence wins. A heading is accepted only in sequence — the next number at its level, or 1 as the first child
of the open heading — which keeps cross-references and enumerations inside sentences out. A marker family
used only inside sentences (never at the start of a paragraph) is not a heading level at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.numerals import cn_to_int

CN = "一二三四五六七八九十百零〇"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Where a heading may stand: the start of a paragraph, or (inline) after the end of a sentence.
_LINE = r"(?:(?<=^)|(?<=\n))"
_INLINE = r"(?<=[。；！？）］\]])"

# family → (pattern, may stand inline). The numeral is group 1.
FAMILIES: dict[str, tuple[str, bool]] = {
    "annex": (rf"附件\s*([0-9{CN}]{{0,3}})\s*[:：]?\s*(?=\n|$)", False),
    "bian": (rf"第([{CN}\d]{{1,3}})编", False),
    "zhang": (rf"第([{CN}\d]{{1,3}})章", True),
    "jie": (rf"第([{CN}\d]{{1,3}})节", True),
    "tiao": (rf"第([{CN}\d]{{1,4}})条(?![件款例])", True),
    "cn": (rf"([{CN}]{{1,3}})[、．.](?![\d])", True),
    "pcn": (rf"（([{CN}]{{1,3}})）", True),
    "ar": (r"(\d{1,2})(?:[．、]|\.(?![\d.]))(?![\d%])", True),
    "par": (r"（(\d{1,2})）", True),
    "circ": (rf"([{CIRCLED}])", True),
    "box": (rf"专栏\s*([\d{CN}]{{1,3}})", False),  # 专栏4 and 专栏四 (473, 125, 427 number boxes in Chinese)
}
# 附件 and 编/章/节 stand above everything else, in this order; the rest are ordered per document.
FIXED = ("annex", "bian", "zhang", "jie")
CANONICAL = ("tiao", "cn", "pcn", "ar", "par", "circ")
# How a marker is written in a label.
_LABEL_FORMS = {"annex": "附件{n}", "bian": "第{c}编", "zhang": "第{c}章", "jie": "第{c}节", "tiao": "第{c}条",
                "cn": "{c}、", "pcn": "（{c}）", "ar": "{n}.", "par": "（{n}）", "circ": "{c}", "box": "专栏{n}"}


@dataclass(frozen=True)
class Candidate:
    family: str
    no: int
    start: int  # offset of the marker
    body: int  # offset just after it
    at_line: bool  # starts a paragraph
    mark: str  # the marker as written


@dataclass
class Heading:
    family: str
    no: int
    start: int
    body: int
    mark: str
    depth: int = 0  # 0 = outermost
    parent: "Heading | None" = None
    children: list["Heading"] = field(default_factory=list)
    end: int = 0  # where its span (with its children) ends

    @property
    def label_part(self) -> str:
        return self.mark


def _numeral(family: str, raw: str) -> int | None:
    if family == "circ":
        return CIRCLED.index(raw) + 1
    if family == "annex" and raw == "":
        return 1
    try:
        return cn_to_int(raw)
    except ValueError:
        return None


def _mark(family: str, no: int, written: str) -> str:
    if family in ("cn", "pcn", "zhang", "jie", "tiao", "bian"):
        inner = re.sub(r"^第|[编章节条、．.（）]$|^（|）$", "", written)
        return _LABEL_FORMS[family].format(c=inner.strip("（）、．."), n=no)
    if family == "circ":
        return written
    if family == "box":
        return "专栏" + re.sub(r"^专栏\s*", "", written)
    if family == "annex":
        return "附件" + (str(no) if re.search(r"[0-9" + CN + "]", written) else "")
    return _LABEL_FORMS[family].format(n=no, c=written)


# A （N） glued to the end of a heading line that has no sentence end (`…转型行动（五）加快绿色低碳能源供给。`):
# taken where a short title sentence follows it.
_GLUED = ("pcn", rf"(?<=[\u4e00-\u9fff])（([{CN}]{{1,3}})）(?=[^。；（）\n]{{2,30}}。)")


LIST_FAMILIES = ("cn", "pcn", "ar", "par", "circ")
# A table row numbered like a heading (`二、占电力总装机比重（%）4.1 10 14.7`): figures in columns, no sentence.
_COLUMNS = re.compile(r"\d(?:\.\d+)?%?\s+[\d\[［〔—\-]")


def _table_row(text: str, pos: int) -> bool:
    end = text.find("\n", pos)
    line = text[pos: end if end >= 0 else len(text)]
    return len(line) < 120 and "。" not in line and bool(_COLUMNS.search(line))


# A category cell of an indicator table numbered like a heading (…指标属性\n（一）生\n态环境质量改善1地级及以上城市…（%）96.7
# 完成省考核目标约束性…): it follows the table's header or a row's attribute column, and rows with their own attribute
# follow it before any sentence ends. (A heading after a table is followed by sentences, not rows.)
_ATTRIBUTE_END = re.compile(r"(?:约束性|预期性|指导性|属性|性质)(?:指标)?\s*$")
_ROWS_FOLLOW = re.compile(r"^[^。；]{0,120}?\d[^。；]{0,40}?(?:约束性|预期性|指导性)")


def _table_category(text: str, start: int, body: int) -> bool:
    return bool(_ATTRIBUTE_END.search(text[max(0, start - 12): start])) and bool(_ROWS_FOLLOW.match(text[body: body + 200]))


def candidates(text: str) -> list[Candidate]:
    """Every place a heading marker stands at a paragraph start or after a sentence end."""
    found: dict[int, Candidate] = {}
    specs = [(f, (f"(?:{_LINE}|{_INLINE})" if inline else _LINE) + pattern) for f, (pattern, inline) in FAMILIES.items()]
    specs.append(_GLUED)
    for family, regex in specs:
        for m in re.finditer(regex, text):
            no = _numeral(family, m.group(1))
            if no is None or no <= 0:
                continue
            if family in LIST_FAMILIES and (_table_row(text, m.end()) or _table_category(text, m.start(), m.end())):
                continue
            at_line = m.start() == 0 or text[m.start() - 1] == "\n"
            if family == "annex" and not at_line:
                continue
            prev = found.get(m.start())
            if prev is None or len(m.group(0)) > prev.body - prev.start:
                found[m.start()] = Candidate(family, no, m.start(), m.end(), at_line,
                                             _mark(family, no, m.group(0)))
    return sorted(found.values(), key=lambda c: c.start)


def _heading_families(cands: list[Candidate]) -> set[str]:
    """Families that stand at the start of a paragraph somewhere (① lists: at least twice); a family seen only
    inside sentences is an enumeration, not a heading level."""
    seen: dict[str, int] = {}
    for c in cands:
        if c.at_line:
            seen[c.family] = seen.get(c.family, 0) + 1
    return {f for f, n in seen.items() if n >= 2 or f != "circ"}


def _order_by_appearance(cands: list[Candidate], families: set[str]) -> tuple[str, ...]:
    first: dict[str, int] = {}
    for c in cands:
        if c.family in families and c.family not in FIXED and c.family != "box" and c.no == 1 and c.at_line:
            first.setdefault(c.family, c.start)
    rest = sorted(first, key=first.get)
    rest += [f for f in CANONICAL if f in families and f not in rest]
    return FIXED + tuple(rest)


def _accept(cands: list[Candidate], order: tuple[str, ...]) -> list[Candidate]:
    """Stack walk: keep a candidate if it is the next number at an open level, or 1 opening a level.

    A 专栏 box (numbered in sequence through the document) holds its own lists: inside it only a heading that
    continues an open level of the main text is accepted, and that heading closes the box."""
    rank = {f: i for i, f in enumerate(order)}
    stack: list[Candidate] = []
    kept: list[Candidate] = []
    last_box = 0
    in_box = False
    last: dict[str, int] = {}  # the last number kept per family: numbering may run on across parents
    for c in cands:
        if c.family == "box":
            if c.at_line and c.no in (last_box + 1, 1):
                kept.append(c)
                last_box, in_box = c.no, True
            continue
        if c.family == "annex":
            prev = next((s for s in stack if s.family == "annex"), None)
            if prev is None or c.no == prev.no + 1 or (c.no == 1 and prev.no == 1 and c.mark == "附件"):
                stack, in_box = [c], False
                kept.append(c)
                last = {}
            continue
        r = rank[c.family]
        pos = next((i for i, s in enumerate(stack) if s.family == c.family), None)
        if pos is not None:
            if c.no == stack[pos].no + 1:
                stack = stack[:pos] + [c]
                kept.append(c)
                last[c.family] = c.no
                in_box = False
            continue
        if in_box or c.no not in (1, last.get(c.family, -1) + 1):
            continue
        if not c.at_line and stack and rank[stack[-1].family] > r:
            continue  # inline markers never close deeper levels
        stack = [s for s in stack if rank[s.family] < r] + [c]
        kept.append(c)
        last[c.family] = c.no
    return kept


def find_outline(text: str) -> tuple[list[Heading], tuple[str, ...]]:
    """Headings in document order, each with its depth and parent; and the levels used, outermost first."""
    cands = candidates(text)
    families = _heading_families(cands)
    cands = [c for c in cands if c.family in families]
    best: list[Candidate] = []
    best_order: tuple[str, ...] = FIXED
    for order in (FIXED + tuple(f for f in CANONICAL if f in families), _order_by_appearance(cands, families)):
        kept = _accept(cands, order)
        if len(kept) > len(best):
            best, best_order = kept, order
    heads = _tree(best, best_order, len(text))
    used = tuple(f for f in best_order + ("box",) if any(h.family == f for h in heads))
    return heads, used


def _tree(accepted: list[Candidate], order: tuple[str, ...], text_len: int) -> list[Heading]:
    """Parent links and spans. A box is a leaf inside the heading open where it stands."""
    rank = {f: i for i, f in enumerate(order)}
    heads: list[Heading] = []
    stack: list[Heading] = []
    for c in accepted:
        h = Heading(c.family, c.no, c.start, c.body, c.mark)
        while stack and stack[-1].family == "box":
            stack.pop()
        if c.family != "box":
            r = rank[c.family]
            while stack and rank[stack[-1].family] >= r:
                stack.pop()
        parent = stack[-1] if stack else None
        h.parent = parent
        h.depth = parent.depth + 1 if parent else 0
        if parent:
            parent.children.append(h)
        stack.append(h)
        heads.append(h)
    for i, h in enumerate(heads):
        h.end = text_len
        for later in heads[i + 1:]:
            if later.depth <= h.depth:
                h.end = later.start
                break
    return heads
