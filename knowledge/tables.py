"""Target tables in the text layer: `主要指标` tables with year columns (2020年 / 2025年 / 属性). Pure functions.

pypdf gives such a table as loose text: a header `指标 2020年 2025年 指标属性` and rows `4.非化石能源消费比重（%）7.6
13左右预期性` (or all rows run together, or in a 专栏 box without an attribute column: `主要指标2025年…（亿吨标准煤）11.5
城镇新建居住建筑能效水平提升30%`). A row ends with its attribute (约束性 / 预期性 / 指导性); its values follow
the unit in parentheses, one per year column, `—` for an empty cell and `[5]` for a five-year cumulative value.
The target is the value in the column of the last (future) year; the earlier columns are baselines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.model import Target
from knowledge.text import nfkc
from knowledge.units import COUNTERS, PER_RE, UNIT_RE

_HEADER = re.compile(r"(?:指标|项目|内容|类别|名称)[^。；]{0,30}?(?P<years>(?:19|20)\d{2}\s*年(?:[^0-9。；]{0,16}?(?:19|20)\d{2}\s*年){0,4})"
                     r"(?:[（(][^（）()]{0,6}[）)]|目标|值|末)*(?:[^\d。；（）]{0,12}?(?:指标属性|指标性质|属性|性质))?(?:单位|备注)*")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_ATTRIBUTE = r"(?:约束性|预期性|指导性)(?:指标)?"
_ROW_END = re.compile(r"(?<=约束性|预期性|指导性)(?:指标)?")
_UNIT_WORDS = UNIT_RE
# A row with its unit in parentheses (`4.非化石能源消费比重（%）7.6 13左右预期性`), in a unit column
# (`风电万千瓦200预期性`) or after each value (`受污染耕地安全利用率92% 93%左右约束性`); the category words and the
# row number before it are dropped. The attribute column is optional (专栏 tables often have none).
# An empty cell is a dash or a slash (/ ≥85); a footnote mark may follow a value (78.8*); a cell may say what the
# value adds (-新增351.9: nothing in 2020, 351.9 more by 2025).
_CELL = (rf"(?:[—－\-/／]{{1,2}}\*?|[［\[【〔]\s*\d+(?:\.\d+)?\s*[］\]】〕]|(?:新增|累计)?[约≥≧≤≦>＞<＜]?\d+(?:\.\d+)?(?:、\d+(?:\.\d+)?)?"
         rf"(?:%|‰|{_UNIT_WORDS})?(?:左右|以上|以下)?\*?)")
# The name may hold a bracket of its own (细颗粒物（PM2.5）浓度, 小流域省控断面优良（达到或优于Ⅲ类）比例); the row number may be
# bracketed (（9）); a unit in brackets may end in a power (μg/m3), a unit column may be % (空气质量优良天数比例% 83.9 86).
_ROW = re.compile(
    rf"^(?:[\u4e00-\u9fff]{{2,12}}?(?=\s*\d))?\s*(?:(?P<idx>\d{{1,2}}(?!\d)(?![.%]\d))|[（(](?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})[）)])?\s*[.．、]?\s*"
    rf"(?P<ind>[^\n（）。；\d\s%‰](?:[^\n（）。；]|（[^（）\n。；]{{1,14}}）){{1,39}}?)\s*"
    rf"(?:（(?P<unit>(?:[^（）\d]|(?<=[A-Za-z])[23]){{1,12}})）|(?P<ucol>(?:{_UNIT_WORDS}|%|‰)(?:{PER_RE})?)(?=\s*[\d>≥<≤约—\-［\[/]))?"
    rf"\s*(?P<vals>{_CELL}(?:\s*{_CELL}){{0,5}})\s*(?:[（(]\s*(?P<due>20\d{{2}})\s*年\s*[）)])?\s*(?P<attr>{_ATTRIBUTE})?$")
_VALUE = re.compile(_CELL)
# Where a run-together table (pypdf joined its lines) passes from one row's last value to the next row's name.
# After a digit a unit may follow (200万千瓦); after %, ‰, a bracket or a dash the next row's name may start with a
# measure word (人均…, 部分…).
_NOT_NAME = r"左右|以上|以下|约束性|预期性|指导性|[年月日]"
# A numbered row may follow a value that carries its unit or a cell's year straight on (100%19滨江…, 100%（2023年）20县城…),
# or a bare value after a space (1水电万千瓦1759 1866 2陆上风电万千瓦653 2150 …).
_NEXT_ROW = re.compile(rf"(?:(?<=\d)\s*(?=(?!{_NOT_NAME}|{_UNIT_WORDS})[\u4e00-\u9fff])|"
                       rf"(?<=[%‰\]］】〕—])\s*(?=(?!{_NOT_NAME})[\u4e00-\u9fff])|"
                       rf"(?:(?<=[%‰])|(?<=年）))\s*(?=\d{{1,2}}(?![\d.])[\u4e00-\u9fff])|"
                       rf"(?<=\d)\s+(?=\d{{1,2}}(?![\d.])(?!{_NOT_NAME}|{_UNIT_WORDS})[\u4e00-\u9fff]))")
_RATIO_NAME = re.compile(r"(?:率|指数|比例|比重|系数|占比)$")
_UNIT_LIKE = re.compile(rf"{_UNIT_WORDS}|%|‰|/|度|克|立方米|千瓦|标煤|天|年")


@dataclass(frozen=True)
class Header:
    years: tuple[int, ...]
    extra: int = 0  # columns after the years other than the attribute (新增或累计增长, 年均增速)


def find_header(text: str) -> Header | None:
    found = _header_match(text)
    return found[1] if found else None


def _header_match(text: str) -> tuple[re.Match, Header] | None:
    """The first header of a year-column table in `text` and its match. A goal sentence before the table may look
    like the start of one (第三节目标指标\n到2025年，… then 类别序号指标名称2020年基准值2025年目标指标属性): a candidate that
    is not a header does not hide the one after it."""
    pos = 0
    while m := _HEADER.search(text, pos):
        years = tuple(int(y) for y in _YEAR.findall(m.group("years")))
        # One year column is enough where the header has a unit or an attribute column (指标名称 单位 2025年 属性),
        # or where a row with its unit in parentheses follows (主要指标2025年建筑运行…能源消费总量（亿吨标准煤）11.5).
        enough = len(years) >= 2 or (years and (re.search(r"单位|属性|性质", text[m.start(): m.end() + 6])
                                                or re.match(r"\s*(?:\d{1,2}[.．、]?)?[^。；，\d]{2,40}（[^（）\d]{1,12}）\s*\d",
                                                            text[m.end():])))
        if enough and years == tuple(sorted(years)):
            tail = m.group(0)[m.end("years") - m.start():]
            return m, Header(years, int(bool(re.search(r"新增|累计|增长|增量|年均|变化", tail))))
        pos = m.start() + 1
    return None


def table_targets(text: str, header: Header | None = None, base_year: int | None = None) -> tuple[list[Target], Header | None]:
    """Targets from the table rows in `text`; `header` carries the year columns over from an earlier unit.
    Returns the targets and the header in force at the end of `text`."""
    numbered = numbered_table_targets(text, base_year) or allocation_table_targets(text, base_year)
    if numbered:
        return numbered, None
    found = _header_match(text)
    start = found[0].end() if found else 0  # rows follow their header
    header = found[1] if found else header
    if header is None:
        return [], None
    due = header.years[-1]
    if base_year is not None and due < base_year:
        return [], header
    out: list[Target] = []
    for line in _logical_lines(text[start:]):
        for row in _rows(_attribute_last(line, len(header.years) + header.extra)):
            out.extend(_row_targets(row, header))
    return out, header


# A row whose name pypdf broke over two lines (9．营运车辆单位运输周转量能耗、二氧 / 化碳排放下降率（%）- 4.0、3.5):
# a short line with no figure after its number, no bracket and no sentence punctuation runs on into the next.
_BROKEN_NAME = re.compile(r"\s*(?:\d{1,2}\s*[.．、])?[^\d。；，,（）()\n]{2,30}")


# A table whose attribute column stands before the year columns (类别序号指标名称属性2020年（现状）2025年（目标）, then
# `1地级及以上城市空气质量优良天数比率（%）约束性98.3 98.3 2地级…`; 陇南 423, 德州 451, 广西 565's review table): the
# attribute is moved after the row's cells so that it ends the row as in the usual layout. A cell is at most one per
# column; a bare number of one or two digits run into a name is the next row's number, not a cell.
_ATTR_BEFORE_CELLS = re.compile(rf"\*?\s*(?P<attr>{_ATTRIBUTE})(?=\s*(?!(?:19|20)\d{{2}}\s*年)(?:[\d—－\-/／［\[【〔≥≧≤>＞<＜]|约\d))")


def _attribute_last(line: str, columns: int) -> str:
    if len(_ATTR_BEFORE_CELLS.findall(line)) < 2:
        return line
    cells = re.compile(rf"(?:\s*(?!\d{{1,2}}[\u4e00-\u9fff])(?:{_CELL})){{1,{max(1, columns)}}}")
    out, pos = [], 0
    for m in _ATTR_BEFORE_CELLS.finditer(line):
        if m.start() < pos:
            continue
        c = cells.match(line, m.end())
        if not c:
            continue
        out.append(line[pos: m.start()] + c.group(0) + m.group("attr"))
        pos = c.end()
    return "".join(out) + line[pos:]


# A footnote mark in a table row (重点建设用地安全利用① | —有效保障（≥95%）约束性, 430's 表2): the outline opens a unit
# at a circled number, so the row's name ends one unit and its cells open the next. The mark is followed by the
# row's cells; the name is what follows the last attribute of the unit before, a short phrase without sentence
# punctuation or figures.
_MARK_THEN_CELLS = re.compile(r"^\s*[①-⑳]\s*(?=[—－\-/／\d≥≧≤≦>＞<＜约［\[])")
_CUT_NAME = re.compile(rf"(?:{_ATTRIBUTE})\s*(?P<name>[^。；，,：:\d\n（）()]{{2,40}})\s*$")


def rejoin_marked_row(previous: str, text: str) -> str | None:
    """`text` with the name of its first row put back before its cells, where a footnote mark cut the row off the
    unit before (see _MARK_THEN_CELLS); None where it did not."""
    mark, cut = _MARK_THEN_CELLS.match(text), _CUT_NAME.search(previous)
    if not (mark and cut):
        return None
    return cut.group("name") + text[mark.end():]


def _logical_lines(text: str) -> list[str]:
    out, carry = [], ""
    for line in text.split("\n"):
        if _BROKEN_NAME.fullmatch(line) and not _ROW_END.search(line):
            carry += line.strip()
            continue
        out.append(carry + line)
        carry = ""
    return out + ([carry] if carry else [])


def _rows(line: str) -> list[str]:
    """The rows of one line: each ends with its attribute (约束性…), or, in a table without that column, where a
    value is followed by the next row's name."""
    out, start = [], 0
    for end in [m.end() for m in _ROW_END.finditer(line)] + [len(line)]:
        chunk = line[start:end]
        start = end
        cut = 0
        for m in _NEXT_ROW.finditer(chunk):
            out.append(chunk[cut: m.start()])
            cut = m.end()
        out.append(chunk[cut:])
    return [piece for r in out if r.strip() for piece in _after_labelled_cells(r)]


