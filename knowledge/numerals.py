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
