"""Structure parsing: raw page texts → Document (units with labels and heading paths). Pure: never opens files.

Steps: drop tables of contents and page furniture; find the title block; separate a notice wrapper (关于印发…的通知)
from the policy it carries; find the outline (`ingest.outline`); cut it into bounded units (`ingest.segment`).
"""
from __future__ import annotations

import re

from ingest.closing import split_notice_closing
from ingest.clean import CleanText, clean_pages, drop_inline_page_numbers, drop_toc, edge_key, furniture, is_footer, \
    squeeze_spaces, to_halfwidth_alnum, HEADING_START
from ingest.editions import issued_date
from ingest.frontmatter import cover_month, printed_date, front_matter, policy_title, wrapper_end
from ingest.outline import find_outline
from ingest.segment import Span, assign_labels, heading_chain, heading_title, paragraph_spans, section_family, spans, \
    split_long
from knowledge.model import MEASURE, PARAGRAPH, PREAMBLE, SECTION_TEXT, Document, Measure, Section

_RUNNING_NUMBER = re.compile(r"^\d{1,4}\s*[、．.，,_\-]\s*")
_KIND = {"measure": MEASURE, "section_text": SECTION_TEXT, "preamble": PREAMBLE, "paragraph": PARAGRAPH}
LEVEL_NAMES = {"annex": "附件", "bian": "第X编", "zhang": "第X章", "jie": "第X节", "tiao": "第X条", "cn": "一、",
               "pcn": "（一）", "ar": "1.", "par": "（1）", "circ": "①", "box": "专栏"}

_TITLE_WORDS = re.compile(
    r"(?:方案|意见|措施|举措|通知|规划|办法|决定|计划|条例|规定|细则|纲要|政策|指南|纪要|公告|通告|批复|函|要点|安排|清单)"
    r"(?:（[^）]{1,12}）)?"
)
_TITLE_TAIL = re.compile(
    r"》?的?(?:任务)?(?:方案|意见|措施|举措|通知|规划|办法|决定|计划|条例|规定|细则|纲要|指南|公告|通告|批复|函|要点|安排|清单)"
    r"(?:（[^）]{1,12}）)?")
_TITLE_END = re.compile(
    r"(?:方案|意见|措施|举措|通知|规划|办法|决定|计划|条例|规定|细则|纲要|指南|公告|通告|批复|函|要点|安排|清单)(?:（[^）]{1,12}）)?$")
_HEADER_LINE = re.compile(r"^(?:（[^）]{1,15}）|[（(]?\d{4}年\d{1,2}月\d{1,2}日[）)]?|.{0,20}〔\d{4}〕\d+号.*|发布时间.*)$")


def _title_after(text: str, start: int, end: int, limit: int = 40) -> str:
    """The heading's title: up to the first 。/：/line end, within the heading's own span (from the next line when
    the mark stands alone on its line, as `segment.heading_title` reads it)."""
    span = text[start:end].lstrip(" \n")
    m = re.search(r"[。：:\n]", span)
    title = span[: m.start()] if m else span
    title = title.strip()
    if len(title) > limit:
        cut = re.search(r"[，；]", title)
        title = title[: cut.start()] if cut and cut.start() <= limit else title[:limit]
    return title.strip()


def find_title(first_page: str) -> tuple[str | None, int]:
    title, consumed, _ = find_title_block(first_page)
    return title, consumed


_DRAFT_MARK = re.compile(r"^（[^）]{1,8}(?:稿|试行|草案|暂行)[^）]{0,4}）$")
# The rest of a notice title broken over lines after its kind word: `…入库指南` / `（试行）》的通知` (342),
# `«…规划纲要` / `(2021-2035年)»的通知` (174): a bracketed period or draft mark, then the quote's close and 的通知.
_TITLE_RUN_ON = re.compile(r"^(?:[（(][^）)]{1,20}[）)])?(?:[》»〉]的?(?:通知|公告)?|的?(?:通知|公告))$"
                           r"|^[（(]\d{4}\s*[-—－―–~至]\s*\d{4}年?[）)]$")
