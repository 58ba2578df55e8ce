"""Chinese numerals: the one home for reading them (一 → 1, 二十二 → 22, 一百零三 → 103) and writing them."""
from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int:
    """Chinese numerals up to 9,999: 五 → 5, 十二 → 12, 二十二 → 22, 一百零三 → 103; ASCII digits too."""
    if s.isdigit():
        return int(s)
    if not s:
        raise ValueError("empty numeral")
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in "十百千":
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + current


def cn_to_number(s: str) -> float | None:
    """A figure as amounts write it: ASCII digits with thousands commas and decimals (1,000, 0.5) or Chinese numerals
    read as cn_to_int reads them (五十 → 50.0, 一百二十 → 120.0, 两 → 2.0); None for anything else."""
    s = s.replace(",", "")
    try:
        return float(s)
    except ValueError:
        pass
    try:
        return float(cn_to_int(s))
    except ValueError:
        return None


# Zero as dates write it digit by digit (二〇二二, 二○二二, 二零二二; Ｏ/O where a text layer swaps the circle).
_ZEROS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0}


def cn_digit_string(s: str) -> int:
    """A number written digit by digit, as a date's year is (二〇二二 → 2022, 二○二一 → 2021); ASCII digits too.
    ValueError for anything else (二〇十二 is not such a string)."""
    if s.isdigit():
        return int(s)
    digits = {**_DIGITS, **_ZEROS}
    if not s or any(c not in digits or c == "两" for c in s):
        raise ValueError(f"not a digit-by-digit numeral: {s!r}")
    return int("".join(str(digits[c]) for c in s))


def _written_in(s: str, low: int, high: int, what: str) -> int:
    """A number from `low` to `high` in digits, or in Chinese numerals written as int_to_cn writes it; ValueError
    for anything else."""
    value = int(s) if s.isdigit() else cn_to_int(s)
    if not low <= value <= high or (not s.isdigit() and int_to_cn(value) != s):
        raise ValueError(f"not a {what}: {s!r}")
    return value


def cn_month(s: str) -> int:
    """A month as written (3, 03, 三, 十, 十二) → 1..12; ValueError for anything else (一二, 十三, 13)."""
    return _written_in(s, 1, 12, "month")


def cn_day(s: str) -> int:
    """A day of the month as written (5, 05, 五, 十五, 三十一) → 1..31; ValueError for anything else (一十五, 十一一,
    三十二). Whether the month has that day is the calendar's to say."""
    return _written_in(s, 1, 31, "day")


def int_to_cn(n: int) -> str:
    """22 → 二十二, 105 → 一百零五 (the forms documents use for counts and headings; up to 9,999)."""
    if n == 0:
        return "零"
    if n >= 10000:
        return str(n)
    digits = "零一二三四五六七八九"
    out, zero = "", False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
            out += ("" if (value == 10 and d == 1 and not out) else digits[d]) + name
            zero = False
        elif out:
            zero = True
    return out