# A cell that names the part its value is for (30%（全省）35%（重点推进地区）): after its bracket the next row's name may
# follow straight on (…20%（鼓励推进地区）城镇新建政府投资工程中装配式建筑比例70%（重点推进地区）…).
_LABELLED_END = re.compile(rf"(?<=）)(?=(?!{_NOT_NAME}|约束性|预期性|指导性)[\u4e00-\u9fff])")
_LABELLED_CELL = r"\d+(?:\.\d+)?(?:%|‰)?\s*（[^（）\d]{1,12}）"


def _after_labelled_cells(row: str) -> list[str]:
    out, cut = [], 0
    for m in _LABELLED_END.finditer(row):
        if re.search(rf"{_LABELLED_CELL}$", row[cut: m.start()]):
            out.append(row[cut: m.start()])
            cut = m.start()
    return out + [row[cut:]]


# A row of labelled cells under one year column: 城镇新建建筑中装配式建筑比例30%（全省）35%（重点推进地区）….
_LABELLED_ROW = re.compile(rf"^(?P<ind>[^\d（）\n。；]{{2,40}}?)\s*(?P<cells>(?:{_LABELLED_CELL}\s*){{2,6}})$")


# pypdf writes a superscript apart (m 3 /万元); a table continued on the next page repeats its header, and the cut
# may leave the tail of a category cell in brackets before the next row (环境）生态系统国家级…).
_SUPERSCRIPT = re.compile(r"(?<=[A-Za-z]) ([23]) (?=[/／])")
# A repeated header whose 指标 went with the attribute that ends the row before it (…约束性指标 | 2025年属性水环境…).
_HEADER_TAIL = re.compile(r"^\s*(?:(?:19|20)\d{2}\s*年[^0-9（）。；]{0,6}?)+(?:指标属性|指标性质|属性|性质)")
_CONTINUED = re.compile(r"^[^（）\n\d]{0,12}）")


