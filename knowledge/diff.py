"""Edition diff: two editions of one policy compared unit by unit (SPEC `diff --json`).

`diff_documents(a, b)` is pure: it reads two parsed Documents and returns a DocumentDiff.

Alignment
---------
Every unit is reduced to its *core*: the text without its leading numbering (（五）, 第十条, 3．) and without its
closing responsibility parenthesis (（市发改委牵头负责）), so that renumbering and a changed bureau do not make a
unit look like another one. Two cores are compared by the Dice coefficient of their sets of character
bigrams (robust to reordered sentences, cheap: one set intersection per pair); titles (their first 60
characters: a unit without a heading sentence has its whole text as title) the same way.

    score(a, b) = 0.8 · dice(core_a, core_b) + 0.2 · dice(title_a, title_b)   (+0.01 when the labels agree)

Pairs are then matched greedily, best score first, each unit at most once, down to THRESHOLD = 0.35. Greedy
best-first rather than Hungarian: the two agree whenever every unit has one clearly best partner (the case of
editions of one text), greedy is O(n² log n) and explainable ("the most similar pair is matched first"), and
Hungarian's gain — a better *total* — would come from forcing weak pairs that should rather be added+removed.
The threshold was measured (tests/test_diff.py checks both sides on the primary document): two *different*
measures of one document score at most 0.20 in the primary document and at most 0.28 in the four other
documents of ../shared/corpus tried (杭州's 第二十三–二十六 measures share long phrases; policy prose shares
many bigrams like 推进, 绿色, 加快), while a measure with half of its sentences replaced still scores 0.69–0.86
(four measures of the primary document tried). A measure rewritten completely under the same title falls
below the threshold and is reported as removed + added, which is what it is.

After the 1:1 matching, merged and split measures are recognised: an unmatched unit of B whose bigrams lie
mostly (≥ 0.6) inside a matched unit of A, and which together with that unit's partner covers clearly more of
A (+0.15) than the partner alone, is the second half of a split; symmetrically for a merge. Matched pairs whose
order differs (not on the longest increasing subsequence of positions) are flagged `moved`; pairs whose labels
differ are flagged `renumbered` — neither makes a unit "changed" by itself: status is `changed` only when its
text, targets, bureaus, lead or deadline differ, or it was merged/split.

Field changes
-------------
- text: old/new core text plus `ops`, an opcode list [[tag, old, new], …] (tag equal / replace / insert /
  delete) over tokens — a number (9.5%) or a Latin word is one token, any other character its own — with equal
  runs of one or two characters between edits absorbed, so the UI highlights whole changed words and figures
  rather than scattered characters. `figures_only` is true when nothing but numbers changed (the target change
  then says it better); a text change is reported only when the cores differ.
- target: targets of the two units paired greedily by 0.6 · indicator similarity (bigram Dice, or 0.6 outright
  when knowledge.indicators gives both the same canonical name) + 0.4 · similarity of their sentences with the
  figures masked, +0.2 for an identical indicator, −0.3 for another unit of measure, down to 0.5; a pair
  reports which of value / unit / year / comparator changed and `direction` raised / lowered (the number went
  up / down; for 下降 targets a higher number is the more ambitious target); unpaired targets are added /
  removed.
- bureau: responsible units (canonical names; document-wide implementers excluded) added or removed.
- lead: the 牵头 unit(s) changed; old/new are the names joined by 、 or null.
- deadline: the unit's 完成时限 as written.
"""
from __future__ import annotations

from knowledge.numerals import int_to_cn

import difflib
import re
from dataclasses import dataclass, field

from knowledge.bureaus import find_clause
from knowledge.model import Bureau, Document, Measure, Target
from knowledge.text import pairs

THRESHOLD = 0.35
PART_CONTAINMENT = 0.6  # a split/merged part lies at least this much inside the other edition's unit
PART_GAIN = 0.15  # and adding it covers at least this much more of that unit
MAX_SUMMARY_LINES = 15
# Below this ratio of paired to unpaired units the two files are hardly editions of one policy: say so.
LOW_OVERLAP = 0.25

