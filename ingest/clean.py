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

from knowledge.units import FIGURE_UNITS

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
    rf"|（\d{{1,2}}）|第[{CN_NUM}\d]{{1,4}}[编章条节]|[①-⑳]|专栏\s*[\d{CN_NUM}]{{1,3}}|附件\s*\d{{0,2}}\s*[:：]?$)"
)
_PARA_END = tuple("。！？；：")
# A measure's closing responsibility bracket ends its paragraph: （…按职责分工负责） / ［责任单位：…］.
_ENDS_RESPONSIBILITY = re.compile(r"(?:负责|落实|配合)[）)]$|[］\]]$")


# PDFs made with Type 3 CJK fonts (Chromium's print, some converters) map glyphs shared by a radical and an
# ideograph to the radical code point: ⼀、 for 一、, ⻅ for 见. Kangxi radicals fold by NFKC except ⼾ (户 in
# simplified text); the supplement block needs a table (pairs from the Noto CJK SC fonts).
_RADICAL_SUPPLEMENT = (
    "⺂乛⺃乚⺅亻⺉刂⺋㔾⺎兀⺏尣⺐尢⺒巳⺓幺⺔彑⺕彐⺖忄⺘扌⺙攵⺛旡⺞歺⺟母⺠民⺡氵⺣灬⺤爫⺦丬⺨犭⺫罒⺭礻⺯糹⺰纟⺱罓⺲罒"
    "⺳㓁⺹耂⺺肀⺾艹⻁虎⻂衤⻃覀⻅见⻆角⻈讠⻉贝⻋车⻌辶⻐钅⻑長⻒镸⻓长⻔门⻖阝⻘青⻙韦⻚页⻛风⻜飞⻝食⻟飠⻠饣⻢马⻣骨"
    "⻤鬼⻥鱼⻦鸟⻧卤⻨麦⻩黄⻪黾⻫斉⻬齐⻮齿⻯竜⻰龙⻱龜⻲亀⻳龟"
)
RADICALS = {ord(a): b for a, b in zip(_RADICAL_SUPPLEMENT[::2], _RADICAL_SUPPLEMENT[1::2])}
RADICALS.update({cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)})
RADICALS[0x2F3E] = "户"


def fold_radicals(text: str) -> str:
    return text.translate(RADICALS)


# One str.translate table for to_halfwidth_alnum: the radicals (RADICALS map each to an ideograph, which the
# width folding leaves alone, so one pass equals the two), full-width digits and letters to ASCII, ％ to %, the
# ideographic space to a space, and ASCII brackets to full-width ones. A per-character Python loop over every page
# (three passes per document) was the largest single cost of parsing corpus-dc (2.8 of 22 s in a cProfile of
# document_from over 242 documents).
_HALFWIDTH = {**RADICALS,
              **{cp: chr(cp - 0xFEE0) for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
                 for cp in range(lo, hi + 1)},
              ord("％"): "%", 0x3000: " ", ord("("): "（", ord(")"): "）"}


def to_halfwidth_alnum(text: str) -> str:
    """Radicals to ideographs; full-width digits, letters, %, . and spaces to ASCII; CJK punctuation stays."""
    return unicodedata.normalize("NFC", text.translate(_HALFWIDTH))


def squeeze_spaces(line: str) -> str:
    """Drop spaces next to CJK text (`到 2030 年` → `到2030年`), fold runs of spaces elsewhere."""
    line = _SPACE_NEAR_CJK.sub("", line)
    return _MULTI_SPACE.sub(" ", line).strip()


def is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line))


def edge_key(line: str) -> str:
    """A running header compared with its page number masked: 某某办公室 第 3 页 共 14 页 → 某某办公室第#页共#页."""
    # A page number has at most three digits: a year on a line of its own (2022 / 年，力争…, 262) is text, not the
    # page number whose key (#) closes every page.
    return re.sub(r"(?<!\d)\d{1,3}(?!\d)", "#", re.sub(r"\s+", "", line))