def _row_targets(row: str, header: Header) -> list[Target]:
    """The target of one row (none where the row does not parse); two, where one cell holds two values for the
    row's two indicators (营运车辆单位运输周转量能耗、二氧化碳排放下降率 … 4.0、3.5)."""
    row = _SUPERSCRIPT.sub(r"\1", row.strip())
    if found := _header_match(row):
        row = row[found[0].end():]
    row = _HEADER_TAIL.sub("", row)
    m = _ROW.search(row)
    if not m:
        row = _CONTINUED.sub("", row)
        m = _ROW.search(row)
    if not m:
        return _labelled_row_targets(row, header)
    values = _VALUE.findall(m.group("vals"))
    # Year columns come first; a table may add one or two more (新增, 年均增长) after them. Without the attribute
    # column that ends a row, the cells must be the year columns and the extra columns the header names.
    most = len(header.years) + (2 if m.group("attr") else header.extra)
    if not len(header.years) <= len(values) <= most:
        return []
    cell = values[len(header.years) - 1]
    nums = re.findall(r"\d+(?:\.\d+)?", cell)
    if not nums:
        return []
    qual = re.search(r"左右|以上|以下", cell)
    comparator = ("累计" if re.match(r"[［\[【〔]|累计", cell) else "新增" if cell.startswith("新增") else qual.group(0) if qual else
                  "不低于" if cell.lstrip("新增累计").startswith(("≥", "≧", ">", "＞")) else
                  "不高于" if cell.lstrip("新增累计").startswith(("≤", "≦", "<", "＜")) else "")
    # A second table's header can open the row's line (主要指标2025年既有建筑节能绿色化改造面积).
    indicator = re.sub(r"^[^。；]*?(?:19|20)\d{2}\s*年(?:目标|目标值)?", "", m.group("ind")).strip() or m.group("ind").strip()
    # A bracketed unit as the text layer spaced it (（μ g/m 3 ）, 423) is the unit written without spaces.
    unit = re.sub(r"\s+", "", m.group("unit") or m.group("ucol") or "")
    tail = re.match(rf"(?:、[\d.]+)?(%|‰|{_UNIT_WORDS})", cell[cell.find(nums[0]) + len(nums[0]):])
    if tail and m.group("ucol") in COUNTERS:  # 比例30%: the unit written with the value; 例 ends the name
        indicator, unit = indicator + m.group("ucol"), ""
    if not unit:  # the unit written with the value: 93%左右
        unit = tail.group(1) if tail else ""
    # （土壤与固废环境） is a category, not a unit. A rate or index with no unit written (一般工业固废利用处置率97预期性,
    # …生态环境状况指数>55预期性) keeps its figure as written, in a row that ends with its attribute.
    if len(indicator) < 2 or not (_UNIT_LIKE.search(unit) or not unit and m.group("attr") and _RATIO_NAME.search(indicator)):
        return []
    names = _split_names(indicator, len(nums))
    if names is None:
        return []
    year = int(m.group("due")) if m.group("due") else header.years[-1]  # 100%（2023年）: the cell's own year
    quote = row[m.start("ind"):]
    return [Target(year=year, indicator=name, comparator=comparator, value=num, unit=unit, text=quote)
            for name, num in zip(names, nums)]