_CN = "一二三四五六七八九十百零〇"
_MARK = re.compile(
    rf"^\s*(?:（[{_CN}\d]{{1,4}}）|\([{_CN}\d]{{1,4}}\)|第[{_CN}\d]{{1,5}}[条章节编]|[{_CN}]{{1,3}}、|"
    rf"\d{{1,3}}(?:[．.、](?!\d))|[①-⑳])\s*")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


# -- result types -------------------------------------------------------------------------------------------
@dataclass
class Change:
    field: str  # text | target | bureau | lead | deadline
    old: str | None
    new: str | None
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"field": self.field, "old": self.old, "new": self.new, **self.extra}


@dataclass
class UnitDiff:
    status: str  # same | changed | added | removed
    a_labels: list[str]
    b_labels: list[str]
    title: str
    changes: list[Change] = field(default_factory=list)
    relation: str = ""  # "" | merged | split
    moved: bool = False
    renumbered: bool = False
    score: float | None = None
    a_section: str = ""
    b_section: str = ""
    a_text: str = ""
    b_text: str = ""
    a_seqs: list[int] = field(default_factory=list)
    b_seqs: list[int] = field(default_factory=list)
    # An added or removed unit's own targets and responsible units (what the new measure sets, what went).
    facts: dict = field(default_factory=dict)

    @property
    def a_label(self) -> str | None:
        return "+".join(self.a_labels) or None

    @property
    def b_label(self) -> str | None:
        return "+".join(self.b_labels) or None

    @property
    def label(self) -> str:
        return self.b_label or self.a_label or ""

    def fields(self) -> set[str]:
        return {c.field for c in self.changes}

    def to_json(self) -> dict:
        out = {"status": self.status, "a_label": self.a_label, "b_label": self.b_label, "title": self.title,
               "changes": [c.to_json() for c in self.changes]}
        if self.relation:
            out["relation"] = self.relation
            out["a_labels"], out["b_labels"] = self.a_labels, self.b_labels
        out["moved"], out["renumbered"] = self.moved, self.renumbered
        if self.score is not None:
            out["similarity"] = round(self.score, 3)
        if self.a_section != self.b_section and self.a_section and self.b_section:
            out["a_section"], out["b_section"] = self.a_section, self.b_section
        if self.status in ("added", "removed"):
            out["text"] = self.b_text if self.status == "added" else self.a_text
            out.update(self.facts)
        return out


