"""Is a text real Chinese text? Character counts (`text_stats`), the garble and no-text-layer rules, and the
text-file decoding and page split, for `ingest.loaders`.

`text_stats` counts with regular expressions whose character classes are built once from `unicodedata` (the
same categories the rules are defined by), so it gives exactly the counts of a per-character loop over
`unicodedata.category` (tests/test_textcheck.py compares the two on every code point and on real PDFs) at a
fraction of the cost (the loop ran on the ingest thread for every parsed page).
"""
from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from typing import NamedTuple

# Garble / no-text thresholds, measured on the development corpus (share of Han characters among all
# letters: 0.969–1.000 for every good PDF, 0.063 for the garbled 广东 PDF, whose text layer maps glyphs
# to Arabic, Hangul, Cyrillic, Malayalam… code points).
MIN_HAN_SHARE = 0.30
MAX_BAD_SHARE = 0.05  # U+FFFD, private-use and control characters among letters + those
MIN_LETTERS_PER_PAGE = 20  # below this on average a PDF has no real text layer (scanned or blank)
PAGE_CHECK_MIN_LETTERS = 50  # pages shorter than this are too small to call garbled


class TextStats(NamedTuple):
    letters: int  # Unicode letters of any script (Han included)
    han: int  # CJK ideographs
    latin: int  # Latin letters (ASCII, accented, full-width)
    bad: int  # U+FFFD, private-use, control characters other than tab/newline/form feed

    @property
    def han_share(self) -> float:
        return self.han / self.letters if self.letters else 0.0

    @property
    def bad_share(self) -> float:
        total = self.letters + self.bad
        return self.bad / total if total else 0.0


def _is_han(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x323AF)


def _is_latin(ch: str) -> bool:
    o = ord(ch)
    return o < 0x250 or 0xFF21 <= o <= 0xFF5A


def char_class(ch: str) -> tuple[bool, bool, bool, bool]:
    """(letter, han, latin, bad) for one character: the definition the counts follow. A letter is any
    Unicode letter (category L*); han and latin are letters in those blocks; bad is U+FFFD, a private-use
    character or a control character other than tab, newline, carriage return, form feed, vertical tab."""
    cat = unicodedata.category(ch)
    if cat[0] == "L":
        return True, _is_han(ch), _is_latin(ch), False
    return False, False, False, ch == "\ufffd" or cat == "Co" or (cat == "Cc" and ch not in "\t\n\r\f\v")


def _class_pattern(codes: list[int]) -> re.Pattern:
    """A regex matching a run of the code points `codes` (sorted), written as ranges of a character class."""
    parts, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = codes[i], codes[j]
        parts.append(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
        i = j + 1
    return re.compile("[" + "".join(parts) + "]+" if parts else "(?!)")


ASTRAL = re.compile("[\U00010000-\U0010FFFF]+")


@functools.cache
def _patterns() -> tuple[re.Pattern, ...]:
    """The four classes of `char_class` over the Basic Multilingual Plane as regexes, built once per process from
    each code point's category (str.isalpha is exactly "category L*"): ~0.07 s. `re` checks a character against
    a BMP-only class with a bitmap. The planes above are not built (that took ~0.4 s on a quiet machine, and
    several seconds under load, in every ingest process that met one such character): their characters are
    rare, and `text_stats` classes them one at a time."""
    every = "".join(map(chr, range(0x10000)))
    letters = [ord(c) for c in every if c.isalpha()]
    bad = sorted({i for i, cat in enumerate(map(unicodedata.category, every))
                  if (cat == "Co" or cat == "Cc") and char_class(every[i])[3]} | {0xFFFD})
    han = [o for o in letters if _is_han(chr(o))]
    latin = [o for o in letters if _is_latin(chr(o))]
    return tuple(_class_pattern(c) for c in (letters, han, latin, bad))


def _count(patterns: tuple[re.Pattern, ...], text: str) -> list[int]:
    return [sum(map(len, p.findall(text))) for p in patterns]


def text_stats(text: str) -> TextStats:
    """Counts of `char_class` over the text: the lengths of the runs each class's regex finds, in C instead of
    a loop in Python (about 3x faster on the development corpus' pages). Characters above U+FFFF are rare and
    are classed one at a time."""
    counts = _count(_patterns(), text)
    if ASTRAL.search(text):
        for ch in "".join(ASTRAL.findall(text)):
            for k, hit in enumerate(char_class(ch)):
                counts[k] += hit
    return TextStats(*counts)


def garbled_reason(stats: TextStats, what: str = "文件内容") -> str | None:
    """Why a text is not usable Chinese text, or None. Assumes stats.letters > 0."""
    if stats.bad_share > MAX_BAD_SHARE:
        return (f"{what}是乱码：{stats.bad_share:.0%} 的字符无法识别（替换符、私用区或控制字符），"
                "可能是编码或字体映射错误")
    if stats.han_share < MIN_HAN_SHARE:
        share = f"汉字只占文字的 {stats.han_share:.0%}（中文文件在 {MIN_HAN_SHARE:.0%} 以上）"
        if stats.latin * 2 >= stats.letters:  # readable, just not Chinese: say so rather than "garbled"
            return f"{what}不是中文：{share}，大部分是拉丁字母；本系统只处理中文文件"
        return f"{what}是乱码：{share}，其余是其他文种的字符，多半是字体编码映射错误"
    return None


def decode_text(data: bytes) -> str | None:
    """UTF-16 when it carries a BOM; else UTF-8 (BOM optional); else GB18030 (a superset of GBK/GB2312)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def split_pages(text: str) -> list[str]:
    """Form feeds separate pages (pdftotext style, which also ends the last page with one)."""
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    return pages


def _group_pages(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers[:10]) + ("…" if len(numbers) > 10 else "")


def check_pdf_pages(pages: list[str]) -> tuple[str | None, list[str]]:
    """(refusal reason or None, warnings) for a PDF's extracted page texts."""
    per_page = [text_stats(p) for p in pages]
    total = TextStats(*(sum(col) for col in zip(*per_page))) if per_page else TextStats(0, 0, 0, 0)
    if not pages or total.letters < MIN_LETTERS_PER_PAGE * len(pages):
        return ("PDF 没有文字层（可能是扫描件或空白页），无法提取文字；请先做文字识别（OCR）"
                "或提供文字版"), []
    reason = garbled_reason(total, "PDF 文字层")
    if reason:
        return reason + "；请提供文字版或先做文字识别（OCR）", []
    warnings = []
    empty = [i for i, s in enumerate(per_page, 1) if s.letters == 0]
    if empty:
        warnings.append(f"第 {_group_pages(empty)} 页没有可提取的文字（空白页或扫描页）")
    garbled = [i for i, s in enumerate(per_page, 1)
               if s.letters >= PAGE_CHECK_MIN_LETTERS and garbled_reason(s)]
    if garbled:
        warnings.append(f"第 {_group_pages(garbled)} 页文字层疑似乱码")
    return None, warnings


