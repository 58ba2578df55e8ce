"""Field changes of two aligned units for the edition diff (knowledge.diff): text edit ops over tokens, targets
paired and compared (raised / lowered / added / removed), responsible units and lead, deadline."""
from __future__ import annotations

import difflib
import re

from knowledge.diff_align import _bigrams, _dice, _View, clause_text
from knowledge.diff_types import Change
from knowledge.indicators import normalise, number
from knowledge.model import Bureau, Measure, Target

_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def shortened(ops: list[list[str]], context: int) -> list[tuple[str, str, str]]:
    """Text edit ops with each unchanged stretch cut to `context` characters either side of the edits around it
    (the first keeps only its end, the last only its start): what the CLI and the 对比 tab show."""
    out = []
    for k, (tag, old, new) in enumerate(ops):
        if tag == "equal" and len(old) > 2 * context:
            old = (old[:context] if k else "") + "…" + (old[-context:] if k < len(ops) - 1 else "")
        out.append((tag, old, new))
    return out


# -- field changes -------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\d+(?:\.\d+)?%?|[A-Za-z]+|\s+|.", re.S)
_SENTENCE = re.compile(r"[^。；！？]*[。；！？]?")
LONG_TEXT = 2000  # above this many characters, texts are first aligned sentence by sentence


def _token_ops(old: str, new: str) -> list[list[str]]:
    ta, tb = _TOKEN.findall(old), _TOKEN.findall(new)
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    return [[tag, "".join(ta[i1:i2]), "".join(tb[j1:j2])] for tag, i1, i2, j1, j2 in sm.get_opcodes()]


