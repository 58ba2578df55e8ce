"""Structure parsing: cleaned text → Document tree. Pure: never opens files, never imports retrieval.

Numbering schemes recognised, by level:
  section  一、            (第X章 as an alternative)
  measure  （一）          the unit of citation; or, in flat lists, 1． / 1. / 1、 ; or 第X条
Headings are accepted only in sequence (一 after nothing, 二 after 一 …; measures may restart at 1 in a new
section), which keeps cross-references and enumerations inside sentences from becoming headings, and lets a
heading that the PDF put in the middle of a line still be found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.clean import (CN_NUM, HEADING_START, CleanText, clean_pages, edge_key, furniture, is_footer,
                          squeeze_spaces, to_halfwidth_alnum)
from knowledge.model import MEASURE, PARAGRAPH, PREAMBLE, SECTION_TEXT, Document, Measure, Section

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_to_int(s: str) -> int:
    """Chinese numerals up to 999: 五 → 5, 十二 → 12, 二十二 → 22, 一百零三 → 103; ASCII digits too."""
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + current


# A heading may start a line or follow the end of a sentence / a closing parenthesis (inline headings).
_BEFORE = r"(?:(?<=^)|(?<=\n)|(?<=[。；！？）\]］]))"
SECTION_RE = re.compile(rf"{_BEFORE}(?:([{CN_NUM}]{{1,3}})、|第([{CN_NUM}]{{1,3}})章)", re.M)
MEASURE_RE = re.compile(rf"{_BEFORE}（([{CN_NUM}]{{1,3}})）", re.M)
# A measure heading glued to the end of a section title (`…行动（五）加快绿色低碳能源供给。`): accepted
# without the anchor when a short title sentence follows it.
MEASURE_INLINE_RE = re.compile(rf"（([{CN_NUM}]{{1,3}})）(?=[^。；（）\n]{{2,30}}。)")
ITEM_RE = re.compile(r"(?:(?<=^)|(?<=\n))(\d{1,2})[．.、](?!\d)", re.M)
ARTICLE_RE = re.compile(rf"{_BEFORE}第([{CN_NUM}]{{1,4}})条", re.M)

_TITLE_WORDS = re.compile(
    r"(?:方案|意见|措施|举措|通知|规划|办法|决定|计划|条例|规定|细则|纲要|政策|指南|纪要|公告|通告|批复|函)"
    r"(?:（[^）]{1,12}）)?"
)
_TITLE_TAIL = re.compile(
    r"》?的?(?:方案|意见|措施|举措|通知|规划|办法|决定|计划|条例|规定|细则|纲要|指南|公告|通告|批复|函)"
    r"(?:（[^）]{1,12}）)?")
_TITLE_END = re.compile(
    r"(?:方案|意见|措施|举措|通知|规划|办法|决定|计划|条例|规定|细则|纲要|指南|公告|通告|批复|函)(?:（[^）]{1,12}）)?$")
_HEADER_LINE = re.compile(r"^(?:（[^）]{1,15}）|[（(]?\d{4}年\d{1,2}月\d{1,2}日[）)]?|.{0,20}〔\d{4}〕\d+号.*|发布时间.*)$")


@dataclass(frozen=True)
class Heading:
    level: str  # "section" | "measure"
    no: int
    start: int  # offset of the numeral
    body: int  # offset just after the numbering mark


def _sequential(matches: list[tuple[int, int, int]], restart_at: list[int] | None = None) -> list[tuple[int, int, int]]:
    """Keep matches (no, start, body) whose numbers run 1, 2, 3 …; a restart at 1 is allowed after any
    offset in `restart_at` (a new section began)."""
    kept: list[tuple[int, int, int]] = []
    restarts = sorted(restart_at or [])
    for no, start, body in matches:
        last = kept[-1][0] if kept else 0
        if no == last + 1:
            kept.append((no, start, body))
        elif no == 1 and kept and any(kept[-1][1] < r <= start for r in restarts):
            kept.append((no, start, body))
    return kept


def _find(regex: re.Pattern, text: str) -> list[tuple[int, int, int]]:
    found = []
    for m in regex.finditer(text):
        numeral = next(g for g in m.groups() if g)
        try:
            found.append((cn_to_int(numeral), m.start(), m.end()))
        except ValueError:
            continue
    return found


def find_headings(text: str) -> tuple[list[Heading], str]:
    """Detect the scheme in use; return headings in document order and the scheme's name."""
    sections = _sequential(_find(SECTION_RE, text))
    # A section heading is a short title ending its line; drop ones that read as sentences.
    sections = [s for s in sections if "。" not in _line_from(text, s[2])[:40] or len(_line_from(text, s[2]).split("。")[0]) <= 40]
    sections = _sequential(sections)
    section_starts = [s[1] for s in sections]
    candidates = {m[1]: m for m in _find(MEASURE_RE, text) + _find(MEASURE_INLINE_RE, text)}
    measures = _sequential(sorted(candidates.values(), key=lambda m: m[1]), section_starts)
    articles = _sequential(_find(ARTICLE_RE, text), section_starts)
    items = _sequential(_find(ITEM_RE, text), section_starts)

    def as_headings(level, found):
        return [Heading(level, no, start, body) for no, start, body in found]

    if len(measures) >= 2:
        scheme, units = "sections+measures" if sections else "measures", measures
    elif len(articles) >= 3:
        scheme, units = "articles", articles
    elif len(items) >= 3:
        scheme, units = "sections+items" if sections else "items", items
    elif len(sections) >= 2:
        return as_headings("measure", sections), "sections-as-measures"
    else:
        return [], "paragraphs"
    heads = as_headings("section", sections) + as_headings("measure", units)
    return sorted(heads, key=lambda h: h.start), scheme