def _labelled_row_targets(row: str, header: Header) -> list[Target]:
    """One target per labelled cell of a row under a single year column, each named for its part (…比例（全省）)."""
    m = _LABELLED_ROW.match(row.strip())
    if not m or len(header.years) != 1:
        return []
    name = m.group("ind").strip()
    out = []
    for c in re.finditer(r"(\d+(?:\.\d+)?)(%|‰)?\s*（([^（）\d]{1,12})）", m.group("cells")):
        if not c.group(2):
            return []  # a share is written with its sign; other units would need the name's unit bracket
        out.append(Target(year=header.years[0], indicator=f"{name}（{c.group(3)}）", comparator="", value=c.group(1),
                          unit=c.group(2), text=row.strip()))
    return out


def _split_names(indicator: str, n: int) -> list[str] | None:
    """One name per value: 营运车辆单位运输周转量能耗、二氧化碳排放下降率 with two values → the shared head and tail
    (…能耗下降率 / …二氧化碳排放下降率 are not rebuilt: each part as written)."""
    if n == 1:
        return [indicator]
    parts = indicator.split("、")
    return parts if len(parts) == n else None


# A numbered table with one target column whose columns pypdf ran together on one line (序号 指标 单位 目标值（至2035年）
# then `1占全球种群数量1%以上的水鸟物种数种＞12 2长江河口水生生物旗舰物种种群数量头＞40 3…`, digits full-width in the PDF):
# rows are cut where the next row number follows in sequence; a row's value cells follow its unit column, and a cell
# may name the part it is for (市、区级100 镇级＞95).
_NUMBERED_HEADER = re.compile(r"序\s*号\s*(?:指\s*标|项\s*目)(?:名称)?\s*单\s*位\s*"
                              r"(?:目标值?\s*[（(]?\s*(?:至|到)?\s*(?P<y1>(?:19|20)\d{2})\s*年\s*[）)]?|"
                              r"(?P<y2>(?:19|20)\d{2})\s*年\s*目标值?)")