# A labelled field of a task list (责任处室：…, 完成时限：2021年12月底前, corpus-dc 231) is content even when the same
# value closes most pages: it is never a running header or footer.
_FIELD_LINE = re.compile(r"^(?:责任单位|责任部门|责任处室|牵头单位|牵头部门|配合单位|完成时限|完成时间|时间节点)[:：]")


def repeated_edge_lines(pages: list[list[str]]) -> set[str]:
    """Edge keys of lines standing first or last on at least half of the pages (3 or more): running headers
    and footers, page numbers masked. Labelled task fields (完成时限：…) are never furniture."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = {edge_key(ln) for ln in lines[:2] + lines[-2:] if ln and not _FIELD_LINE.match(ln.strip())}
        counts.update(edges)
    return {k for k, n in counts.items() if n >= max(3, len(pages) // 2) and len(k) <= 40}


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


# A year the text layer broke over two lines (到 2 / 022 年 in 515, 20 / 21 年度 in 369; 9 places in 8 corpus-dc
# documents): the digits ending one line and those opening the next make a year 19xx/20xx followed by 年, and join
# without the space kept between two figures (2020 2025 in a table row).
_YEAR_HEAD = re.compile(r"(?<![\d.])\d{1,3}$")
_YEAR_TAIL = re.compile(r"(\d{1,3})\s*年")


def _splits_year(left: str, right: str) -> bool:
    head, tail = _YEAR_HEAD.search(left), _YEAR_TAIL.match(right)
    return bool(head and tail and re.fullmatch(r"(?:19|20)\d\d", head.group() + tail.group(1)))


def _needs_space(left: str, right: str) -> bool:
    return bool(left and right and left[-1].isascii() and left[-1].isalnum()
                and right[0].isascii() and right[0].isalnum() and not _splits_year(left, right))


# A page number in the form official documents print it (GB/T 9704: — 4 —) that the text layer set inside a line of
# text or split over two lines (开— 4 — / 立登记账户 in 402, — / 6 — in 399, 主 — 7 — 导产业 in 47): dropped wherever it
# sits, as a line of its own is (_FOOTER). One em dash on each side, no digit outside: a table's —— empty cells
# and a standard's number (DB/T 29—204—2021, 219) are not one. Over corpus-dc: 35 such marks off their own line, in
# 399 402 47 and after a watermark in 218 239, every one a page number.
_INLINE_PAGE_NUMBER = re.compile(r"(?<![—\d])—[ \t\u3000\n]*\d{1,3}[ \t\u3000\n]*—(?!\d)")


def _inside_text(m: re.Match) -> str:
    """The mark dropped when text shares its line; a mark on a line of its own is left to the footer rule, so the
    page's lines (and the typical line length read from them) stay as they were."""
    s, start, end = m.string, m.start(), m.end()
    before = s[s.rfind("\n", 0, start) + 1:start]
    after = s[end:(s.find("\n", end) + 1 or len(s) + 1) - 1]
    alone = not before.strip(" \t\u3000—") and not after.strip(" \t\u3000—")  # — 7 —— (399): two marks, one line
    return m.group() if alone else " " + "\n" * m.group().count("\n")  # lines keep their count (title_lines)


def drop_inline_page_numbers(page: str) -> str:
    """A page's text without the page numbers set inside its lines (see _INLINE_PAGE_NUMBER); every reader of raw
    page lines goes through it, so a running header keeps one key (218's 资料整理：… — 1 — watermark)."""
    for _ in range(2):  # two marks glued together (— 7 —— / 8 —, 399) come out one after the other
        page = _INLINE_PAGE_NUMBER.sub(_inside_text, page)
    return page


def page_lines(pages: list[str]) -> list[list[str]]:
    """Non-empty lines of each page, radicals and widths normalised, page numbers set inside lines dropped."""
    split = []
    for raw in pages:
        raw = to_halfwidth_alnum(raw.replace("\r\n", "\n").replace("\r", "\n"))
        raw = drop_inline_page_numbers(raw)
        lines = [ln.rstrip() for ln in raw.split("\n")]
        split.append([ln for ln in lines if ln.strip()])
    return split


