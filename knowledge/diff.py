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

from knowledge.diff_align import (THRESHOLD, _bigrams, _dice, _lis, _views, align, attach_parts, clause_text, core_text,
                                  leading_marker, similarity)
from knowledge.diff_fields import _changes, _facts, deadline_of, shortened, text_ops
from knowledge.diff_types import Change, DocumentDiff, UnitDiff
from knowledge.model import Document


# -- the diff ----------------------------------------------------------------------------------------------------
def diff_documents(a: Document, b: Document) -> DocumentDiff:
    va, vb = _views(a), _views(b)
    pairs, lone_a, lone_b = align(va, vb)
    partner_a = {i: j for i, j, _ in pairs}
    partner_b = {j: i for i, j, _ in pairs}

    # Splits: an unmatched B unit that lies inside a matched A unit and completes it (a index → further b indexes);
    # merges, symmetrically, an unmatched A unit inside a matched B unit whose partner took no split part.
    extra_b = attach_parts(lone_b, partner_a, vb, va)
    extra_a = attach_parts(lone_a, partner_b, va, vb, taken=extra_b.keys())  # b index → further a indexes

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
           "similarity", "shortened", "deadline_of", "clause_text", "align"]
