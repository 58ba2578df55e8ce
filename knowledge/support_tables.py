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
                       r"[\u4e00-\u9fff]{0,4})\s*(?:[（(](?P<unit>万元|元|亿元)[）)]|"
                       r"(?=(?:\s*[\u4e00-\u9fff]{2,12}){0,3}[\s\n]*\d{1,3}[^\d.．、]))")
# The unit of a table's figures in a note over it (单位：万元; （单位：元）).
NOTE_UNIT_RE = re.compile(r"单位\s*[：:]\s*(?P<unit>万元|元|亿元)")
CEILING_RE = re.compile(r"限额|最高|上限|不超过|不得超过")
MAX_ROW = 160
# A row's figure ends it, with its unit when the cell writes one (100万元) and a ceiling word before it (最高100万元).
_FIGURE_END_RE = re.compile(r"(?P<ceiling>(?:最高|不超过|不得超过|上限)\s*)?(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万元|元|亿元)?\s*$")


# … with the money column before others (common: 序号 项目名称 资助金额（万元） 承担单位): the figure is the row's last
# number, only text after it (the next cells).
_FIGURE_MID_RE = re.compile(r"(?P<ceiling>(?:最高|不超过|不得超过|上限)\s*)?(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万元|元|亿元)?"
                            r"(?P<rest>\s+[^\d\s][^\d]{0,40})$")
# Header cells after the money column, before the first row (承担单位, 备注): at most a few short cells.
_TRAILING_COLS_RE = re.compile(r"(?:\s*[\u4e00-\u9fff（）()、/]{2,12}){1,3}(?=\s*\d{1,3}[^\d.．、])")
# A table's header written again where it runs onto the next page (序号 项目名称 …): no part of the row before it.
_HEADER_AGAIN_RE = re.compile(r"\s*(?:序号|编号)\s*[\u4e00-\u9fff]")


@dataclass(frozen=True)
class TableRow:
    text: str  # the row as written (an exact substring of the unit text): 1科技支撑…厦门大学10
    figure: str  # 10
    unit: str  # 万元
    wan: float | None
    cap: bool
    column: str  # 资助经费
    no: int = 0  # its number in the table (序号)
    tiers: tuple = ()  # a row of a table by tier (国家级 省级 市级): ((tier, figure, wan), …)


# A table by tier (SPEC: tiers 国家级/省级/市级; common in award lists: 序号 类别 国家级 省级 市级, the sums in 万元 in a note
# or in brackets): a row is a name, then one figure a tier column (— or / for none), separated by spaces or lines.
TIER_WORDS = r"国家级|省级|市级|区级|县级"
TIER_HEADER_RE = re.compile(rf"(?:序号|编号)[^。；\n]{{0,40}}?(?P<tiers>(?:{TIER_WORDS})(?:\s*(?:{TIER_WORDS})){{1,4}})"
                            r"\s*(?:[（(](?P<unit>万元|元|亿元)[）)])?")
_CELL = r"\d+(?:\.\d+)?|—+|-|/|／"


def tier_rows(text: str) -> list[TableRow]:
    """The numbered rows of each table by tier in `text`: one row an item with a figure a tier."""
    out: list[TableRow] = []
    for h in TIER_HEADER_RE.finditer(text):
        tiers = re.findall(TIER_WORDS, h.group("tiers"))
        lead = text[max(0, h.start() - 80):h.start()]
        note = NOTE_UNIT_RE.search(lead) or re.search(r"[（(](?P<unit>万元|元|亿元)[）)]", lead[-30:] + h.group(0))
        unit = h.group("unit") or (note.group("unit") if note else None)
        if unit is None:
            continue
        cap = bool(CEILING_RE.search(text[max(0, h.start() - 80):h.end()]))
        row_re = lambda i: re.compile(rf"\s*(?P<row>{i}\s*(?P<name>[^\d\n]{{2,40}}?)(?P<cells>(?:\s+(?:{_CELL})){{{len(tiers)}}}))"
                                      r"(?=\s|$)")
        pos, i = h.end(), 1
        while (m := row_re(i).match(text, pos)) is not None:
            cells = m.group("cells").split()
            figs = tuple((t, c, to_wan(c, unit)) for t, c in zip(tiers, cells) if c[0].isdigit())
            if figs:
                # the lead and header name the kind (奖励标准如下, 奖励类别): kept as the row's column
                out.append(TableRow(m.group("row"), "", unit, None, cap, text[max(0, h.start() - 40):h.end()], i, figs))
            pos, i = m.end(), i + 1
    return out


def table_rows(text: str) -> list[TableRow]:
    """The numbered rows of each funding table in `text`, in order (tables by tier after the others)."""
    out: list[TableRow] = []
    for h in HEADER_RE.finditer(text):
        lead = text[max(0, h.start() - 80):h.start()]
        note = NOTE_UNIT_RE.search(lead)
        unit = h.group("unit") or (note.group("unit") if note else None)  # None: each cell writes its unit
        cap = bool(CEILING_RE.search(h.group("col")) or CEILING_RE.search(lead))
        # Rows run on after the header, on its line or on lines of their own (a table of an annex a row a line);
        # a row is at most MAX_ROW characters, so a later numbered list is not read as the table's next row.
        # the first row is 1, or the next of the table before when its header is written again over a new page
        pos, end = h.end(), len(text)
        i = out[-1].no + 1 if out and out[-1].column == h.group("col") else 1
        trailing = _TRAILING_COLS_RE.match(text, pos)
        figure_re = _FIGURE_MID_RE if trailing else _FIGURE_END_RE
        if trailing:
            pos = trailing.end()
        while True:
            m = re.compile(rf"\s*{i}(?=[^\d.．、])").match(text, pos)
            if not m or m.end() >= end:
                break
            # the next row after a figure, or (money before other columns) after the text of the last cells with a
            # space or a line between
            before = r"(?:(?<=[\d元])\s*|(?<=[\u4e00-\u9fff）)])\s+)" if trailing else r"(?<=[\d元])\s*"
            # (a row has a name of two characters at least: 1 2号机组… is one row)
            nxt = re.compile(rf"{before}{i + 1}\s*(?=[\u4e00-\u9fff])").search(text, m.end() + 2,
                                                                            min(end, m.end() + MAX_ROW))
            stop = nxt.start() if nxt else end
            row = text[m.end() - len(str(i)):stop].strip()
            again = _HEADER_AGAIN_RE.search(row, len(str(i)))
            if again and nxt is not None:
                row = row[:again.start()].rstrip()
            if nxt is None:  # the last row ends with the first of its lines that ends in a figure
                lines = row.split("\n")
                k = next((k for k, ln in enumerate(lines) if figure_re.search(ln)), 0)
                row = "\n".join(lines[:k + 1]).strip()
            fig = figure_re.search(row)
            row_unit = (fig.group("unit") or unit) if fig else None
            if not fig or row_unit is None or fig.start() < 4 or len(row) > MAX_ROW:
                break
            out.append(TableRow(row, fig.group("num"), row_unit, to_wan(fig.group("num"), row_unit),
                                cap or bool(fig.group("ceiling")), h.group("col"), i))
            if nxt is None:
                break
            pos, i = nxt.start(), i + 1
    return out + tier_rows(text)