# A letterhead: the organ(s) and 文件 alone on a line (上海市人民政府文件, 上 海 市 生 态 环 境 局 文 件, 文件 above the
# organs' names in 205); it names the issuer (ingest.frontmatter reads it from the raw head), not the title.
# A line naming a document (关于废止部分规范性文件 / 的通知) is a title's, not a letterhead.
_LETTERHEAD_LINE = re.compile(r"^(?![^关印]*(?:关于|印发))[\u4e00-\u9fff、]{0,60}文件$")
# A 文号 on a line of its own (浙发改产业〔2022〕1 号), not one cited in the text's first sentence (367: …若干意见》
# （发改产业〔2021〕1464 号）、《关于发布…).
_NUMBER_LINE = re.compile(r"[\u4e00-\u9fff]{1,12}〔\d{0,4}〕\s*\d*\s*号")
_QUOTED_WHOLE = re.compile(r"^《([^《》]+)》?$")
# A 文号 that a broken text layer runs into the title (…政办规〔YYYY〕N号 and then …人民政府办公室关于…): seen first on a
# document now in the test split; run over the 226 open corpus-dc documents (hyg25), the rule finds it in none.
_LEADING_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,8}〔[\d\s]*〕\s*\d*\s*号")


def find_title_block(first_page: str, running: set[str] | None = None) -> tuple[str | None, int, list[str]]:
    """The title block at the top of page 1: (title or None, number of raw lines it takes).

    Title lines are short, carry no sentence punctuation, and the title names a document kind (方案, 意见,
    措施 …); lines such as （征求意见稿）, a date or a document number belong to the block as well.
    """
    raw_lines = [ln for ln in drop_inline_page_numbers(to_halfwidth_alnum(first_page)).split("\n")]
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
        if complete and (_DRAFT_MARK.match(line) or _TITLE_RUN_ON.match(line)) and line not in "".join(parts):
            parts.append(line)  # 政策举措 / （征求意见稿） / （试行）》的通知 on its own line belongs to the title
            consumed += 1
            continue
        if _LETTERHEAD_LINE.match(line.replace(" ", "")) and not complete:
            consumed += 1
            extras.append(line)
            continue
        if parts and not complete and _NUMBER_LINE.fullmatch(line) and not _TITLE_WORDS.search("".join(parts)):
            # Lines before the 文号 that name no document kind are the letterhead's organs (205), not the title.
            extras.extend(parts)
            parts = []
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
        # The kind word ends the joined lines (a match is at most 16 characters): the last 16 lines hold it. Joining
        # them all for every line was quadratic on a page of many short lines (80,000 took minutes).
        complete = complete or bool(_TITLE_END.search("".join(parts[-16:])))
    joined = "".join(parts)
    m = _TITLE_WORDS.search(joined)
    if not m:
        return None, 0, []
    end = m.end()
    # Extend over 《…措施》的通知 and 政策措施: a title may hold several kind words in a row.
    while (ext := _TITLE_TAIL.match(joined, end)) and ext.end() > end:
        end = ext.end()
    # A notice's title that names a kind word early (…扶持计划申请指南的通知) ends at its 通知, unless another title
    # (关于… / 印发…) begins before it.
    if (notice := re.search(r"的?(?:通知|公告)", joined[end:])) and not re.search(r"关于|印发", joined[end: end + notice.start()]):
        end += notice.end()
    title = _LEADING_NUMBER.sub("", re.sub(r"\s*〔\d{4}〕\d+号.*$", "", joined[:end])).strip()
    # A title quoted whole on its line (367: 《阜阳市…实施方案（2022-2025 年）》, the text following): its name.
    title = _QUOTED_WHOLE.sub(r"\1", title)
    rest = joined[end:].strip()
    if rest and rest != title:
        extras.insert(0, rest[len(title):] if rest.startswith(title) else rest)
    return title or None, consumed, [e for e in extras if e]


def clean_body(pages: list[str]) -> tuple[str | None, int, list[str], CleanText]:
    """The title block of page 1 and the cleaned text after it (pages with their table of contents dropped):
    the text every unit of the document is cut from."""
    running = furniture(pages)
    title, title_lines, header = find_title_block(pages[0], running) if pages else (None, 0, [])
    body_pages = list(pages)
    if title_lines and body_pages:
        body_pages[0] = "\n".join(pages[0].split("\n")[title_lines:])
    return title, title_lines, header, clean_pages(body_pages, running)


