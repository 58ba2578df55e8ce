"""Application windows of support items: dates as notices write them (with a weekday, a time, dots, a part of a
month), ranges, start/end pairs and deadlines in one sentence (as written → ISO), a call's distinct windows, the
notice's issue date and the year a yearless date takes. Pure functions on strings, no I/O.

Vocabulary comes from the support documents of the development corpus (`../shared/corpus-dc/`: 309, 315, 583, 265,
277, 283) and common notice wording; each list says which."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

# A date, with what notices commonly write after it kept inside the match: the weekday in brackets (2022年2月28日（周一）,
# 265) and a time, with 上午/下午 before it (2022年3月1日上午9:00) — so a range or a deadline cue after them still joins.
_AFTER_DATE = (r"(?:\s*[（(](?:星期|周)[一二三四五六日天][）)])?"
               r"(?:\s*(?:上午|下午|中午|晚上)?\s*(?:(?P<h>\d{1,2})\s*[:：时点](?:\s*(?P<min>\d{2}))?分?)?)?")
DATE_RE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]" + _AFTER_DATE)
# … and dates written with dots (common in forms and annex tables: 2022.3.1-2022.3.31): a year is required, so a
# version or a section number (2.3.1) is no date.
DOT_DATE_RE = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d{2})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?![\d.])" + _AFTER_DATE)
# The end of a range written as a day alone, in the start's month (common: 2022年3月1日至31日, 3月1日-31日).
DAY_END_RE = re.compile(r"(?P<d>\d{1,2})\s*[日号]" + _AFTER_DATE)

# A range: A至B, A—B, A-B, A到B (309: 2022年7月4日至2022年7月24日18时; 583: …8:30至…18:00止).
# … and A起至B止, A开始，至B结束 (common notice wording).
# … and A起，至B止 (a comma after 起, common too).
RANGE_SEP_RE = re.compile(r"\s*(?:(?:起|开始)[，,]?)?\s*(?:至|到|—+|－|-|~|～)\s*")
# An end without a start: 截止, 止, 前 (…前报送, 截至…).
DEADLINE_AFTER_RE = re.compile(r"^\s*(?:\d{1,2}[:：]\d{2})?\s*(?:前|之前|止|截止|为截止)")
# … and common variants: 截止到/截止至 a date, 即日起—B (a dash for 至).
# … and a date in brackets after the cue (common: 申报截止时间（2021年12月23日）, 277).
# … and the deadline day (common: 申报截止日为…; support25, a written example: no open document writes it).
DEADLINE_BEFORE_RE = re.compile(r"(?:截止(?:时间|日期|日)?(?:[（(][^（）()]{0,20}[）)])?(?:为|是|：|:|到|至|[（(])?|截至|于|在|"
                                r"即日起\s*(?:至|到|—+|－|-|~|～)|起至)\s*$")
# A start given on its own (315: 项目网上填报起始时间为2022年7月4日9:00，截止时间…为2022年7月21日16:30).
START_BEFORE_RE = re.compile(r"(?:起始|开始|启动)(?:时间|日期)?(?:为|是|：|:)?\s*$|自\s*$")
# … or a start marked after it, its end in the next clause (common: 申报工作于2022年4月15日开始，5月15日截止; A起受理，B止).
# … and an application system opened and closed on two dates (common: 申报系统于2022年6月1日开放，6月30日关闭), the same
# construction with the system's verbs (support25; no open corpus-dc document writes it: a written example).
START_AFTER_RE = re.compile(r"\s*(?:起|开始|开放|启动)")
END_AFTER_RE = re.compile(r"\s*(?:前|之前|止|截止|结束|关闭)")


@dataclass(frozen=True)
class Window:
    start: str  # as written ("" when none)
    end: str
    start_iso: str | None
    end_iso: str | None


def iso(m: re.Match, year: str | None) -> str | None:
    y = m.group("y") or year
    if not y:
        return None
    try:
        return f"{int(y):04d}-{int(m.group('m')):02d}-{int(m.group('d')):02d}"
    except ValueError:
        return None


# A part of a month as notices write deadlines (common: 请于3月底前报送, 2022年3月中旬前, 6月末): the last day of the month,
# the 10th (上旬) or the 20th (中旬). Read only where the sentence is an application window for certain (a window cue,
# the applicant applying, the application papers: `approximate`), since plans date their own tasks so (每年12月底前…
# 报送, 于3月底前报送至…: 24 open corpus-dc documents write a month part, none as an application window).
MONTH_PART_RE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?:份\s*)?(?P<part>底|末|上旬|中旬|下旬)")


class _MonthPart:
    """A month part read as a date: the re.Match interface windows_in uses, with the day it stands for."""

    def __init__(self, m: re.Match):
        self._m = m
        month, year = int(m.group("m")), int(m.group("y") or 2001)  # 2001: no leap year when none is written
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 30
        self._d = {"上旬": 10, "中旬": 20}.get(m.group("part"), last)

    def start(self) -> int:
        return self._m.start()

    def end(self) -> int:
        return self._m.end()

    def group(self, name=0):
        return str(self._d) if name == "d" else self._m.group(name)


def month_day(text: str) -> tuple[int, int] | None:
    """The month and day a date without a year stands for (3月15日, 3月底 → its last day)."""
    m = re.match(r"\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]", text or "")
    if m:
        return int(m.group(1)), int(m.group(2))
    m = MONTH_PART_RE.match((text or "").strip())
    return (int(m.group("m")), int(_MonthPart(m).group("d"))) if m else None


def windows_in(sentence: str, approximate: bool = False) -> list[Window]:
    """Date ranges (A至B, A至31日), start/end pairs (起始时间为A，截止时间为B; A开始，B截止) and deadlines (B前, 截止B) in
    one sentence, in order; an end without a year takes the start's. `approximate`: month parts (3月底前) too."""
    out: list[Window] = []
    parts = [_MonthPart(m) for m in MONTH_PART_RE.finditer(sentence)] if approximate else []
    dates = sorted([*DATE_RE.finditer(sentence), *DOT_DATE_RE.finditer(sentence), *parts], key=lambda m: m.start())
    i = 0
    while i < len(dates):
        a = dates[i]
        b = dates[i + 1] if i + 1 < len(dates) else None
        between = sentence[a.end():b.start()] if b is not None else ""
        if b is not None and (RANGE_SEP_RE.fullmatch(between) or (
                START_BEFORE_RE.search(sentence[:a.start()]) and DEADLINE_BEFORE_RE.search(sentence[:b.start()])) or (
                START_AFTER_RE.match(between) and "。" not in between and END_AFTER_RE.match(sentence[b.end():]))):
            out.append(Window(a.group(0).strip(), b.group(0).strip(), iso(a, None), iso(b, a.group("y"))))
            i += 2
            continue
        sep = RANGE_SEP_RE.match(sentence, a.end())
        day = DAY_END_RE.match(sentence, sep.end()) if sep and sep.group(0).strip() else None
        if day and (b is None or day.start() < b.start()):  # 2022年3月1日至31日: the end in the start's month
            end_iso = None
            if a.group("y"):
                end_iso = f"{int(a.group('y')):04d}-{int(a.group('m')):02d}-{int(day.group('d')):02d}"
            out.append(Window(a.group(0).strip(), day.group(0).strip(), iso(a, None), end_iso))
            i += 1
            continue
        if DEADLINE_AFTER_RE.match(sentence[a.end():]) or DEADLINE_BEFORE_RE.search(sentence[:a.start()]):
            out.append(Window("", a.group(0).strip(), None, iso(a, None)))
        i += 1
    return out