@dataclass
class DocumentDiff:
    a: dict
    b: dict
    units: list[UnitDiff]
    # Section headings renamed / added / removed: {"status", "a_no", "b_no", "old", "new"}.
    sections: list[dict] = field(default_factory=list)
    # Document-wide implementers (各县区政府 … 落实) when they differ: {"old": [...], "new": [...]}.
    implementers: dict | None = None

    def of_status(self, status: str) -> list[UnitDiff]:
        return [u for u in self.units if u.status == status]

    def to_json(self) -> dict:
        out = {"a": self.a, "b": self.b, "units": [u.to_json() for u in self.units],
               "summary": self.summary(), "counts": self.counts(), "sections": self.sections}
        if self.implementers:
            out["implementers"] = self.implementers
        return out

    def counts(self) -> dict[str, int]:
        c = {"same": 0, "changed": 0, "added": 0, "removed": 0, "moved": 0, "renumbered": 0, "merged": 0,
             "split": 0, "reworded": 0, "targets_raised": 0, "targets_lowered": 0, "targets_added": 0,
             "targets_removed": 0, "targets_other": 0, "bureaus_added": 0, "bureaus_removed": 0,
             "lead_changed": 0, "deadline_changed": 0}
        for u in self.units:
            c[u.status] += 1
            c["moved"] += u.moved
            c["renumbered"] += u.renumbered
            if u.relation:
                c[u.relation] += 1
            for ch in u.changes:
                if ch.field == "text" and not ch.extra.get("figures_only"):
                    c["reworded"] += 1
                elif ch.field == "target":
                    key = {"raised": "targets_raised", "lowered": "targets_lowered", "added": "targets_added",
                           "removed": "targets_removed"}.get(ch.extra.get("direction") or "", "targets_other")
                    c[key] += 1
                elif ch.field == "bureau":
                    c["bureaus_added" if ch.new else "bureaus_removed"] += 1
                elif ch.field == "lead":
                    c["lead_changed"] += 1
                elif ch.field == "deadline":
                    c["deadline_changed"] += 1
        return c

    def summary(self) -> str:
        """One screen of Chinese: the counts first, then each structural and responsibility change."""
        c = self.counts()
        head: list[str] = []
        if c["targets_raised"]:
            head.append(f"{c['targets_raised']} 项目标提高")
        if c["targets_lowered"]:
            head.append(f"{c['targets_lowered']} 项目标降低")
        if c["targets_other"]:
            head.append(f"{c['targets_other']} 项目标年份或表述调整")
        if c["targets_added"]:
            head.append(f"新增 {c['targets_added']} 项目标")
        if c["targets_removed"]:
            head.append(f"删去 {c['targets_removed']} 项目标")
        added, removed = self.of_status("added"), self.of_status("removed")
        if added:
            head.append(f"新增 {len(added)} 条（{_labels(added, 'b')}）")
        if removed:
            head.append(f"删除 {len(removed)} 条（{_labels(removed, 'a')}）")
        if c["reworded"]:
            head.append(f"{c['reworded']} 条措辞修改")
        lines = ["，".join(head) + "。" if head else ""]
        body = [u for u in self.units if "前言" not in (u.a_labels + u.b_labels) and "印发通知" not in
                (u.a_labels + u.b_labels)]
        paired = sum(1 for u in body if u.status in ("same", "changed"))
        if body and paired / max(1, len(body) - paired) < LOW_OVERLAP:
            lines.insert(0, f"注意：两份文件只有 {paired} 条能逐条对应，多半不是同一政策的两个版本，以下差异仅供参考。")
        details: list[str] = []
        for u in self.units:
            where = f"（{u.label}）" if not u.label.startswith("（") else u.label
            if u.relation == "merged":
                details.append(f"{' '.join(u.a_labels)} 合并为 {u.b_label}")
            elif u.relation == "split":
                details.append(f"{u.a_label} 拆分为 {' '.join(u.b_labels)}")
            if u.moved:
                details.append(f"{u.a_label} 移至 {u.b_label}" + (f"（{u.b_section}）" if u.b_section and
                                                                 u.b_section != u.a_section else ""))
            for ch in u.changes:
                if ch.field == "lead":
                    if ch.old and not ch.new:
                        details.append(f"{ch.old}不再牵头{where}")
                    elif ch.new and not ch.old:
                        details.append(f"明确由{ch.new}牵头{where}")
                    else:
                        details.append(f"牵头单位由{ch.old}改为{ch.new}{where}")
                elif ch.field == "bureau":
                    details.append(f"{ch.new}新增为责任单位{where}" if ch.new else f"{ch.old}不再列为责任单位{where}")
                elif ch.field == "target" and ch.extra.get("direction") in ("raised", "lowered"):
                    verb = "提高" if ch.extra["direction"] == "raised" else "降低"
                    details.append(f"{ch.extra.get('indicator', '')}目标{verb}：{ch.extra['old_quantity']}→"
                                   f"{ch.extra['new_quantity']}{where}")
                elif ch.field == "target" and ch.extra.get("what") == ["year"]:
                    verb = "提前" if ch.extra.get("year_moved") == "earlier" else "推迟"
                    details.append(f"{ch.extra.get('indicator', '')}目标年份由{ch.extra['old_target']['year']}年"
                                   f"{verb}至{ch.extra['new_target']['year']}年{where}")
                elif ch.field == "target" and ch.extra.get("direction") == "changed":
                    details.append(f"{ch.extra.get('indicator', '')}目标调整：{ch.old}→{ch.new}{where}")
                elif ch.field == "deadline":
                    details.append(f"完成时限由{ch.old or '无'}改为{ch.new or '无'}{where}")
        for sec in self.sections:
            if sec["status"] == "changed":
                details.append(f"第{int_to_cn(sec['a_no'])}部分标题由“{sec['old']}”改为“{sec['new']}”")
            elif sec["status"] == "added":
                details.append(f"新增第{int_to_cn(sec['b_no'])}部分“{sec['new']}”")
            else:
                details.append(f"删除第{int_to_cn(sec['a_no'])}部分“{sec['old']}”")
        if self.implementers:
            old, new = self.implementers["old"], self.implementers["new"]
            details.append(f"全文落实单位由{'、'.join(old) or '无'}改为{'、'.join(new) or '无'}")
        renumbered = [u for u in self.units if u.renumbered and not u.moved and not u.relation]
        if renumbered:
            details.append(f"{len(renumbered)} 条编号调整（如 {renumbered[0].a_label}→{renumbered[0].b_label}）")
        if not head and not details:
            return "两个版本逐条一致，没有实质改动。"
        if len(details) > MAX_SUMMARY_LINES:  # one screen: the rest is in the unit list
            details = details[:MAX_SUMMARY_LINES] + [f"……另有 {len(details) - MAX_SUMMARY_LINES} 处改动，见逐条对照"]
        lines.extend(details)
        return "\n".join(x for x in lines if x)


