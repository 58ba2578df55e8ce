"""A notice's closing block: the paragraphs after its last numbered item — the request to hand papers in
(请各…于…前报送…), the contact lines (联系人：…，电话：…), 特此通知, the list of attachments (附件：1.…), and the
issuer with the date over the seal. The outline gives them to the last item before them (or the last section), so a
question about whom to call or where the papers go was answered under 三、第四项 "重大创新载体建设", and a question about
that item quoted the attachment list (round 18, ans40: docs/short-documents.md). Cut off, they form one unit of their
own, labelled 结尾, in document order.

Pure: reads and rewrites a parsed Document's units."""
from __future__ import annotations

import re

from knowledge.bureaus import body_kinds
from knowledge.model import MEASURE, SECTION_TEXT, Document, Measure

# A paragraph that opens a notice's closing block. Seen on the open short notices 203 225 274 282 209 339 553 375
# (the lines after their last item): contact lines, 特此通知/公告, the list of attachments, a date alone or after
# the issuer's name (上海市生态环境局2022年1月27日) — a body's name, so a deadline sentence ending in a date stays.
# The name ends in one of knowledge.bureaus.BODY_KINDS or in the kind of another organ that signs: a people's
# government (广东省人民政府2021年…: 91 235 241 242), a ministry (…国家发展和改革委员会生态环境部: 17), and the organs of
# the State Council's 部-司-处 structure and the bodies that sign in their own name though no open document's closing
# line shows one (a ministry's 司, a department's 处, a 领导小组's 组, an academy's 院, a 委员会's or 联合会's 会). The
# same alternation as ans40's hand-written one, so what ingest stores does not change (docs/issuers.md).
_SIGNER_KINDS = body_kinds("政府", "部", "院", "会", "处", "组", "司")
_CLOSING_LINE = re.compile(
    r"^(?:联\s*系\s*人|联系电话|联系方式|咨询电话|特此(?:通知|公告)|附件\s*[:：]|附件\s*\d{1,2}\s*[.．、：:]|"
    rf"(?:[\u4e00-\u9fff（）]{{1,30}}{_SIGNER_KINDS})?"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$)")
# A request to the addressees just before the contact lines (请各相关学院于…前…送至…, 请符合条件、有意向申报的单位…,
# 请各科技主管部门组织…: 274 209 282): part of the closing when it follows the last numbered item.
_REQUEST_LINE = re.compile(r"^请(?:各|有关|相关|符合|你们|贵)")
# A request that runs on into its contact line within one paragraph (282: …集中报送苏州市科技局农社处。联系人：…).
_CONTACT = re.compile(r"联\s*系\s*人\s*[:：]|联系电话|联系方式")


def _closing_start(unit: Measure) -> int | None:
    """The index of the paragraph where the unit's closing block starts, or None. The unit's first paragraph (its
    heading and item) always stays; requests are taken into the closing only before a closing line, and only from a
    numbered item (a section's own text may be a request: 339's 三、监督管理 请相关区…)."""
    parts = unit.text.split("\n")
    first = next((i for i, p in enumerate(parts) if i > 0 and (_CLOSING_LINE.match(p.strip()) or (
        unit.kind == MEASURE and _REQUEST_LINE.match(p.strip()) and _CONTACT.search(p)))), None)
    if first is None:
        return None
    start = first
    if unit.kind == MEASURE:
        while start - 1 > 0 and _REQUEST_LINE.match(parts[start - 1].strip()):
            start -= 1
    return start


def _is_annex(unit: Measure) -> bool:
    return unit.label.startswith("附件")


def split_notice_closing(doc: Document, page_at=None, text: str = "") -> None:
    """Cut the closing block off the last unit of the body (the last unit before the attachments, or the last of
    all) into a unit labelled 结尾 right after it; later units move one place on. `page_at(offset)` and `text` (the
    cleaned text) give the closing's page."""
    units = doc.units()
    body = [u for u in units if u.kind in (MEASURE, SECTION_TEXT) and not _is_annex(u) and u.label != "结尾"]
    if not body:
        return
    last = body[-1]
    if any(u.seq > last.seq and not _is_annex(u) and u.kind in (MEASURE, SECTION_TEXT) for u in units):
        return
    start = _closing_start(last)
    if start is None:
        return
    parts = last.text.split("\n")
    tail = "\n".join(parts[start:]).strip()
    head = "\n".join(parts[:start]).strip()
    if not tail or not head or head.endswith(("：", ":")):
        return  # an item that introduces its contacts (551: （六）申报工作联系方式：) keeps them
    last.text = head
    for u in units:
        if u.seq > last.seq:
            u.seq += 1
    page = last.page
    if page_at is not None and text and (offset := text.find(tail[:40])) >= 0:
        page = page_at(offset)
    doc.extra_units.append(Measure(seq=last.seq + 1, no=0, section_no=last.section_no, title="结尾", text=tail,
                                   page=page, kind=SECTION_TEXT, label="结尾"))