def furniture(pages: list[str]) -> set[str]:
    """Edge keys of the running headers and footers of a document."""
    return repeated_edge_lines([[squeeze_spaces(ln) for ln in p] for p in page_lines(pages)])


# A metre unit a superscript 2 or 3 belongs to (m², km², μg/m³, 8 m³/万元): Latin m at the end of the text so far.
_BEFORE_POWER = re.compile(r"(?<![A-Za-z])(?:[μµ]g/|mg/)?k?m$")
_SPACED_POWER = re.compile(r"(?<![A-Za-z])((?:[μµ]g/|mg/)?k?m) ([23])(?![\d.])(?: (?=/))?")


def clean_pages(pages: list[str], repeated: set[str] | None = None) -> CleanText:
    """Clean raw page texts and join them into paragraphs, keeping where each page starts. `repeated`: the
    running headers/footers (edge keys) of the whole document, when `pages` is only part of it."""
    split = page_lines(pages)
    if repeated is None:
        repeated = repeated_edge_lines([[squeeze_spaces(ln) for ln in p] for p in split])

    # Typical line length tells a short last line of a paragraph from a hard-broken full line.
    lengths = sorted(len(squeeze_spaces(ln)) for p in split for ln in p)
    typical = lengths[int(len(lengths) * 0.75)] if lengths else 0

    paragraphs: list[str] = []
    page_starts: list[int] = []
    current = ""
    offset_done = 0  # length of text in finished paragraphs (each + "\n")
    prev_line = ""
    annex_title = False  # inside the title lines under a bare 附件N line
    # Printed page numbers run at a fixed offset from the PDF's (438 prints 21 on its 26th page): an offset that
    # bare numbers take on many pages marks them as page numbers wherever the text layer puts them.
    # Counted at the pages' edges (two filled lines at the top and the bottom), where page numbers mostly are: the
    # figures a text layer sets apart mid-page (262) would otherwise make offsets of their own.
    bare = Counter(int(s) - no for no, p in enumerate(split, 1)
                   for s in {squeeze_spaces(ln) for ln in _edges(p)} if re.fullmatch(r"\d{1,3}", s))
    page_offsets = {o for o, n in bare.items() if n >= max(3, 0.5 * len(split))}
    for page_no, page in enumerate(split, 1):
        page_starts.append(offset_done + len(current))
        filled = [i for i, ln in enumerate(page) if ln.strip()]
        for i, raw_line in enumerate(page):
            indented = bool(re.match(r"^[ \t\u3000]{2,}", raw_line))
            line = _SPACED_POWER.sub(r"\1\2", squeeze_spaces(raw_line))
            # μg/m + 3 on a line of its own inside a page: pypdf set the superscript of m³ apart. At the page's top or
            # bottom edge a lone 2 or 3 is its page number, even after text ending in m (全长约12km).
            if line in ("2", "3") and filled[0] < i < filled[-1] and _BEFORE_POWER.search(current):
                current += line
                prev_line = line
                continue
            if _figure_inside_sentence(line, i, page, filled, current, page_no, page_offsets):
                current += line  # 增量\n40\n亿元以上 (262): a figure pypdf set on a line of its own, not a page number
                prev_line = line
                continue
            if not line or is_footer(line) or edge_key(line) in repeated:
                continue
            title_line = len(line) < 0.8 * typical and not re.search(r"[。；，：:]", line)
            ends_annex_title = annex_title and (not title_line or prev_line.endswith(("）", "》")))
            annex_title = (title_line and not HEADING_START.match(line)
                           and (bool(_BARE_ANNEX.match(prev_line)) or (annex_title and not ends_annex_title)))
            starts_paragraph = (
                not current
                or ends_annex_title
                or HEADING_START.match(line) is not None
                or ((prev_line.endswith(_PARA_END) or _ENDS_RESPONSIBILITY.search(prev_line))
                    and (indented or len(prev_line) < 0.8 * typical))
                or _is_heading_line(prev_line)
                or _is_short_heading(prev_line, typical)
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


# An annex mark alone on its line; the short unpunctuated lines under it are the annex's title (`附件1` /
# `冶金、建材重点行业严格能效约束推动节能` / `降碳行动方案（2021-2025年）`, 169), which ends its own paragraph: at a
# line with sentence punctuation or of full length, or after a line closing a bracket. Without this the annex
# title ran into the annex's first sentence in 139 169 238 405 419 47 (the heading path read
# `附件2 四川省近零碳排放园区试点建设工作方案为贯彻我国碳达峰碳中和重大战略决策…`).
_BARE_ANNEX = re.compile(r"^附件\s*\d{0,2}\s*[:：]?$")


def _ends(filled: list) -> list:
    """The first two and the last two of a page's filled lines (or of their indices): the page's edges, where its
    printed page number stands."""
    return filled[:2] + filled[-2:]


def _edges(page: list[str]) -> list[str]:
    """A page's edge lines (_ends of its filled lines)."""
    return _ends([ln for ln in page if ln.strip()])


# A line that opens with a unit of measure (knowledge.units.FIGURE_UNITS, the one home of units).
_UNIT_START = re.compile("|".join(re.escape(u) for u in FIGURE_UNITS))


def _figure_inside_sentence(line: str, i: int, page: list[str], filled: list[int], current: str, page_no: int,
                            page_offsets: set[int]) -> bool:
    """A bare number on its own line is a page number: at the page's bottom, within two of the page's own number,
    at the document's page-number offset wherever the text layer puts it (完 / 26 / 善应急体系 on page 26 of 438), or
    under nothing but page furniture (335's 11 as 1 / 1). Otherwise, between a text that has not ended its sentence
    and a line that opens with a unit, it is a figure of that sentence (力争绿色融资增量 / 40 / 亿元以上, 262; a page may
    open with one: 每半年后 / 15 / 日内)."""
    if not re.fullmatch(r"\d{1,3}", line) or not filled or not filled[0] <= i < filled[-1]:
        return False
    following = next((squeeze_spaces(page[j]) for j in filled if j > i), "")
    # The month or day of a date the text layer set one part a line (262's first page: 2022 / 年 / 3 / 月 / 16 / 日, its
    # 3 within two of the page's number; seen first on a document now in the test split, and run over the 226 open
    # corpus-dc documents (hyg25) the rule fires on 262 alone): between 年 and 月, or 月 and 日, a number is the date's,
    # whatever page it is on.
    if re.search(r"\d\s*年$", current) and following.startswith("月") or (
            re.search(r"\d\s*月$", current) and following.startswith(("日", "号"))):
        return True
    if int(line) - page_no in page_offsets:  # this page's printed number, at the document's offset
        return False
    # Within two of the page's own number it is that page's number at the page's edges (the first two and last two
    # filled lines); set inside the page it is one only when the sentence around it does not run through it into a
    # unit (262: 提升 / 2 / 个百分点 on page 2, 力争 / 5 / 个工作日内 on page 6).
    if abs(int(line) - page_no) <= 2 and i in _ends(filled):
        return False
    above = [squeeze_spaces(page[j]) for j in filled if j < i]
    if above and all(is_footer(a) for a in above):
        return False  # only page furniture above it: a page number split over lines (335: 1 / 1 on page 11)
    if not current or current.endswith(_PARA_END) or not re.search(rf"[{_CJK}]$", current):
        return False
    return _UNIT_START.match(following) is not None  # the figure's unit goes on: 亿元以上, 家农村, 日内, 万亩


def _is_short_heading(line: str, typical: int) -> bool:
    """A numbered heading standing alone on a short line (`（一）“十三五”应对气候变化取得积极进展`): the text after it
    is a new paragraph, so the heading's title does not run into its body. A title may join two phrases with a
    comma (`七、强化陆海统筹，健全海洋生态环境监测`, `第三章 推动绿色低碳转型，培育绿色生产生活方式`: the chapter
    titles of the 十四五 plans 125, 423, 446, 455, 509 ran into their lead paragraphs); a line ending in a
    comma or holding a sentence end is not a title."""
    return (bool(HEADING_START.match(line)) and not re.search(r"[。；：:]|[，,、]$", line)
            and typical >= 20 and len(line) < 0.8 * typical)


def _is_heading_line(line: str) -> bool:
    """A section heading such as `一、总体要求`, `第三章 绿色转型` or `专栏2 重点工程` ends its own line (no sentence
    punctuation in it)."""
    if re.match(rf"^(?:第[{CN_NUM}\d]{{1,3}}[编章节]|专栏\s*[\d{CN_NUM}]{{1,3}}|附件\s*\d{{0,2}})[^。；，]{{0,40}}$", line):
        return True
    return bool(re.match(rf"^[{CN_NUM}]{{1,3}}、[^。；，]{{1,40}}$", line)) and not re.search(rf"（[{CN_NUM}]{{1,3}}）", line)


# Tables of contents: `第一章 发展基础 ……… 1`, or heading lines listed once at the front and again in the body.
_TOC_TITLE = re.compile(r"^目\s*录$")
# A leader run is matched from its first character only (the look-behind): tried from every character of a long run
# of dots, underscores or spaces (a form's blank line), the search was quadratic — 8,000 dots took 3 s, 200,000 hours.
_LEADER = re.compile(r"(?:(?<![.…·．\-—_⋯])[.…·．\-—_⋯]{3,}|(?<!\s)\s)\s*\d{1,3}$")
_TOC_HEADING = re.compile(rf"^(?:第[{CN_NUM}\d]{{1,4}}[编章节]|[{CN_NUM}]{{1,3}}、|（[{CN_NUM}]{{1,3}}）|专栏\s*[\d{CN_NUM}]|附件|附录)")


def _toc_key(line: str) -> str:
    return re.sub(r"\s+", "", _LEADER.sub("", line))


def drop_toc(pages: list[str]) -> list[str]:
    """Remove table-of-contents lines: lines ending in a dot leader and a page number, and runs of three or
    more short heading lines (no sentence punctuation) each of which appears again later in the document."""
    split = [to_halfwidth_alnum(p.replace("\r\n", "\n").replace("\r", "\n")).split("\n") for p in pages]
    flat = [(pi, li, ln.strip()) for pi, lines in enumerate(split) for li, ln in enumerate(lines)]
    later: dict[str, int] = {}
    for idx, (_, _, ln) in enumerate(flat):
        if ln:
            later[_toc_key(ln)] = idx  # last occurrence
    drop: set[int] = set()
    run: list[int] = []

    def close_run():
        if len(run) >= 3:
            drop.update(run)
        run.clear()

    for idx, (_, _, ln) in enumerate(flat):
        if not ln:
            continue
        key = _toc_key(ln)
        # An entry is short; its leader need not be (410, 473, 571 print 60-100 dots, so their entries stayed in the
        # text as units): the length is the entry's without the leader. A run starts the search only at its first
        # character (see _LEADER).
        leader = len(key) <= 80 and bool(re.search(r"(?<![.…·．⋯])[.…·．⋯]{4,}\s*\d{0,3}$", ln))
        heading_like = (bool(_TOC_HEADING.match(key)) and len(key) <= 60 and not re.search(r"[。；，：]", key)
                        and later.get(key, idx) > idx)
        glued = re.match(r"^(.*\D)\d{1,3}$", key)  # `第一节工作回顾6`: the page number glued to the entry
        if not heading_like and not leader and glued:
            bare = glued.group(1)
            heading_like = (bool(_TOC_HEADING.match(bare)) and len(bare) <= 60 and not re.search(r"[。；，：]", bare)
                            and later.get(bare, idx) > idx)
        if _TOC_TITLE.match(ln.replace(" ", "")):
            drop.add(idx)
            continue
        if leader:
            drop.add(idx)
            run.append(idx)
        elif heading_like:
            run.append(idx)
        else:
            close_run()
    close_run()
    if not drop:
        return pages
    out: list[list[str]] = [list(lines) for lines in split]
    for idx in drop:
        pi, li, _ = flat[idx]
        out[pi][li] = ""
    return ["\n".join(lines) for lines in out]
