"""Unit views and alignment for the edition diff (knowledge.diff): each unit reduced to its core text (numbering and
responsibility clause removed), compared by character-bigram Dice, matched greedily best-first above THRESHOLD.
The reasons for the scoring and the threshold are in knowledge.diff's docstring."""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.bureaus import find_clause
from knowledge.model import Document, Measure
from knowledge.numerals import int_to_cn
from knowledge.text import pairs

THRESHOLD = 0.35
PART_CONTAINMENT = 0.6  # a split/merged part lies at least this much inside the other edition's unit
PART_GAIN = 0.15  # and adding it covers at least this much more of that unit

_CN = "一二三四五六七八九十百零〇"
_MARK = re.compile(
    rf"^\s*(?:（[{_CN}\d]{{1,4}}）|\([{_CN}\d]{{1,4}}\)|第[{_CN}\d]{{1,5}}[条章节编]|[{_CN}]{{1,3}}、|"
    rf"\d{{1,3}}(?:[．.、](?!\d))|[①-⑳])\s*")


# -- unit views -----------------------------------------------------------------------------------------------
@dataclass
class _View:
    unit: Measure
    label: str
    section: str
    core: str
    title: str
    grams: frozenset
    title_grams: frozenset


def leading_marker(text: str) -> str:
    """The numbering a unit's text starts with (（五）, 第十条, 3., 二、), or ""."""
    m = _MARK.match(text)
    return m.group(0).strip() if m else ""


def clause_text(text: str) -> str:
    """The closing responsibility parenthesis of a unit (（市发改委牵头负责）), or ""."""
    body = _MARK.sub("", text, count=1)
    span = find_clause(body)
    return body[span[0]: span[1]] if span else ""


def core_text(text: str) -> str:
    """The unit text without its numbering and its closing responsibility parenthesis."""
    body = _MARK.sub("", text, count=1)
    span = find_clause(body)
    if span:
        body = body[: span[0]] + body[span[1]:]
    return body.strip().rstrip("。").strip() + ("。" if body.strip().endswith("。") else "")


def _bigrams(text: str) -> frozenset:
    t = re.sub(r"\s+", "", text)
    return frozenset(pairs(t)) or frozenset([t])


def _views(doc: Document) -> list[_View]:
    units = doc.units()
    raw = []
    for u in units:
        label = u.label or leading_marker(u.text) or ("前言" if u.kind == "preamble" else f"第{u.seq}段")
        # The heading above the unit without its numbering (四、实施… → 实施…): renumbered sections are not moves.
        section = _MARK.sub("", u.path[-1]).strip() if u.path else ""
        section = section or (doc.section(u.section_no).title if doc.section(u.section_no) else "")
        raw.append([u, label, section])
    # Numbering that restarts per section: qualify duplicate labels with their section's number.
    seen: dict[str, int] = {}
    for _, label, _ in raw:
        seen[label] = seen.get(label, 0) + 1
    out = []
    for u, label, section in raw:
        if seen[label] > 1 and not u.label and u.section_no:
            label = f"{int_to_cn(u.section_no)}、{label}"
        core = core_text(u.text)
        title = u.title or ""
        out.append(_View(u, label, section, core, title, _bigrams(core), _bigrams(title[:60]) if title else
                         frozenset()))
    return out


def _dice(x: frozenset, y: frozenset) -> float:
    if not x or not y:
        return 0.0
    return 2 * len(x & y) / (len(x) + len(y))


def _contained(part: frozenset, whole: frozenset) -> float:
    return len(part & whole) / len(part) if part else 0.0


def similarity(va: _View, vb: _View) -> float:
    s = 0.8 * _dice(va.grams, vb.grams) + 0.2 * _dice(va.title_grams, vb.title_grams)
    if va.label == vb.label:
        s += 0.01
    return s


# -- alignment --------------------------------------------------------------------------------------------------
def align(va: list[_View], vb: list[_View]) -> tuple[list[tuple[int, int, float]], list[int], list[int]]:
    """Greedy best-first 1:1 matching above THRESHOLD → (pairs (i, j, score), unmatched a, unmatched b)."""
    candidates: list[tuple[float, int, int]] = []
    for i, x in enumerate(va):
        for j, y in enumerate(vb):
            if (x.unit.kind == "preamble") != (y.unit.kind == "preamble"):
                continue
            # Cheap bound first: dice ≤ 2·min/(sum) and the title term ≤ 0.2.
            lx, ly = len(x.grams), len(y.grams)
            if 0.8 * 2 * min(lx, ly) / (lx + ly) + 0.21 < THRESHOLD:
                continue
            s = similarity(x, y)
            if s >= THRESHOLD:
                candidates.append((s, i, j))
    candidates.sort(key=lambda t: (-t[0], abs(t[1] - t[2]), t[1]))
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for s, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, j, s))
    pairs.sort()
    return pairs, [i for i in range(len(va)) if i not in used_a], [j for j in range(len(vb)) if j not in used_b]


def attach_parts(lone: list[int], partner: dict[int, int], part_views: list[_View], whole_views: list[_View],
                 taken=frozenset()) -> dict[int, list[int]]:
    """Splits (or, with the editions' roles swapped, merges): each unmatched unit of one edition (`lone`, indexes
    into `part_views`) that lies inside a matched unit of the other (`partner`: its index in `whole_views` → its
    partner's in `part_views`) and, with the parts it has already, covers clearly more of it (PART_CONTAINMENT,
    PART_GAIN) joins the unit it completes best. Matched units whose partner is in `taken` take no parts. Returns
    {whole index → further part indexes}; the units attached leave `lone`."""
    extra: dict[int, list[int]] = {}
    for x in list(lone):
        best = None
        for w, p0 in partner.items():
            if p0 in taken or _contained(part_views[x].grams, whole_views[w].grams) < PART_CONTAINMENT:
                continue
            parts = [p0] + extra.get(w, [])
            before = _contained(whole_views[w].grams, frozenset().union(*(part_views[k].grams for k in parts)))
            after = _contained(whole_views[w].grams,
                               frozenset().union(part_views[x].grams, *(part_views[k].grams for k in parts)))
            if after - before >= PART_GAIN and (best is None or after - before > best[0]):
                best = (after - before, w)
        if best:
            extra.setdefault(best[1], []).append(x)
            lone.remove(x)
    return extra


def _lis(seq: list[int]) -> set[int]:
    """Indexes (into seq) of one longest strictly increasing subsequence."""
    import bisect

    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(seq)
    for k, v in enumerate(seq):
        pos = bisect.bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
            tails_idx.append(k)
        else:
            tails[pos] = v
            tails_idx[pos] = k
        prev[k] = tails_idx[pos - 1] if pos else -1
    out: set[int] = set()
    k = tails_idx[-1] if tails_idx else -1
    while k != -1:
        out.add(k)
        k = prev[k]
    return out