def _labels(units: list[UnitDiff], side: str) -> str:
    labels = [(u.b_label if side == "b" else u.a_label) or "" for u in units]
    return " ".join(labels[:8]) + (" 等" if len(labels) > 8 else "")


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


def shortened(ops: list[list[str]], context: int) -> list[tuple[str, str, str]]:
    """Text edit ops with each unchanged stretch cut to `context` characters either side of the edits around it
    (the first keeps only its end, the last only its start): what the CLI and the 对比 tab show."""
    out = []
    for k, (tag, old, new) in enumerate(ops):
        if tag == "equal" and len(old) > 2 * context:
            old = (old[:context] if k else "") + "…" + (old[-context:] if k < len(ops) - 1 else "")
        out.append((tag, old, new))
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


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


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
    try:
        from knowledge.indicators import normalise
    except ImportError:  # pragma: no cover
        return ""
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
        vx, vy = _number(x.value), _number(y.value)
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


# -- the diff ----------------------------------------------------------------------------------------------------
def diff_documents(a: Document, b: Document) -> DocumentDiff:
    va, vb = _views(a), _views(b)
    pairs, lone_a, lone_b = align(va, vb)
    partner_a = {i: j for i, j, _ in pairs}
    partner_b = {j: i for i, j, _ in pairs}

    # Splits: an unmatched B unit that lies inside a matched A unit and completes it.
    extra_b: dict[int, list[int]] = {}  # a index → further b indexes
    for j in list(lone_b):
        best = None
        for i, j0 in partner_a.items():
            if _contained(vb[j].grams, va[i].grams) < PART_CONTAINMENT:
                continue
            parts = [j0] + extra_b.get(i, [])
            before = _contained(va[i].grams, frozenset().union(*(vb[k].grams for k in parts)))
            after = _contained(va[i].grams, frozenset().union(vb[j].grams, *(vb[k].grams for k in parts)))
            if after - before >= PART_GAIN and (best is None or after - before > best[0]):
                best = (after - before, i)
        if best:
            extra_b.setdefault(best[1], []).append(j)
            lone_b.remove(j)
    # Merges: an unmatched A unit that lies inside a matched B unit and completes it.
    extra_a: dict[int, list[int]] = {}  # b index → further a indexes
    for i in list(lone_a):
        best = None
        for j, i0 in partner_b.items():
            if i0 in extra_b or _contained(va[i].grams, vb[j].grams) < PART_CONTAINMENT:
                continue
            parts = [i0] + extra_a.get(j, [])
            before = _contained(vb[j].grams, frozenset().union(*(va[k].grams for k in parts)))
            after = _contained(vb[j].grams, frozenset().union(va[i].grams, *(va[k].grams for k in parts)))
            if after - before >= PART_GAIN and (best is None or after - before > best[0]):
                best = (after - before, j)
        if best:
            extra_a.setdefault(best[1], []).append(i)
            lone_a.remove(i)

    order = [j for _, j, _ in pairs]  # pairs are sorted by i
    on_lis = _lis(order)
    moved_a = {pairs[k][0] for k in range(len(pairs)) if k not in on_lis}

    entries: list[tuple[float, UnitDiff]] = []  # (position in B order, entry)
    for i, j, s in pairs:
        ai = sorted([i] + extra_a.get(j, []))
        bj = sorted([j] + extra_b.get(i, []))
        av, bv = [va[k] for k in ai], [vb[k] for k in bj]
        changes = _changes(av, bv)
        relation = "merged" if len(ai) > 1 else "split" if len(bj) > 1 else ""
        u = UnitDiff(status="changed" if changes or relation else "same",
                     a_labels=[v.label for v in av], b_labels=[v.label for v in bv],
                     title=bv[0].title or av[0].title, changes=changes, relation=relation,
                     moved=i in moved_a, renumbered=[v.label for v in av] != [v.label for v in bv] and not relation,
                     score=s, a_section=av[0].section, b_section=bv[0].section,
                     a_text=av[0].unit.text, b_text=bv[0].unit.text,
                     a_seqs=[v.unit.seq for v in av], b_seqs=[v.unit.seq for v in bv])
        entries.append((float(j), u))
    for j in lone_b:
        v = vb[j]
        entries.append((float(j), UnitDiff("added", [], [v.label], v.title, b_section=v.section, b_text=v.unit.text,
                                           b_seqs=[v.unit.seq], facts=_facts(v.unit))))
    for i in lone_a:
        # A removed unit goes after the B position of its nearest preceding matched A unit.
        prev = [partner_a[k] for k in range(i - 1, -1, -1) if k in partner_a][:1]
        pos = (prev[0] + 0.5) if prev else -0.5
        v = va[i]
        entries.append((pos + i / 10_000, UnitDiff("removed", [v.label], [], v.title, a_section=v.section,
                                                   a_text=v.unit.text, a_seqs=[v.unit.seq], facts=_facts(v.unit))))
    entries.sort(key=lambda e: e[0])
    implementers = None
    if list(a.implementers) != list(b.implementers):
        implementers = {"old": list(a.implementers), "new": list(b.implementers)}
    return DocumentDiff({"doc_id": a.doc_id, "title": a.title}, {"doc_id": b.doc_id, "title": b.title},
                        [u for _, u in entries], _section_changes(a, b), implementers)