def parse(pages: list[str], title_hint: str, source: str = "", content_hash: str = "",
          doc_id: str | None = None) -> Document:
    """Build the document from raw page texts. `title_hint` (the file name stem; a collection's running number
    such as `117、` is dropped) is the title when the document has no title line."""
    warnings: list[str] = []
    title_hint = _RUNNING_NUMBER.sub("", title_hint.strip())
    pages = drop_toc(pages)
    title, title_lines, header, cleaned = clean_body(pages)
    text = cleaned.text
    if not title:
        title = title_hint
        warnings.append("未找到标题行，标题取自文件名")
    own_title = policy_title(title)
    wrap = wrapper_end(text, own_title) if own_title != title else 0
    prefix = ("\n".join(header) + "\n") if header else ""
    raw_head = to_halfwidth_alnum("\n".join(pages)[:3000])[:1500]  # the head only: folding is per character
    meta = front_matter(prefix + text, wrap + len(prefix) if wrap else 0, raw_head=raw_head, title=title)
    if own_title != title:
        meta["notice_title"] = title
    if "issued" not in meta and (issued := issued_date(pages)) is not None:  # the signature block's date
        meta["issued"] = f"{issued.year}年{issued.month}月{issued.day}日"
    if "issued" not in meta and (printed := printed_date("\n".join(pages))):  # the 版记's 印发 line
        meta["issued"] = printed
    if "issued" not in meta and pages and (month := cover_month(pages[0])):  # a cover dated by month (2022 年 3 月)
        meta["issued"] = month
    doc = Document(
        doc_id=doc_id or (content_hash[:12] if content_hash else re.sub(r"\W+", "", own_title)[:16]),
        title=own_title, source=source, pages=len(pages), content_hash=content_hash, warnings=warnings)
    doc.meta = meta
    body = text if not wrap else re.sub(r"[^\n]", " ", text[:wrap]) + text[wrap:]
    heads, used = find_outline(body)
    doc.levels = [LEVEL_NAMES[f] for f in used]
    front = "\n".join([title, *header]).strip() if title_lines else ""
    units: list[Span] = []
    if heads:
        units = spans(body, heads, used)
    else:
        units = paragraph_spans(body)
    for u in units:
        if u.start < wrap:  # the wrapper is front matter, not policy text
            u.start = min(wrap, u.end)
    assign_labels(units)
    sec_family = section_family(used)
    seen_sections: set[int] = set()
    for h in heads:
        if h.family == sec_family and h.no not in seen_sections:
            seen_sections.add(h.no)
            doc.sections.append(Section(no=h.no, title=heading_title(body, h)))
    seq = 0
    pre_text = front
    if wrap:  # the notice wrapper: front matter, kept quotable as a unit of its own — bounded like every unit
        notice = (front + "\n" + text[:wrap]).strip()
        shift = len(notice) - len(text[:wrap].strip())  # the title block before the wrapper's own text
        for part in split_long(Span(0, len(notice), "preamble"), notice):
            seq += 1
            doc.extra_units.append(Measure(
                seq=seq, no=0, section_no=None, title="印发通知" + (f"（续{part.part - 1}）" if part.part > 1 else ""),
                text=notice[part.start:part.end].strip(), page=cleaned.page_at(max(part.start - shift, 0)) if
                part.part > 1 else 1, kind=PREAMBLE, label="印发通知"))
        pre_text = ""
    elif pre_text and (not units or units[0].kind != "preamble"):
        seq += 1
        doc.extra_units.append(Measure(seq=seq, no=0, section_no=None, title="前言", text=pre_text, page=1,
                                       kind=PREAMBLE, label="前言"))
        pre_text = ""
    n_para = 0
    for u in units:
        piece = text[u.start:u.end].strip()
        if u.kind == "preamble" and pre_text:
            piece = (pre_text + "\n" + piece).strip()
            pre_text = ""
        if not piece:
            continue
        seq += 1
        h = u.heading
        section_no = next((c.no for c in heading_chain(h) if c.family == sec_family), None)
        if u.kind == "paragraph":
            n_para += 1
            label, no, mtitle = f"第{n_para}段", n_para, _title_after(piece, 0, len(piece), 24)
        elif u.kind == "preamble":
            label, no, mtitle = "前言", 0, "前言"
        else:
            label, no = u.label, (h.no if u.kind == "measure" else 0)
            mtitle = _title_after(text, h.body, h.end) if u.kind == "measure" else heading_title(text, h)
        if u.part > 1:
            mtitle = f"{mtitle}（续{u.part - 1}）"
        unit = Measure(seq=seq, no=no, section_no=section_no, title=mtitle, text=piece,
                       page=cleaned.page_at(u.start), kind=_KIND[u.kind], label=label,
                       path=list(u.path))
        (doc.measures if unit.kind in (MEASURE, PARAGRAPH) else doc.extra_units).append(unit)
    if not heads and doc.measures:
        warnings.append(f"未找到编号结构，按段落建立 {len(doc.measures)} 个单元")
    if any(" " in m.label for m in doc.measures):
        warnings.append("编号在各部分内重新开始：引用标签带上级编号（如 三、（二））")
    _split_closing_text(doc, cleaned)
    split_notice_closing(doc, cleaned.page_at, cleaned.text)
    return doc


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
            text=tail, page=cleaned.page_at(max(offset, 0)), kind=SECTION_TEXT, label="结尾"))  # labelled: citable
