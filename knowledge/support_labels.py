"""Labels of support items: the unit's label as the document numbers it, and an item's label (the unit's followed by
the numbering inside the unit). Pure functions, no I/O."""
from __future__ import annotations

import re

from knowledge.numerals import int_to_cn
from knowledge.text import fold


def unit_label(unit) -> str:
    """The unit's label as the document numbers it; until the outline parser fills `label`, one built from
    its section and number (`四、（二）`)."""
    label = getattr(unit, "label", "") or ""
    if label:
        return label
    sec, no, kind = getattr(unit, "section_no", None), getattr(unit, "no", 0), getattr(unit, "kind", "")
    if kind == "preamble":
        return "前言"
    parts = []
    if sec:
        parts.append(f"{int_to_cn(sec)}、")
    if no and kind != "paragraph":
        parts.append(f"（{int_to_cn(no)}）")
    elif no:
        parts.append(f"第{no}段")
    return "".join(parts)


def item_label(unit: str, inner: str) -> str:
    """The unit's label, followed by the numbering of the item inside the unit that the label does not already
    end with: 第四条 + （三） → 第四条（三）; 三、 （二） + （二）1. → 三、 （二）1.; a table's row: 一、 （一） + 第1项."""
    marks = [m.group(0) for m in re.finditer(r"第[^条章节项]{1,5}[条章节]|[一二三四五六七八九十]+、|[（(][^）)]{1,3}[）)]|\d{1,2}[.．、]|"
                                             r"[①-⑩]|第\d{1,3}项", inner)]
    label = unit.strip()
    compact = _same_marks(label)
    for i in range(len(marks)):
        if compact.endswith(_same_marks("".join(marks[:i + 1]))):
            marks = marks[i + 1:]
            break
    return (label + "".join(marks)) if label else ("".join(marks) or "正文")


def _same_marks(s: str) -> str:
    """Numbering compared regardless of spaces and of how its dot and brackets are written (8． = 8. = 8、)."""
    s = fold(s)
    return re.sub(r"(\d)[.、]", r"\1.", s)