def _line_from(text: str, pos: int) -> str:
    end = text.find("\n", pos)
    return text[pos: end if end >= 0 else len(text)]


def _title_after(text: str, start: int, end: int, limit: int = 40) -> str:
    """The heading's title: up to the first 。/：/line end, within the heading's own span."""
    span = text[start:end]
    m = re.search(r"[。：:\n]", span)
    title = span[: m.start()] if m else span
    title = title.strip()
    if len(title) > limit:
        cut = re.search(r"[，；]", title)
        title = title[: cut.start()] if cut and cut.start() <= limit else title[:limit]
    return title.strip()


def _section_title(text: str, start: int, end: int) -> str:
    span = text[start:end]
    m = re.search(r"[\n。]", span)
    return (span[: m.start()] if m else span).strip()[:60]


def find_title(first_page: str) -> tuple[str | None, int]:
    title, consumed, _ = find_title_block(first_page)
    return title, consumed


_DRAFT_MARK = re.compile(r"^（[^）]{1,8}(?:稿|试行|草案|暂行)[^）]{0,4}）$")


def find_title_block(first_page: str, running: set[str] | None = None) -> tuple[str | None, int, list[str]]:
    """The title block at the top of page 1: (title or None, number of raw lines it takes).

    Title lines are short, carry no sentence punctuation, and the title names a document kind (方案, 意见,
    措施 …); lines such as （征求意见稿）, a date or a document number belong to the block as well.
    """
    raw_lines = [ln for ln in to_halfwidth_alnum(first_page).split("\n")]
    parts: list[str] = []
    extras: list[str] = []  # document number, date, 征求意见稿 … : kept as text, not as the title
    consumed = 0
    running = running or set()
    complete = False  # the title has ended (its kind word seen); only header lines may follow
    for raw in raw_lines:
        line = squeeze_spaces(raw)
        if not line or edge_key(line) in running:
            consumed += 1
            continue
        if complete and _DRAFT_MARK.match(line) and line not in "".join(parts):
            parts.append(line)  # 政策举措 / （征求意见稿） on its own line belongs to the title
            consumed += 1
            continue
        if (_HEADER_LINE.match(line) or is_footer(line)) and not HEADING_START.match(line):
            consumed += 1
            if not is_footer(line):
                extras.append(line)
            continue
        if (HEADING_START.match(line) or line.endswith(("。", "：", ":", "；")) or "，" in line
                or len(line) > 45 or re.search(r"[。：]", line)):
            break
        if complete and line not in "".join(parts):
            break  # the title has ended: this line starts the text (or repeats nothing of the title)
        parts.append(line)
        consumed += 1
        complete = complete or bool(_TITLE_END.search("".join(parts)))
    joined = "".join(parts)
    m = _TITLE_WORDS.search(joined)
    if not m:
        return None, 0, []
    end = m.end()
    # Extend over 《…措施》的通知 and 政策措施: a title may hold several kind words in a row.
    while (ext := _TITLE_TAIL.match(joined, end)) and ext.end() > end:
        end = ext.end()
    title = re.sub(r"\s*〔\d{4}〕\d+号.*$", "", joined[:end]).strip()
    rest = joined[end:].strip()
    if rest and rest != title:
        extras.insert(0, rest[len(title):] if rest.startswith(title) else rest)
    return title or None, consumed, [e for e in extras if e]