def _raw_ops(old: str, new: str) -> list[list[str]]:
    if len(old) + len(new) <= LONG_TEXT:
        return _token_ops(old, new)
    # Long units (a 12,000-character plan chapter): align sentences first, then tokens inside the changed
    # stretches only, which keeps the quadratic matcher on short inputs.
    sa = [x for x in _SENTENCE.findall(old) if x]
    sb = [x for x in _SENTENCE.findall(new) if x]
    ops: list[list[str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, sa, sb, autojunk=False).get_opcodes():
        x, y = "".join(sa[i1:i2]), "".join(sb[j1:j2])
        if tag == "equal":
            ops.append(["equal", x, y])
        elif tag == "replace" and len(x) + len(y) <= LONG_TEXT:
            ops.extend(_token_ops(x, y))
        else:
            ops.append([tag, x, y])
    return ops


def text_ops(old: str, new: str) -> list[list[str]]:
    """Opcodes [[tag, old, new], …] over tokens — a number (1000, 9.5%) or a Latin word is one token, every
    other character its own — with equal runs of ≤ 2 characters between edits absorbed into the edits, so
    that whole words and whole figures are highlighted, not scattered characters. Joining the old (new)
    parts gives back the old (new) text."""
    ops = _raw_ops(old, new)
    merged: list[list[str]] = []
    for k, op in enumerate(ops):
        if (op[0] == "equal" and len(op[1]) <= 2 and 0 < k < len(ops) - 1 and merged
                and merged[-1][0] != "equal"):
            merged[-1] = ["replace", merged[-1][1] + op[1], merged[-1][2] + op[2]]
            continue
        if op[0] != "equal" and merged and merged[-1][0] != "equal":
            merged[-1] = ["replace", merged[-1][1] + op[1], merged[-1][2] + op[2]]
            continue
        if op[0] == "equal" and merged and merged[-1][0] == "equal":
            merged[-1] = ["equal", merged[-1][1] + op[1], merged[-1][2] + op[2]]
            continue
        merged.append(list(op))
    for op in merged:
        if op[0] == "replace" and not op[1]:
            op[0] = "insert"
        elif op[0] == "replace" and not op[2]:
            op[0] = "delete"
    return merged


def _text_change(old: str, new: str) -> Change | None:
    if old == new:
        return None
    figures_only = _NUMBER.sub("#", old) == _NUMBER.sub("#", new)
    return Change("text", old, new, {"ops": text_ops(old, new), "figures_only": figures_only})


def _target_str(t: Target) -> str:
    year = f"{t.year}年" if t.year else ""
    comp = t.comparator
    if "…" in comp:
        pre, post = comp.split("…", 1)
        qty = f"{pre}{t.value}{t.unit}{post}"
    elif comp in ("以上", "左右", "以内", "以下", "及以上", "之内"):
        qty = f"{t.value}{t.unit}{comp}"
    else:
        qty = f"{comp}{t.value}{t.unit}"
    return f"{year} {t.indicator} {qty}".strip()


def _quantity(t: Target) -> str:
    return _target_str(t).split(" ")[-1]


def _target_json(t: Target) -> dict:
    return {"year": t.year, "indicator": t.indicator, "comparator": t.comparator, "value": t.value,
            "unit": t.unit, "text": t.text}


def _indicator_key(t: Target) -> str:
    return normalise(t.indicator, t.text, t.unit) or ""


def _pair_targets(ta: list[Target], tb: list[Target]) -> tuple[list[tuple[Target, Target]], list[Target], list[Target]]:
    exact_b = list(tb)
    pairs: list[tuple[Target, Target]] = []
    rest_a: list[Target] = []
    for t in ta:  # identical targets first
        if t in exact_b:
            exact_b.remove(t)
            pairs.append((t, t))
        else:
            rest_a.append(t)
    cands = []
    for i, x in enumerate(rest_a):
        kx = _indicator_key(x)
        for j, y in enumerate(exact_b):
            # What is measured (the indicator, or its normalised name) and where it is said (the sentence
            # with its figures masked, so that 1000→1200 does not hide the sentence it belongs to).
            s = 0.6 * _dice(_bigrams(x.indicator), _bigrams(y.indicator))
            if kx and kx == _indicator_key(y):
                s = max(s, 0.6)
            s += 0.4 * _dice(_bigrams(_NUMBER.sub("#", x.text)), _bigrams(_NUMBER.sub("#", y.text)))
            if x.indicator == y.indicator:
                s += 0.2
            if x.unit != y.unit:
                s -= 0.3
            if x.year == y.year:
                s += 0.02
            if s >= 0.5:
                cands.append((s, i, j))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    ua: set[int] = set()
    ub: set[int] = set()
    for s, i, j in cands:
        if i in ua or j in ub:
            continue
        ua.add(i)
        ub.add(j)
        pairs.append((rest_a[i], exact_b[j]))
    return (pairs, [t for i, t in enumerate(rest_a) if i not in ua],
            [t for j, t in enumerate(exact_b) if j not in ub])


def _target_changes(ta: list[Target], tb: list[Target]) -> list[Change]:
    pairs, removed, added = _pair_targets(ta, tb)
    out: list[Change] = []
    for x, y in pairs:
        what = [f for f in ("value", "unit", "year", "comparator") if getattr(x, f) != getattr(y, f)]
        if not what:
            continue
        direction = "changed"
        vx, vy = number(x.value), number(y.value)
        if what == ["value"] or (set(what) <= {"value", "comparator", "year"} and "value" in what and
                                  x.unit == y.unit):
            if vx is not None and vy is not None and vx != vy:
                direction = "raised" if vy > vx else "lowered"
        extra = {"indicator": y.indicator, "what": what, "direction": direction,
                 "old_target": _target_json(x), "new_target": _target_json(y),
                 "old_quantity": _quantity(x), "new_quantity": _quantity(y)}
        if "year" in what and x.year and y.year:
            extra["year_moved"] = "earlier" if y.year < x.year else "later"
        out.append(Change("target", _target_str(x), _target_str(y), extra))
    for t in removed:
        out.append(Change("target", _target_str(t), None, {"indicator": t.indicator, "direction": "removed",
                                                           "old_target": _target_json(t)}))
    for t in added:
        out.append(Change("target", None, _target_str(t), {"indicator": t.indicator, "direction": "added",
                                                           "new_target": _target_json(t)}))
    return out


def _own(bureaus: list[Bureau]) -> list[Bureau]:
    return [b for b in bureaus if not b.implementer]


def _bureau_changes(ba: list[Bureau], bb: list[Bureau]) -> list[Change]:
    """Responsible units added / removed and the lead changed. A unit of B is the same as one of A when it is
    written the same or has the same canonical name (市发改委 = 市发展和改革委员会); comparing canonical names
    alone would split one bureau in two when the editions' titles place it differently (省综合执法局 of a
    notice that names 黑龙江省 and of one that does not)."""
    a_own, b_own = _own(ba), _own(bb)
    ident: dict[int, int] = {}  # index in b_own → index in a_own
    for j, y in enumerate(b_own):
        for i, x in enumerate(a_own):
            if i not in ident.values() and (x.name == y.name or x.canonical == y.canonical):
                ident[j] = i
                break
    paired_a = set(ident.values())
    out = [Change("bureau", x.name, None, {"canonical": x.canonical}) for i, x in enumerate(a_own)
           if i not in paired_a]
    out += [Change("bureau", None, y.name, {"canonical": y.canonical}) for j, y in enumerate(b_own) if j not in ident]
    lead_a = {i for i, x in enumerate(a_own) if x.lead}
    lead_b = {ident.get(j, -1 - j) for j, y in enumerate(b_own) if y.lead}
    if lead_a != lead_b:
        out.append(Change("lead", "、".join(x.name for x in a_own if x.lead) or None,
                          "、".join(y.name for y in b_own if y.lead) or None))
    return out


_DEADLINE = re.compile(r"(?:完成(?:时限|期限|时间)|截止(?:时间|日期)?|时间节点)[：:]\s*([^，,。；;）)\n]{2,30})")


def deadline_of(unit: Measure) -> str:
    """The unit's deadline as extracted, else a labelled one in its text (完成期限：2022年二季度): a diff must
    see a changed deadline even where extraction missed it."""
    if unit.deadline:
        return unit.deadline
    m = _DEADLINE.search(unit.text)
    return m.group(1).strip() if m else ""


def _changes(a_units: list[_View], b_units: list[_View]) -> list[Change]:
    changes: list[Change] = []
    tc = _text_change("".join(v.core for v in a_units), "".join(v.core for v in b_units))
    if tc:
        changes.append(tc)
    changes += _target_changes([t for v in a_units for t in v.unit.targets],
                               [t for v in b_units for t in v.unit.targets])
    bureau_changes = _bureau_changes([b for v in a_units for b in v.unit.bureaus],
                                     [b for v in b_units for b in v.unit.bureaus])
    changes += bureau_changes
    # A responsibility clause reworded without changing who is responsible (按职责分工负责 → 按职责负责, or a
    # bureau's other name): reported as a text change of the clause, so no edit goes unseen.
    ca = "".join(clause_text(v.unit.text) for v in a_units)
    cb = "".join(clause_text(v.unit.text) for v in b_units)
    if ca != cb and not bureau_changes:
        tc = _text_change(ca, cb)
        tc.extra["part"] = "responsibility clause"
        changes.insert(1 if changes and changes[0].field == "text" else 0, tc)
    da = "；".join(d for d in (deadline_of(v.unit) for v in a_units) if d)
    db = "；".join(d for d in (deadline_of(v.unit) for v in b_units) if d)
    if da != db:
        changes.append(Change("deadline", da or None, db or None))
    return changes


def _facts(unit: Measure) -> dict:
    return {"targets": [_target_json(t) for t in unit.targets],
            "bureaus": [{"name": b.name, "canonical": b.canonical, "lead": b.lead} for b in _own(unit.bureaus)]}
