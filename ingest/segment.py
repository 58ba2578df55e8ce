"""Units from an outline: which headings become units, their labels and heading paths, and size bounds.

Pure. A unit is the smallest numbered part that carries text, but a numbered part is kept whole while it fits
(an article with its （一）…（五） items is one unit); a part over `LIMIT` characters is split at its numbered
sub-items, then at paragraphs, then at sentence ends — never inside a sentence unless a "sentence" alone is
longer than the limit (text without punctuation), which is cut at a comma or, failing that, at the limit, so no
input makes a unit grow without bound.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.outline import Heading
from knowledge.text import SENTENCE_END

LIMIT = 1500
# Levels that group units rather than being units: 附件, 编/章/节 and, when a deeper list level exists, 一、.
GROUPING = ("annex", "bian", "zhang", "jie")
LIST_LEVELS = ("cn", "pcn", "ar", "par", "circ")


@dataclass
class Span:
    start: int
    end: int
    kind: str  # measure | section_text | preamble | paragraph
    heading: Heading | None = None
    chain: list[str] = field(default_factory=list)  # marks from the outermost heading to this unit
    path: list[str] = field(default_factory=list)  # ancestor headings as written (mark + title)
    part: int = 0  # 1, 2 … when a long unit was split
    label: str = ""


def heading_title(text: str, h: Heading, next_line: bool = True) -> str:
    """A heading's title: its line, up to the first sentence end, at most 60 characters. A mark alone on its
    line (`第一章` / `总则`, `附件1` / `碳排放权登记管理规则（试行）` in 402) takes the next line, unless
    `next_line` is False."""
    span = text[h.body:h.children[0].start if h.children else h.end]
    if next_line:
        span = span.lstrip(" \n：:")
    m = re.search(r"[\n。]", span)
    return (span[: m.start()] if m else span).strip()[:60]


def _grouping(h: Heading, used: tuple[str, ...]) -> bool:
    if h.family in GROUPING:
        return True
    if h.family == "cn":
        return any(f in LIST_LEVELS and f != "cn" for f in used)
    return False


def section_family(used: tuple[str, ...]) -> str | None:
    """The level whose headings are the document's sections (第X章, or 一、 above a deeper list level)."""
    return next((f for f in used if f in ("bian", "zhang", "jie")), None) or \
        ("cn" if "cn" in used and any(f in LIST_LEVELS and f != "cn" for f in used) else None)


def heading_chain(h: Heading | None) -> list[Heading]:
    """The heading and its ancestors, outermost first."""
    out = []
    while h is not None:
        out.append(h)
        h = h.parent
    return out[::-1]


def spans(text: str, heads: list[Heading], used: tuple[str, ...], limit: int = LIMIT) -> list[Span]:
    """Unit spans in document order, covering all text from the first heading on (text before it: preamble)."""
    out: list[Span] = []
    roots = [h for h in heads if h.parent is None]
    if heads and text[: heads[0].start].strip():
        out.extend(split_long(Span(0, heads[0].start, "preamble"), text, limit))

    def visit(h: Heading):
        chain = heading_chain(h)
        marks = [c.mark for c in chain]
        path = [f"{c.mark} {heading_title(text, c)}".strip() for c in chain[:-1]]
        size = h.end - h.start
        if h.children and (_grouping(h, used) or size > limit):
            intro_end = h.children[0].start
            own = text[h.body:intro_end].strip()
            # Text of its own beyond the title on the mark's line (an annex's name on the next line counts: it is
            # the annex's text), or a lead-in sentence (`（7）…不得发生下列情形：` over ①②, 329): a unit, or it
            # would be in no unit's text.
            title = heading_title(text, h, next_line=False)
            if len(own) - len(title) >= 10 or own.endswith(("：", ":")):
                kind = "section_text" if _grouping(h, used) else "measure"
                out.extend(split_long(Span(h.start, intro_end, kind, h, marks, path), text, limit))
            for child in h.children:
                visit(child)
            return
        # A leaf is the smallest numbered part: a measure — except a 一、 section without measures in a document
        # whose measures are （一）, which is that section's own text (总体要求).
        kind = "section_text" if h.family == "cn" and _grouping(h, used) else "measure"
        out.extend(split_long(Span(h.start, h.end, kind, h, marks, path), text, limit))

    for root in roots:
        visit(root)
    return out


