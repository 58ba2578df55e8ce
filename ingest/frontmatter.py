"""Front matter: the notice wrapper around a policy and the dates of a document. Pure functions.

A policy is often published inside a notice: `XX关于印发《YY》的通知`, a document number (辽府发〔2022〕4号), the
recipients, `现将《YY》印发给你们`, the issuing organ and a date, then YY itself. The policy's own title is YY;
the wrapper is front matter. Dates: issue (印发/成文, the date line under the issuer), effect (自…起施行) and
expiry (有效期…).
"""
from __future__ import annotations

import re

_NOTICE = re.compile(r"^(?P<issuer>.*?)(?:关于)?(?:印发|转发|发布)(?P<quote>《?)(?P<title>.+?)》?的?(?:通知|公告)$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号")
_DATE = r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
_DATE_LINE = re.compile(rf"^(?P<date>{_DATE})$", re.M)
_EFFECTIVE = re.compile(rf"自(?P<date>{_DATE}|(?:印发|发布|公布)之日)起(?:施行|实施|执行|生效)")
_EXPIRES = re.compile(rf"有效期(?:至|到)(?P<date>{_DATE})|有效期(?:为)?(?P<years>[\d一二三四五六七八九十两]+)年")


def policy_title(title: str) -> str:
    """`市发展改革委关于印发《关于做好用能保障推动绿色发展的十项措施》的通知` → the policy's own title."""
    m = _NOTICE.match(title.strip())
    if not m or len(m.group("title")) < 4:
        return title
    inner = m.group("title").strip("《》 ")
    return inner if len(inner) >= 4 else title


def _key(s: str) -> str:
    return re.sub(r"[\s《》“”\"（）()]", "", s)


def wrapper_end(text: str, own_title: str) -> int:
    """Offset where the policy carried by a notice starts: its title written again, not inside 《》, after the
    sentence that hands it out (现将《…》印发给你们); 0 when no such place is found (nothing is separated)."""
    key = own_title.strip()
    if len(key) < 4:
        return 0
    hand = re.search(r"印发给你们|印发给|现印发|予以印发|印发你们", text)
    start = hand.end() if hand else 0
    for m in re.finditer(re.escape(key), text[start:]):
        pos = start + m.start()
        before, after = text[max(0, pos - 1):pos], text[pos + len(key):pos + len(key) + 1]
        if before in ("《", "“") or after in ("》", "”"):
            continue
        # The title may follow 附件 / 附件1 on the same line.
        line_start = text.rfind("\n", 0, pos) + 1
        if re.fullmatch(r"\s*附件\s*\d{0,2}\s*[:：]?\s*", text[line_start:pos]):
            return line_start
        return pos
    return 0


def front_matter(text: str, wrapper: int = 0) -> dict:
    """doc_number, issuer, issued, effective, expires — those that can be read; values as written."""
    meta: dict = {}
    head = text[: max(wrapper, 1500)]
    # The notice's own number stands on a line of its own; numbers inside sentences cite other documents.
    if m := re.search(rf"^\s*({_DOC_NUMBER.pattern})\s*$", head, re.M):
        meta["doc_number"] = m.group(1)
    dates = list(_DATE_LINE.finditer(text[:wrapper] if wrapper else text))
    if not dates and wrapper:
        dates = list(re.finditer(rf"(?P<date>{_DATE})", text[:wrapper]))[-1:]
    if dates:
        d = dates[0] if wrapper else dates[-1]
        meta["issued"] = d.group("date")
        before = text[: d.start()].rstrip("\n").split("\n")[-1].strip()
        if 2 <= len(before) <= 30 and not re.search(r"[。；，：]", before):
            meta["issuer"] = before
    if m := _EFFECTIVE.search(text):
        meta["effective"] = m.group("date")
    if m := _EXPIRES.search(text):
        meta["expires"] = m.group("date") or f"{m.group('years')}年"
    return meta