_UNIT_COLUMN = re.compile(rf"(?:{_UNIT_WORDS}|%|‰)(?:{PER_RE})?(?:[A-Za-z][A-Za-z0-9]*\.?)?")
_CELL_COMPARATOR = {">": "不低于", "≥": "不低于", "不低于": "不低于", "<": "不高于", "≤": "不高于", "不高于": "不高于",
                    "约": "左右"}
_ROW_SPAN = 160  # characters from one row number to the next at most
_CELLS = re.compile(r"\s*(?:(?P<label>[^\d\s<>≥≤]{1,6}?)\s*)?(?P<cmp>[<>≥≤]|不低于|不高于|约)?\s*(?P<num>\d+(?:\.\d+)?)\s*")


def numbered_table_targets(text: str, base_year: int | None = None) -> list[Target]:
    """Targets of a run-together numbered table with one target column (see _NUMBERED_HEADER); [] where the text
    holds none or fewer than three rows follow in sequence."""
    h = _NUMBERED_HEADER.search(text)
    if not h:
        return []
    year = int(h.group("y1") or h.group("y2"))
    if base_year is not None and year < base_year:
        return []
    rest = text[h.end():]
    starts: list[tuple[int, int]] = []
    at = re.match(r"[\s）)]*", rest).end()
    while True:  # row k+1 follows row k within a row's length: 1 at once, then 2, 3 …
        k = len(starts) + 1
        m = re.compile(rf"(?<![\d.]){k}(?=\s*[\u4e00-\u9fff（(A-Za-z])").search(rest, at)
        if not m or m.start() - at > (0 if k == 1 else _ROW_SPAN):
            break
        starts.append((m.start(), m.end()))
        at = m.end()
    if len(starts) < 3:
        return []
    out: list[Target] = []
    for i, (s0, s1) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(rest)
        if i + 1 == len(starts):
            stop = re.search(r"[\n。；]", rest[s1:end])
            end = s1 + stop.start() if stop else end
        raw = rest[s0:end].rstrip()
        out.extend(_numbered_row(raw, rest[s1:end], year))
    return out