# A window for paper only (309 书面材料受理时间) beside another: the applicant's online window is the call's.
# … paper: 书面, 纸质, 纸本 (309), sent by post (common: 邮寄, 寄送, 以邮戳为准); online: 网上, 网络, 在线 (309, 583, 265) and
# common 线上, a system or platform filled in (系统填报, 申报平台).
_PAPER_ONLY_RE = re.compile(r"书面|纸质|纸本|邮寄|寄送|邮戳")
_ONLINE_RE = re.compile(r"网上|网络|在线|线上|系统|平台")


def paper_only(sentence: str) -> bool:
    """A window for the papers alone (书面材料受理时间…; 纸质材料请于…前寄送), not the application made online."""
    return bool(_PAPER_ONLY_RE.search(sentence)) and not _ONLINE_RE.search(sentence)


def replaces(current: dict | None, w: Window, sentence: str, strong: bool) -> bool:
    """Whether a window read in a later sentence is the document's rather than `current` (read before, with its
    `strong` flag): the first one; a stronger cue's (a window cue, the applicant applying, the papers); the full
    window of a deadline read before (277: 截止时间（2021年12月23日） …, then 申报时间为2021年11月23日至12月23日); an
    online or unqualified window over a paper-only one."""
    if current is None:
        return True
    if not strong:
        return False
    return not current["strong"] or bool(w.start and not current["start"] and w.end_iso == current["end_iso"]) or \
        paper_only(current["sentence"]) and not paper_only(sentence)


