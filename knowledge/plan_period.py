"""The time of a document's goals: the year its plan period ends (“十四五” → 2025, （2021-2025年）, a plan for one
year) and the year it was written, before which a bare year describes the past. Pure functions; knowledge.targets
dates each figure with them."""
from __future__ import annotations

import re

from knowledge.model import Document

# A five-year plan period ends in a known year: “十四五”末 → 2025.
PLAN_END = {"十四": 2025, "十五": 2030, "十六": 2035}
# A span's dash as typists write it: hyphen, en/em dash, horizontal bar (2022―2025年), full-width hyphen-minus.
_TITLE_SPAN = re.compile(r"(20\d{2})\s*年?\s*[-—–―‒－~～至到]\s*(20\d{2})\s*年")
# A plan for one year (上海市2021年…重点工作安排, 江苏省2022年…工作计划, 2022年能源工作指导意见, …2022年措施任务清单): its
# goals are due in that year. The kinds are those of annual work plans in corpus-dc; notices (关于…的通知) and
# allocation schemes (2020年碳排放配额分配方案) are not plans of work.
_ANNUAL_PLAN = re.compile(r"(20\d{2})\s*年度?(?!前|版)[^\d（）()]{0,30}?"
                          r"(?:工作要点|工作安排|工作计划|行动计划|任务清单|措施清单|工作指导意见)(?:（[^）]{1,12}）)?$")
# A notice that hands a year's tasks down (147 关于下达2022年营造林任务的通知; the forms 下达…年度…任务 and …年…任务分解/安排
# of allocation notices): a quantified task for a year is a goal due in that year (docs/targets-convention.md), and the
# notice is written at that year's start, so the year is its own time, not a past one. Allocation schemes of trading
# quotas (2020年度用能权指标分配方案, 2021年度碳排放配额安排) name no 任务 and stay out.
_TASK_YEAR = re.compile(r"下达[^，。；\d]{0,12}?(20\d{2})\s*年度?[^\d，。；]{0,20}?任务"
                        r"|(20\d{2})\s*年度?[^\d，。；]{0,20}?任务(?:分解|安排|分配)")


def plan_end_of(title: str) -> int | None:
    """The year a plan's period ends, from its title: “十四五” → 2025, （2021-2025年） → 2025, a plan for one year
    (2022年…工作要点) → that year; None otherwise."""
    m = re.search(r"十([四五六])五", title)
    if m:
        return PLAN_END["十" + m.group(1)]
    m = _TITLE_SPAN.search(title) or _ANNUAL_PLAN.search(title)
    if m:
        return int(m.group(m.lastindex))
    m = _TASK_YEAR.search(title)
    return int(m.group(1) or m.group(2)) if m else None


_YEAR = re.compile(r"(20\d{2})\s*年")


def year_spans(text: str) -> list[tuple[int, int]]:
    """The years a title or a question names, as spans (first, last): a five-year plan (“十四五” → 2021-2025), a
    span (2021-2023年, 2022―2025年), a year (2022年, 2021年度). The scope model reads a question's years against
    a title's."""
    spans = [(PLAN_END["十" + m.group(1)] - 4, PLAN_END["十" + m.group(1)]) for m in re.finditer(r"十([四五六])五", text)]
    rest = text
    for m in _TITLE_SPAN.finditer(text):
        spans.append((int(m.group(1)), int(m.group(2))))
        rest = rest.replace(m.group(0), " ")
    spans += [(int(y), int(y)) for y in _YEAR.findall(rest)]
    return list(dict.fromkeys(spans))


def base_year_of(doc: Document) -> int | None:
    """The year the document was written: its issue date, else the first year of a five-year plan its title names
    (“十四五” → 2021) or the year before the period it names, else the year after its latest baseline (see
    known_year), else None. A bare year up to it describes the past, not a due year."""
    issued = doc.meta.get("issued", "") if doc.meta else ""
    m = re.match(r"(20\d{2})", issued)
    if m:
        return int(m.group(1))
    m = re.search(r"十([四五六])五", doc.title)
    if m:
        return {"四": 2021, "五": 2026, "六": 2031}[m.group(1)]
    # 行动方案（2022-2025年）, 2022年行动计划: written before the first year of the period the title names, whose
    # goals are due from that year on.
    m = _TITLE_SPAN.search(doc.title) or _ANNUAL_PLAN.search(doc.title) or _TASK_YEAR.search(doc.title) \
        or re.search(r"(20\d{2})\s*年度?(?:行动|工作|实施|计划|措施|任务|要点)", doc.title)
    if m:
        return int(next(g for g in m.groups() if g)) - 1
    return known_year("\n".join(u.text for u in doc.units()))


# Years whose figures a text already knows: a baseline (比2020年, 较2020年), a reporting date (截至2020年底), a span
# that has passed (2016年以来). The text was written after the latest of them.
_KNOWN = re.compile(r"(?:(?<!占)比|较|相比|相较|与)(20\d{2})\s*年|(?:截至|截止到?|截止至)(20\d{2})\s*年|(20\d{2})\s*年以来")


def known_year(text: str) -> int | None:
    """The year after the latest year whose figures `text` reports as known (比2020年下降… → 2021); None when it
    reports none. A document without a date or a period in its title is dated by its own baselines."""
    years = [int(next(g for g in m.groups() if g)) for m in _KNOWN.finditer(text)]
    return max(years) + 1 if years else None