def parse(pages: list[str], title_hint: str, source: str = "", content_hash: str = "",
          doc_id: str | None = None) -> Document:
    """Build the document tree from raw page texts. `title_hint` (the file name stem) is the title when the
    document has no title line."""
    warnings: list[str] = []
    running = furniture(pages)
    title, title_lines, header = find_title_block(pages[0], running) if pages else (None, 0, [])
    body_pages = list(pages)
    if title_lines and body_pages:
        body_pages[0] = "\n".join(pages[0].split("\n")[title_lines:])
    cleaned = clean_pages(body_pages, running)
    text = cleaned.text
    if not title:
        title = title_hint.strip()
        warnings.append("no title line found; title taken from the file name")
    heads, scheme = find_headings(text)

    doc = Document(
        doc_id=doc_id or (content_hash[:12] if content_hash else re.sub(r"\W+", "", title)[:16]),
        title=title,
        source=source,
        pages=len(pages),
        content_hash=content_hash,
        warnings=warnings,
    )
    seq = 0

    def next_seq() -> int:
        nonlocal seq
        seq += 1
        return seq

    if not heads:
        for i, (start, para) in enumerate(_paragraphs(text), start=1):
            doc.measures.append(Measure(
                seq=next_seq(), no=i, section_no=None, title=_title_after(para, 0, len(para), 24),
                text=para, page=cleaned.page_at(start), kind=PARAGRAPH))
        if doc.measures:
            warnings.append(f"no numbered structure found; {len(doc.measures)} paragraphs indexed as units")
        return doc

    first = heads[0].start
    preamble = text[:first].strip()
    if title_lines:
        # The title block is text of the document too (who issued it, its number, its date): keep it quotable.
        preamble = "\n".join([title, *header, preamble]).strip()
    if preamble:
        doc.extra_units.append(Measure(seq=next_seq(), no=0, section_no=None, title="前言", text=preamble,
                                       page=cleaned.page_at(0), kind=PREAMBLE))
    current_section: int | None = None
    for i, h in enumerate(heads):
        end = heads[i + 1].start if i + 1 < len(heads) else len(text)
        span_text = text[h.start:end].strip()
        if h.level == "section":
            current_section = h.no
            stitle = _section_title(text, h.body, end)
            doc.sections.append(Section(no=h.no, title=stitle))
            rest = text[h.body:end].strip()[len(stitle):].strip()
            if len(rest) >= 10:
                doc.extra_units.append(Measure(
                    seq=next_seq(), no=0, section_no=h.no, title=stitle, text=span_text,
                    page=cleaned.page_at(h.start), kind=SECTION_TEXT))
            continue
        doc.measures.append(Measure(
            seq=next_seq(), no=h.no, section_no=current_section, title=_title_after(text, h.body, end),
            text=span_text, page=cleaned.page_at(h.start), kind=MEASURE))

    _split_closing_text(doc, cleaned)
    if scheme == "sections-as-measures":
        warnings.append("only 一、 headings found; each is indexed as a unit")
    nos = [m.no for m in doc.measures]
    if len(set(nos)) != len(nos):
        warnings.append("measure numbers restart within sections; cite them with their section")
    return doc


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for para in text.split("\n"):
        if para.strip():
            out.append((pos, para.strip()))
        pos += len(para) + 1
    return out


# The responsibility bracket, allowing one level of nested brackets: ［责任单位：…相关区（市）县政府（管委会）］.
_INNER = r"(?:[^（）［］\[\]]|（[^（）]*）)*"
_CLOSING_PAREN = re.compile(rf"[（［\[]{_INNER}(?:负责|落实|责任单位|牵头){_INNER}[）］\]]")


def _split_closing_text(doc: Document, cleaned: CleanText) -> None:
    """Text after the last measure's own paragraph (an effective-date clause, a signature) is not part of
    that measure: keep it as a searchable unit of its own."""
    if not doc.measures:
        return
    last = doc.measures[-1]
    parts = last.text.split("\n")
    if len(parts) < 2:
        return
    # Only a measure that ends with a responsibility parenthesis shows where it ends.
    cut = next((i + 1 for i, part in enumerate(parts) if _CLOSING_PAREN.search(part)), None)
    if cut is None or cut >= len(parts):
        return
    tail = "\n".join(parts[cut:]).strip()
    last.text = "\n".join(parts[:cut]).strip()
    if tail:
        offset = cleaned.text.find(tail)
        doc.extra_units.append(Measure(
            seq=max(m.seq for m in doc.units()) + 1, no=0, section_no=last.section_no, title="结尾",
            text=tail, page=cleaned.page_at(max(offset, 0)), kind=SECTION_TEXT))
