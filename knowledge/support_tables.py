"""Support items stated in a table rather than in sentences: a call whose projects and their funding are listed
row by row (283 福建: 项目名称、推荐（申报）单位及申请资助经费限额详见下表 / 序号 项目名称 推荐（申报）单位 资助经费（万元）
/ 1 科技支撑碳达峰碳中和战略和路径选择 厦门大学 10 / 2 …). Pure functions on a unit's text, no I/O.

The text layer gives such a table as loose text, the rows run together: a header with 序号 and a money column
(资助经费（万元）, 补助金额（元）), then rows numbered 1, 2, 3 … each ending in the column's figure. A row is an item; its
figure is a ceiling when the table or the sentence that announces it says so (限额, 最高, 上限, 不超过), else the
amount.

Funding tables as notices and their annexes (附件) commonly write them, beside that one: the money column's unit given
in a note over the table (单位：万元) instead of the column's brackets, or in each cell (100万元) with no unit in the
header; a ceiling word in a cell (最高100万元, 不超过50万元) caps that row. Each row is an item labelled by its number
in the table (第1项).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.support_fields import to_wan

# A table header: 序号, then within the header a money column named by what it pays (经费, 资金, 金额, 补助, 补贴, 资助,
# 奖励, 限额, 额度, or a 标准 of them) with its unit in brackets — or without one, the unit then given by a note over the
# table (单位：万元) or in the cells.
HEADER_RE = re.compile(r"(?:序号|编号)[^。；\n]{0,60}?(?P<col>[\u4e00-\u9fff]{0,8}(?:经费|资金|金额|补助|补贴|资助|奖励|奖补|限额|额度)"
                       r"[\u4e00-\u9fff]{0,4})\s*(?:[（(](?P<unit>万元|元|亿元)[）)]|(?=[\s\n]*1[^\d.．、]))")
# The unit of a table's figures in a note over it (单位：万元; （单位：元）).
NOTE_UNIT_RE = re.compile(r"单位\s*[：:]\s*(?P<unit>万元|元|亿元)")
CEILING_RE = re.compile(r"限额|最高|上限|不超过|不得超过")
MAX_ROW = 160
# A row's figure ends it, with its unit when the cell writes one (100万元) and a ceiling word before it (最高100万元).
_FIGURE_END_RE = re.compile(r"(?P<ceiling>(?:最高|不超过|不得超过|上限)\s*)?(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万元|元|亿元)?\s*$")


@dataclass(frozen=True)
class TableRow:
    text: str  # the row as written (an exact substring of the unit text): 1科技支撑…厦门大学10
    figure: str  # 10
    unit: str  # 万元
    wan: float | None
    cap: bool
    column: str  # 资助经费
    no: int = 0  # its number in the table (序号)


def table_rows(text: str) -> list[TableRow]:
    """The numbered rows of each funding table in `text`, in order."""
    out: list[TableRow] = []
    for h in HEADER_RE.finditer(text):
        lead = text[max(0, h.start() - 80):h.start()]
        note = NOTE_UNIT_RE.search(lead)
        unit = h.group("unit") or (note.group("unit") if note else None)  # None: each cell writes its unit
        cap = bool(CEILING_RE.search(h.group("col")) or CEILING_RE.search(lead))
        # Rows run on after the header, on its line or on lines of their own (a table of an annex a row a line);
        # a row is at most MAX_ROW characters, so a later numbered list is not read as the table's next row.
        pos, i, end = h.end(), 1, len(text)
        while True:
            m = re.compile(rf"\s*{i}(?=[^\d.．、])").match(text, pos)
            if not m or m.end() >= end:
                break
            nxt = re.compile(rf"(?<=[\d元])\s*{i + 1}\s*(?=[\u4e00-\u9fff])").search(text, m.end(),
                                                                                 min(end, m.end() + MAX_ROW))
            stop = nxt.start() if nxt else end
            row = text[m.end() - len(str(i)):stop].strip()
            if nxt is None:  # the last row ends with the first of its lines that ends in a figure
                lines = row.split("\n")
                k = next((k for k, ln in enumerate(lines) if _FIGURE_END_RE.search(ln)), 0)
                row = "\n".join(lines[:k + 1]).strip()
            fig = _FIGURE_END_RE.search(row)
            row_unit = (fig.group("unit") or unit) if fig else None
            if not fig or row_unit is None or len(row) - len(fig.group(0)) < 4 or len(row) > MAX_ROW:
                break
            out.append(TableRow(row, fig.group("num"), row_unit, to_wan(fig.group("num"), row_unit),
                                cap or bool(fig.group("ceiling")), h.group("col"), i))
            if nxt is None:
                break
            pos, i = nxt.start(), i + 1
    return out