def _facts(unit: Measure) -> dict:
    return {"targets": [_target_json(t) for t in unit.targets],
            "bureaus": [{"name": b.name, "canonical": b.canonical, "lead": b.lead} for b in _own(unit.bureaus)]}


def _section_changes(a: Document, b: Document) -> list[dict]:
    """Section headings paired by title similarity (greedy, Dice ≥ 0.4; renumbering alone is no change)."""
    ga = [_bigrams(s.title) for s in a.sections]
    gb = [_bigrams(s.title) for s in b.sections]
    cands = sorted(((_dice(x, y), i, j) for i, x in enumerate(ga) for j, y in enumerate(gb)),
                   key=lambda c: (-c[0], abs(c[1] - c[2])))
    ua: dict[int, int] = {}
    ub: set[int] = set()
    for s, i, j in cands:
        if s >= 0.4 and i not in ua and j not in ub:
            ua[i] = j
            ub.add(j)
    out = []
    for i, sa in enumerate(a.sections):
        if i not in ua:
            out.append({"status": "removed", "a_no": sa.no, "b_no": None, "old": sa.title, "new": None})
        elif sa.title != b.sections[ua[i]].title:
            sb = b.sections[ua[i]]
            out.append({"status": "changed", "a_no": sa.no, "b_no": sb.no, "old": sa.title, "new": sb.title})
    for j, sb in enumerate(b.sections):
        if j not in ub:
            out.append({"status": "added", "a_no": None, "b_no": sb.no, "old": None, "new": sb.title})
    return out


__all__ = ["leading_marker", "diff_documents", "DocumentDiff", "UnitDiff", "Change", "THRESHOLD", "text_ops", "core_text",
           "similarity"]