def split_long(span: Span, text: str, limit: int = LIMIT) -> list[Span]:
    """Split a span over `limit` characters at paragraphs, then sentence ends, then commas, then hard."""
    if span.end - span.start <= limit:
        return [span]
    pieces = _pieces(text, span.start, span.end, limit)
    out = []
    for i, (s, e) in enumerate(pieces, start=1):
        out.append(Span(s, e, span.kind, span.heading, list(span.chain), list(span.path), part=i))
    return out


def _pieces(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Greedy: each piece ends at the farthest boundary within `limit`; a hard cut where there is none."""
    bounds = _boundaries(text, start, end, limit)
    pieces, cur, i = [], start, 0
    while cur < end:
        best = None
        while i < len(bounds) and bounds[i] - cur <= limit:
            if bounds[i] > cur:
                best = bounds[i]
            i += 1
        cut = best if best is not None else min(cur + limit, end)
        pieces.append((cur, cut))
        cur = cut
        while i < len(bounds) and bounds[i] <= cur:
            i += 1
    return [(s, e) for s, e in pieces if text[s:e].strip()]


def _boundaries(text: str, start: int, end: int, limit: int) -> list[int]:
    """Candidate cut points in (start, end]: paragraph ends first; where paragraphs are too long, sentence ends;
    where sentences are too long, commas."""
    cuts = [start + m.end() for m in re.finditer(r"\n", text[start:end])] + [end]
    cuts = sorted(set(cuts))
    out, prev = [], start
    for c in cuts:
        if c - prev > limit:
            inner = [prev + m.start() for m in SENTENCE_END.finditer(text[prev:c]) if 0 < m.start() < c - prev]
            sub, p2 = [], prev
            for s in inner + [c]:
                if s - p2 > limit:
                    sub += [p2 + m.end() for m in re.finditer(r"[，、,]", text[p2:s])]
                sub.append(s)
                p2 = s
            out.extend(sub)
        else:
            out.append(c)
        prev = c
    return sorted(set(out))


def paragraph_spans(text: str, limit: int = LIMIT) -> list[Span]:
    """Units of a document without numbered structure: its paragraphs, long ones split."""
    out, pos = [], 0
    for para in text.split("\n"):
        if para.strip():
            out.extend(split_long(Span(pos, pos + len(para), "paragraph"), text, limit))
        pos += len(para) + 1
    return out


SUB_ITEMS = ("ar", "par", "circ")  # 1. / （1） / ①: read with the heading they belong to


def assign_labels(units: list[Span]) -> None:
    """Each unit's label: its heading chain, from the nearest heading a reader can find by its number alone.

    Going up from the unit, a level is enough to start the label when its numbers never restart in the
    document (（五） in the primary document, 第十九条 in a regulation) and it is not a sub-item (1. / （1） / ①,
    read with their parent); otherwise its parent is written too: `第三章 第二节 （三）`, `附件 二、（一）2.①`. A
    unit inside an annex names the annex when the document has text outside it."""
    heads = {id(u.heading): u.heading for u in units if u.heading is not None}
    seen: dict[tuple[str, int], int] = {}
    for h in _all_headings(heads.values()):
        seen[(h.family, h.no)] = seen.get((h.family, h.no), 0) + 1
    restarts = {f for (f, _), n in seen.items() if n > 1}
    outside_annex = any(u.heading is None or heading_chain(u.heading)[0].family != "annex" for u in units)
    for u in units:
        if u.heading is None:
            continue
        chain = heading_chain(u.heading)
        i = len(chain) - 1
        while i > 0 and (chain[i].family in restarts or chain[i].family in SUB_ITEMS):
            i -= 1
        marks = [c.mark for c in chain[i:]]
        if chain[0].family == "annex" and i > 0 and outside_annex:
            marks.insert(0, chain[0].mark)
        u.label = " ".join(marks)


def _all_headings(heads) -> list[Heading]:
    """Every heading reachable from these (their ancestors and their subtrees)."""
    roots = {id(heading_chain(h)[0]): heading_chain(h)[0] for h in heads}
    out, stack = [], list(roots.values())
    while stack:
        h = stack.pop()
        out.append(h)
        stack.extend(h.children)
    return out
