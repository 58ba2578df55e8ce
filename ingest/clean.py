"""Text cleaning for text extracted from policy PDFs: pure functions, no I/O.

What pypdf (and PDF-to-text tools) leave behind: running footers such as `— 7 —` and repeated headers,
sentences hard-broken at every line and across pages, spaces between CJK characters and digits
(`2030 年`), full-width digits and letters. Cleaning removes those and keeps every sentence.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

# `— 7 —`, `- 2 -`, `－3－`, `第 4 页`, `第4页 共9页`, a lone page number.
_FOOTER = re.compile(
    r"^\s*(?:[—\-－–~～_]+\s*\d{1,3}\s*[—\-－–~～_]*|[—\-－–~～_]*\s*\d{1,3}\s*[—\-－–~～_]+"
    r"|第\s*\d{1,3}\s*页(?:\s*[，,/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$"
)
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…·"
# Whitespace that touches a CJK character or CJK punctuation carries no meaning in Chinese text.
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}])")
_MULTI_SPACE = re.compile(r"[ \t\u00a0]{2,}")

# Heading starts, used to decide where a hard-broken line begins a new paragraph.
CN_NUM = "一二三四五六七八九十百零〇"
HEADING_START = re.compile(
    rf"^(?:[{CN_NUM}]{{1,3}}、|（[{CN_NUM}]{{1,3}}）|\(?[{CN_NUM}]{{1,3}}\)|\d{{1,2}}[．.、](?!\d)"
    rf"|（\d{{1,2}}）|第[{CN_NUM}\d]{{1,4}}[章条节]|[①-⑳])"
)
_PARA_END = tuple("。！？；：")


def to_halfwidth_alnum(text: str) -> str:
    """Full-width digits, letters, %, . and spaces to ASCII; CJK punctuation stays as it is."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
            out.append(chr(code - 0xFEE0))
        elif ch in "％":
            out.append("%")
        elif ch == "\u3000":
            out.append(" ")
        elif ch in "(":
            out.append("（")
        elif ch in ")":
            out.append("）")
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def squeeze_spaces(line: str) -> str:
    """Drop spaces next to CJK text (`到 2030 年` → `到2030年`), fold runs of spaces elsewhere."""
    line = _SPACE_NEAR_CJK.sub("", line)
    return _MULTI_SPACE.sub(" ", line).strip()


def is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line))


def repeated_edge_lines(pages: list[list[str]]) -> set[str]:
    """Lines standing first or last on at least half of the pages (3 or more): running headers/footers."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {ln for ln in lines[:2] + lines[-2:] if ln}
        counts.update(edges)
    return {ln for ln, n in counts.items() if n >= max(3, len(pages) // 2) and len(ln) <= 40}


@dataclass(frozen=True)
class CleanText:
    text: str  # paragraphs separated by "\n"
    page_starts: tuple[int, ...]  # offset in `text` where page i+1 begins

    def page_at(self, offset: int) -> int:
        page = 1
        for i, start in enumerate(self.page_starts):
            if offset >= start:
                page = i + 1
            else:
                break
        return page


def _needs_space(left: str, right: str) -> bool:
    return bool(left and right and left[-1].isascii() and left[-1].isalnum()
                and right[0].isascii() and right[0].isalnum())


def clean_pages(pages: list[str]) -> CleanText:
    """Clean raw page texts and join them into paragraphs, keeping where each page starts."""
    split = []
    for raw in pages:
        raw = to_halfwidth_alnum(raw.replace("\r\n", "\n").replace("\r", "\n"))
        lines = [ln.rstrip() for ln in raw.split("\n")]
        split.append([ln for ln in lines if ln.strip()])
    repeated = repeated_edge_lines([[squeeze_spaces(ln) for ln in p] for p in split])

    # Typical line length tells a short last line of a paragraph from a hard-broken full line.
    lengths = sorted(len(squeeze_spaces(ln)) for p in split for ln in p)
    typical = lengths[int(len(lengths) * 0.75)] if lengths else 0

    paragraphs: list[str] = []
    page_starts: list[int] = []
    current = ""
    offset_done = 0  # length of text in finished paragraphs (each + "\n")
    prev_line = ""
    for page in split:
        page_starts.append(offset_done + len(current))
        for raw_line in page:
            indented = bool(re.match(r"^[ \t\u3000]{2,}", raw_line))
            line = squeeze_spaces(raw_line)
            if not line or is_footer(line) or line in repeated:
                continue
            starts_paragraph = (
                not current
                or HEADING_START.match(line) is not None
                or (prev_line.endswith(_PARA_END) and (indented or len(prev_line) < 0.8 * typical))
                or _is_heading_line(prev_line)
            )
            if starts_paragraph and current:
                paragraphs.append(current)
                offset_done += len(current) + 1
                current = line
                page_starts[-1] = min(page_starts[-1], offset_done)
            else:
                current = current + (" " if _needs_space(current, line) else "") + line
            prev_line = line
    if current:
        paragraphs.append(current)
    text = "\n".join(paragraphs)
    # A page whose text continued the previous paragraph starts inside it: keep the computed offset.
    page_starts = [min(s, len(text)) for s in page_starts]
    return CleanText(text=text, page_starts=tuple(page_starts))


def _is_heading_line(line: str) -> bool:
    """A section heading such as `一、总体要求` ends its own line (no sentence punctuation in it)."""
    return bool(re.match(rf"^[{CN_NUM}]{{1,3}}、[^。；，]{{1,40}}$", line)) and not re.search(rf"（[{CN_NUM}]{{1,3}}）", line)