def call_windows(windows: list[dict]) -> list[dict]:
    """The distinct application windows of a call, in order: one per (start, end), a paper-only window dropped
    when another is stated."""
    seen, out = set(), []
    for w in windows:
        key = (w["start_iso"], w["end_iso"], w["start"], w["end"])
        # the deadline of a window the notice states in full elsewhere (277: 截至揭榜申报截止时间（2021年12月23日）… and
        # 项目申报时间为2021年11月23日9:00至2021年12月23日17:00): the same call
        again = not w["start"] and w["end_iso"] and any(o["end_iso"] == w["end_iso"] and o is not w and
                                                         (o["start"] or o in out) for o in windows)
        if key in seen or again:
            continue
        seen.add(key)
        out.append(w)
    online = [w for w in out if not paper_only(w["sentence"])]
    return online or out[:1]


# The issue date of a notice: a full date closing a line, after the issuer's name (283: …福建省科学技术厅2021年10月18日).
_ISSUED_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")


def issue_date(units) -> tuple[int, int, int] | None:
    for u in units:
        for line in u.text.splitlines():
            line = line.strip()
            m = _ISSUED_RE.search(line)
            # on a line of its own, or right after the issuing organ (…科学技术局2022年1月30日, 265; …厅, 283/583)
            if m and (m.start() == 0 or line[m.start() - 1] in _ORGAN_ENDS):
                return int(m.group(1)), int(m.group(2)), int(m.group(3))
    return None


# A call for a year's projects names that year in its title (无锡 关于组织申报2022年度省碳达峰碳中和科技创新专项资金项目的通知;
# common: 关于征集2023年…项目的通知, 申报2022年度…专项).
_CALL_YEAR_RE = re.compile(r"(?:申报|征集|推荐|申请)[^，。；\n]{0,6}?(\d{4})\s*年")


def call_year(units) -> tuple[int, int, int] | None:
    """The year a call names for itself in its title (the first line of the document), as a date to read yearless
    deadlines by when the notice's issue date is not in the text (a page cut before the signature): 1 January of
    it, so a deadline's month and day fall in that year."""
    first = next((u.text.strip().split("\n")[0] for u in units if u.text.strip()), "")
    m = _CALL_YEAR_RE.search(first)
    return (int(m.group(1)), 1, 1) if m else None


# The last character of an issuing organ's name (厅, 局, 委, 委员会, 人民政府, 办公室, 部, 中心, 院, a name in brackets).
_ORGAN_ENDS = set("厅局委会府室部心院）)")




def with_year(window: dict, issued: tuple[int, int, int] | None) -> dict:
    """A window whose dates are written without a year (请于3月15日前报送) takes the year of the notice's issue date,
    or the next year when the month and day fall before it. The end is dated first; a yearless start then takes
    the end's year, or the year before when its month and day come after the end's (12月20日至1月10日), so a
    window never starts after it ends."""
    if issued is None or (window.get("end_iso") or not window.get("end")) and \
            (window.get("start_iso") or not window.get("start")):
        return window
    out = dict(window)

    end_md = month_day(out.get("end") or "")
    if end_md and not out.get("end_iso"):
        year = issued[0] + (1 if end_md < issued[1:] else 0)
        out["end_iso"] = f"{year:04d}-{end_md[0]:02d}-{end_md[1]:02d}"
    start_md = month_day(out.get("start") or "")
    if start_md and not out.get("start_iso"):
        end = re.match(r"(\d{4})-(\d{2})-(\d{2})", out.get("end_iso") or "")
        if end:
            end_year, end_key = int(end.group(1)), (int(end.group(2)), int(end.group(3)))
            year = end_year - (1 if start_md > end_key else 0)
        else:
            year = issued[0] + (1 if start_md < issued[1:] else 0)
        out["start_iso"] = f"{year:04d}-{start_md[0]:02d}-{start_md[1]:02d}"
    return out