def _numbered_row(quote: str, body: str, year: int) -> list[Target]:
    folded = nfkc(body).strip()
    for m in reversed(list(_UNIT_COLUMN.finditer(folded))):
        tail = folded[m.end():]
        cells = list(_CELLS.finditer(tail))
        if not cells or "".join(c.group(0) for c in cells) != tail or m.start() < 2:
            continue
        name = folded[: m.start()].strip()
        unit = m.group(0)
        out = []
        for c in cells:
            comparator = _CELL_COMPARATOR.get(c.group("cmp") or "", "")
            label = (c.group("label") or "").strip("、，, ")
            out.append(Target(year=year, indicator=f"{name}（{label}）" if label else name, comparator=comparator,
                              value=c.group("num"), unit=unit, text=quote))
        return out
    return []


# A table that hands a year's tasks down by place (147 附件 2022年全省营造林任务安排表, 单位:万亩, then the columns 合计 其中:
# 造林小计 人工造林 … and a row per place, the total first): the total row (全省, 全市, 合计 …) states the issuing body's
# own goals for that year, one per column; the rows of the places below it are their shares of the same goals, not
# further targets of the document (docs/targets-convention.md). pypdf runs the column names together, so the targets
# are named by the table and the column's position.
_ALLOCATION_TITLE = re.compile(r"(?P<year>20\d{2})\s*年度?(?P<subject>[^\d。；\n]{0,20}?任务)\s*(?:安排|分解|分配|下达)表")
_ALLOCATION_UNIT = re.compile(rf"\s*单\s*位\s*[:：]\s*(?P<unit>{_UNIT_WORDS})")
_TOTAL_ROW = re.compile(r"(?P<row>全国|全省|全区|全市|全州|全盟|全县|合\s*计|总\s*计)\s*"
                        r"(?P<vals>\d+(?:\.\d+)?(?:[ \t]+\d+(?:\.\d+)?){0,11})(?![\d.])")


def allocation_table_targets(text: str, base_year: int | None = None) -> list[Target]:
    """Targets of a year's task allocation table (see _ALLOCATION_TITLE): the values of its total row, due in the
    table's year; [] where `text` holds no such table or its year has passed."""
    t = _ALLOCATION_TITLE.search(text)
    u = _ALLOCATION_UNIT.match(text, t.end()) if t else None
    if not u:
        return []
    year = int(t.group("year"))
    if base_year is not None and year < base_year:
        return []
    row = _TOTAL_ROW.search(text, u.end(), u.end() + 200)
    if not row:
        return []
    values = row.group("vals").split()
    label = re.sub(r"\s+", "", row.group("row"))
    subject = t.group("subject").strip()
    quote = text[row.start(): row.end()]
    return [Target(year=year, indicator=f"{subject}（{label}，表中第{k}列）" if len(values) > 1 else subject,
                   comparator="", value=v, unit=u.group("unit"), text=quote)
            for k, v in enumerate(values, 1)]
