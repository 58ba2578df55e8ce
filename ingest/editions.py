"""Which of two editions of one document (same title) to keep when both arrive in one ingest.

The rule, so the outcome never depends on the order files are listed in:
1. the later 成文/发布/印发 date (an edition that states one after one that does not);
2. else the original (PDF, Word …) over a plain-text extraction;
3. else the later file modification time;
4. else the later file name (so a re-run decides the same way).
One rule for a batch and for the library: knowledge.editions.newer_edition.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from knowledge.editions import newer_edition
from knowledge.numerals import cn_day, cn_digit_string, cn_month

_CN_YEAR = r"[〇○零Ｏ一二三四五六七八九]{4}"
_CN_SMALL = r"[一二三四五六七八九十]{1,3}"
# A labelled date anywhere: 成文日期：2024年3月15日 / 发布日期：2024-03-15 / 印发日期 2024.3.15
_LABELLED = re.compile(r"(?:成文|发布|印发|发文|公布)(?:日期|时间)\s*[:：]?\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
# A line that is only a date (the 成文日期 under the issuing organ), in Arabic or Chinese numerals.
_DATE_LINE = re.compile(r"^\s*[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[）)]?\s*$")
_CN_DATE_LINE = re.compile(rf"^\s*[（(]?\s*({_CN_YEAR})\s*年\s*({_CN_SMALL})\s*月\s*({_CN_SMALL})\s*日\s*[）)]?\s*$")


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d) if 1949 <= y <= 2100 else None
    except ValueError:
        return None


def issued_date(pages: list[str]) -> date | None:
    """The document's 成文/发布 date: a labelled date, else the last line that is only a date (the
    signature block), else None. Deadlines inside the text (2025年12月31日前完成) are not such lines."""
    text = "\n".join(pages or [])
    m = _LABELLED.search(text)
    if m:
        found = _valid(*map(int, m.groups()))
        if found:
            return found
    last: date | None = None
    prev = ""
    for line in text.splitlines():
        before, prev = prev, (line.strip() or prev)
        if len(line) > 24:
            continue
        # A date in brackets under a quoted title is that title's date: the documents a guide draws on, listed
        # one per line (《中共中央 国务院关于…的意见》 / （2021年9月22日）, corpus-dc 493), not the signature's.
        if re.match(r"^\s*[（(]", line) and before.endswith(("》", "〉")):
            continue
        m = _DATE_LINE.match(line)
        if m:
            last = _valid(*map(int, m.groups())) or last
            continue
        m = _CN_DATE_LINE.match(line)
        if m:
            try:  # a malformed numeral (十一一, 一十五) dates nothing
                last = _valid(cn_digit_string(m.group(1)), cn_month(m.group(2)), cn_day(m.group(3))) or last
            except ValueError:
                pass
    return last


@dataclass(frozen=True)
class Edition:
    name: str  # file name
    issued: date | None
    mtime: float

    @classmethod
    def of(cls, path: Path, pages: list[str]) -> "Edition":
        try:
            mtime = Path(path).stat().st_mtime
        except OSError:
            mtime = 0.0
        return cls(Path(path).name, issued_date(pages), mtime)


def newer(a: Edition, b: Edition) -> bool:
    """True when edition `a` should replace edition `b` (see the module docstring)."""
    def facts(e: Edition) -> tuple[str, float, str]:
        return (e.issued.isoformat() if e.issued else "", e.mtime, e.name)

    return newer_edition(facts(a), facts(b))
