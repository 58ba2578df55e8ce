"""Figures in Chinese text and whether an answer's figures are supported by its sources (numeric faithfulness).

Pure functions: `extract_numbers`, `number_in_text`, `unsupported_numbers`. The units that may follow a figure are
knowledge.units.FIGURE_UNITS, the list the answer guard reads figures with.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from knowledge.text import fold, nfkc
from knowledge.units import FIGURE_UNITS


_MAG = "[万亿千百]"
_UNIT_RE = "|".join(re.escape(u) for u in FIGURE_UNITS)
# A figure: digits (1,000 and 9.5 allowed), then lazily a magnitude, then a unit; or a bare magnitude.
_NUMBER_RE = re.compile(
    rf"(?<![\d.])\d+(?:,\d{{3}})*(?:\.\d+)?(?:{_MAG}*?(?:{_UNIT_RE})|{_MAG}+)?"
)
# Not figures: citation markers [1] [1,2] 【3】, list numbering at a line start (1. 2、 3)),
# parenthesised item numbers (1), and ordinals 第3条.
_CITATION_RE = re.compile(r"[\[【]\s*\d+(?:\s*[,，、\-–]\s*\d+)*\s*[\]】]")
_LIST_NO_RE = re.compile(r"(?m)^[ \t]*(?:[-*•·][ \t]*)?\d{1,2}[.、)](?!\d)")
_PAREN_NO_RE = re.compile(r"\(\d{1,2}\)")
_ORDINAL_RE = re.compile(r"第\d+")


# Circled item numbers (①, ⑳: sub-item labels such as （七）②) are numbering, not figures; NFKC would turn them into
# bare digits, so they go before it.
_CIRCLED_RE = re.compile(r"[\u2460-\u2473\u24f5-\u24fe\u2776-\u277f]")


def _strip_non_figures(text: str) -> str:
    text = nfkc(_CIRCLED_RE.sub(" ", text))
    for pattern in (_CITATION_RE, _LIST_NO_RE, _PAREN_NO_RE, _ORDINAL_RE):
        text = pattern.sub(" ", text)
    return text


def _compact(text: str) -> str:
    """Normalised text with thousands separators dropped: 1,000 → 1000 (and 2030 年 → 2030年). Figures that only
    white space separates (table cells: 874.6 1100) stay apart."""
    text = re.sub(r"(?<=\d)[ \t\u3000]+(?=\d)", "|", nfkc(text))
    return re.sub(r"(?<=\d),(?=\d{3})", "", fold(text))


def extract_numbers(text: str) -> list[str]:
    """Every figure in Chinese text with its unit: quantities, percentages, years, amounts.

    "到2030年达到1000万千瓦" → ["2030年", "1000万千瓦"]. Citation markers ([1]), list numbering
    ("1." at a line start, "(2)") and ordinals (第3条) are not figures. Chinese numerals (二十二) are
    not extracted: they are too often words (一体化, 统一). Returned normalised (NFKC, no spaces,
    no thousands separators), in order of appearance.
    """
    # Strip markers line by line first (list numbering needs line starts), then compact the text so
    # that "2030 年" reads as "2030年".
    return _NUMBER_RE.findall(_compact(_strip_non_figures(text)))


def number_in_text(number: str, text: str) -> bool:
    """True when the figure `number` (as from `extract_numbers`) occurs in `text` as a whole figure.

    "10%" is not found in "110%", and "9" is not found in "9.5".
    """
    token = _compact(number)
    if not token:
        return False
    tail = r"(?!\d)(?!\.\d)" if token[-1].isdigit() else ""
    return re.search(rf"(?<![\d.]){re.escape(token)}{tail}", _compact(text)) is not None


def unsupported_numbers(answer: str, sources: Iterable[str]) -> list[str]:
    """Figures of `answer` that appear in none of `sources` (deduplicated, in order)."""
    sources = list(sources)
    out: list[str] = []
    for n in extract_numbers(answer):
        if n not in out and not any(number_in_text(n, s) for s in sources):
            out.append(n)
    return out
