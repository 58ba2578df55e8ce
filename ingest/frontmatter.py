"""Front matter: the notice wrapper around a policy and the dates of a document. Pure functions.

A policy is often published inside a notice: `XX关于印发《YY》的通知`, a document number (辽府发〔2022〕4号), the
recipients, `现将《YY》印发给你们`, the issuing organ and a date, then YY itself. The policy's own title is YY;
the wrapper is front matter. Dates: issue (印发/成文, the date line under the issuer), effect (自…起施行) and
expiry (有效期…).
"""
from __future__ import annotations

import re

from ingest.clean import to_halfwidth_alnum
from knowledge.numerals import cn_digit_string, cn_month
from knowledge.text import DOC_SELF, DOC_YEAR_CLOSE, DOC_YEAR_OPEN, title_key

# 《…》 as most notices write it, «…» (174) or 《…〉 (319) as some text layers give it.
_NOTICE = re.compile(r"^(?P<issuer>.*?)(?:关于)?(?:印发|转发|发布)(?P<quote>[《«〈]?)(?P<title>.+?)[》»〉]?的?(?:通知|公告)$")
_DATE = r"(?:19|20)\d{2}年\d{1,2}月\d{1,2}日"
_DATE_LINE = re.compile(rf"^(?P<date>{_DATE})$", re.M)
# 起 may be left out (本意见自2021年11月1日施行, corpus-dc 62).
_EFFECTIVE = re.compile(rf"自(?P<date>{_DATE}|(?:印发|发布|公布)之日)起?(?:施行|实施|执行|生效)")
# The field of a database print-out's head (发布日期：2021.08.27  实施日期：2021.08.27, corpus-dc 43 and others).
_EFFECTIVE_FIELD = re.compile(r"(?:实施|施行|生效)日期\s*[:：]\s*(?P<y>(?:19|20)\d{2})\s*[年.\-/]\s*(?P<m>\d{1,2})\s*[月.\-/]"
                              r"\s*(?P<d>\d{1,2})")
# An end written as the span of effect (本措施自印发之日起实施至2024年12月31日, corpus-dc 343) is an expiry too.
_EXPIRES = re.compile(rf"有效期(?:至|到)(?P<date>{_DATE})|有效期(?:为)?(?P<years>[\d一二三四五六七八九十两]+)年|"
                      rf"(?:施行|实施|执行)(?:至|到)(?P<until>{_DATE})(?:止)?")
# A 文号 as the text layer gives it: the organ's abbreviation, the year in 〔〕 (or [], ［］, 【】, （）) and the
# number, with spaces or a line break between the parts (沪府发 〔2022〕1号, 鲁发改能源[2021]   1097号, 国资发科创〔2021〕93 号).
_NUMBER_LOOSE = re.compile(r"(?P<org>[\u4e00-\u9fff](?:[ \t\u3000]?[\u4e00-\u9fff]){0,13})\s*" + DOC_YEAR_OPEN
                           + r"\s*(?P<year>(?:19|20)\d{2})\s*" + DOC_YEAR_CLOSE + r"\s*(?:第\s*)?(?P<no>\d{1,4})\s*号")
# The notice's own number stands alone on its line (in brackets, or after 发文字号：); one inside a sentence cites
# another document (根据《…》（国发〔2021〕4号）).
_OWN_BEFORE = re.compile(r"^[\s（(]*(?:(?:发文字号|文号)\s*[:：]\s*)?$")
_OWN_AFTER = re.compile(r"^[\s）)]*(?:$|(?:发布|成文|印发)日期|签发人)")
# The letterhead or the title may run on into the number on one line (…甘肃省人民政府文件甘政发〔2021〕62号,
# …的通知渝环〔2021〕111号): the organ's abbreviation starts after the kind word that ends them.
_RUN_ON = re.compile(r"(?:文件|通知|意见|方案|办法|规划|决定|公告|细则|计划|要点)(?P<org>[\u4e00-\u9fff]{1,12})$")
# Who issues: organs end in one of these words (国务院办公厅, 辽宁省人民政府, 国家能源局, 生态环境部, 中共中央);
# several may be listed (工业和信息化部、国家发展和改革委员会、生态环境部; 住房和城乡建设部等15部门).
_ORGAN_END = (r"(?:人民政府|政府|办公厅|办公室|委员会|党委|省委|市委|县委|区委|中央|国务院|常委会|管委会|领导小组|"
              r"发展改革委|中心|银行|[厅局委部署办院行])")
_ORGAN = rf"[\u4e00-\u9fff]{{2,30}}?{_ORGAN_END}"
_ORGANS = re.compile(rf"^{_ORGAN}(?:[、，\s]*{_ORGAN})*(?:等\s*(?:[\d一二三四五六七八九十]+\s*个?)?部门)?$")
_LETTERHEAD = re.compile(r"^\s*(?P<org>[\u4e00-\u9fff\s]{4,60}?)\s*文\s*件\s*$", re.M)
_ISSUER_FIELD = re.compile(r"(?:发文机关|发布部门|发文单位|发布机关)\s*[:：]\s*(?P<org>[^\n:：]{2,60}?)\s*"
                           r"(?=$|\n|成文日期|发布日期|发文字号|实施日期)", re.M)


def doc_number(head: str) -> str:
    """The notice's own 文号 in the head of its text, folded (沪府发〔2022〕1号), or "": the first number that
    stands alone on its line or ends the letterhead or title line."""
    head = to_halfwidth_alnum(head)
    for m in _NUMBER_LOOSE.finditer(head):
        line_start = head.rfind("\n", 0, m.start()) + 1
        line_end = head.find("\n", m.end())
        before, after = head[line_start: m.start()], head[m.end(): line_end if line_end >= 0 else len(head)]
        if not _OWN_AFTER.match(after):
            continue
        org = re.sub(r"\s+", "", m.group("org"))
        if len(org) < 2 and not before.strip():  # a number broken over lines (（包府办\n发〔2021〕21号）): one line
            prev = head[head.rfind("\n", 0, max(line_start - 1, 0)) + 1: max(line_start - 1, 0)].rstrip()
            tail = re.search(r"[\u4e00-\u9fff]{1,10}$", prev)
            if not tail:
                continue
            org, before = tail.group(0) + org, prev[: tail.start()]
        prev_line = head[head.rfind("\n", 0, max(line_start - 1, 0)) + 1: max(line_start - 1, 0)]
        if re.match(r"\s*\d{1,2}\s*[.．、]\s*《", prev_line):
            continue  # the number of an item in a list of the documents it draws on (6.《…意见》 / (包府办发〔2021〕118号))
        if not _OWN_BEFORE.match(before):
            run_on = _RUN_ON.search(re.sub(r"\s+", "", before) + org)
            if not run_on or re.search(r"[《》，。；]", before):
                continue
            org = run_on.group("org")
        return f"{org}〔{m.group('year')}〕{m.group('no')}号"
    return ""


def _organs(s: str) -> str:
    s = re.sub(rf"({_ORGAN_END})\s+(?=[\u4e00-\u9fff])", r"\1、", (s or "").strip())  # 四川省生态环境厅 四川省经济…厅
    s = re.sub(r"\s+", "", s).strip("、，")
    return s if 2 <= len(s) <= 60 and _ORGANS.match(s) else ""


def issuer(head: str, title: str) -> str:
    """Who issued the document, as written: a 发文机关 field, the letterhead (XX人民政府文件), the organs that open
    the title (XX关于印发…的通知, 工业和信息化部、…关于…的意见), else ""."""
    if (m := _ISSUER_FIELD.search(head)) and (org := _organs(m.group("org"))):
        return org
    if (m := _LETTERHEAD.search(head[:400])) and (org := _organs(m.group("org"))):
        return org
    t = re.sub(r"^.{0,60}?文件(?=.{2,60}?(?:关于|印发))", "", title.strip())  # a letterhead the title swallowed
    if (m := re.match(r"^(?P<org>[^《“”]{2,80}?)(?:关于|印发|转发|发布)", t)) and (org := _organs(m.group("org"))):
        return org
    return ""


def policy_title(title: str) -> str:
    """`市发展改革委关于印发《关于做好用能保障推动绿色发展的十项措施》的通知` → the policy's own title. A notice that
    publishes several documents (关于发布《…规则》《…规则》和《…规则》的公告, corpus-dc 402) is itself what carries
    them: its title stays the document's. A quote closed by a bracket (《…规划）的通知, 191) loses the bracket."""
    m = _NOTICE.match(title.strip())
    if not m or len(m.group("title")) < 4:
        return title
    inner = m.group("title").strip("《》«»〈〉 ")
    if re.search(r"[》»〉][^《«〈]*[《«〈]", inner):
        return title
    if inner.endswith(("）", ")")) and inner.count("（") + inner.count("(") < inner.count("）") + inner.count(")"):
        inner = inner[:-1]
    return inner if len(inner) >= 4 else title


_HAND = re.compile(r"印发给你们|印发给|现印发|予以印发|印发你们")
# The notice's signature: its organs and the date (甘肃省人民政府2021年8月12日), perhaps a note on publication after it
# ((此件公开发布), (此件有删减)).
_SIGNED = re.compile(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:[（(]此件[^）)\n]{0,12}[）)])?\s*")


_OPENERS, _CLOSERS = "《“«〈\"（(", "》”»〉\"）)"
# The title as an attachment's file name (附件：山东省…规划.docx, corpus-dc 338, 394) is no heading.
_FILE_NAME = re.compile(r"^[》”\"]?\s*\.(?:docx?|pdf|wps|ofd)(?![a-z])", re.I)
# Where a title written differently from the notice's is taken as the policy's heading: at a line start, after
# 附件/附件1, or after the notice's signed date (pypdf joins 甘肃省人民政府2021年8月12日（此件有删减）关于…实施方案).
_HEADING_BEFORE = re.compile(r"(?:^|\n)\s*(?:附件\s*\d{0,2}\s*[:：]?\s*)?$|(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                             r"\s*(?:[（(][^（()）\n]{1,12}[）)])?\s*$")


def wrapper_end(text: str, own_title: str) -> int:
    """Offset where the policy carried by a notice starts: its title written again, not inside quotes, after the
    sentence that hands it out (现将《…》印发给你们). The title as the notice writes it, anywhere; or written
    differently — compared by `knowledge.text.title_key`, so quotes, brackets, dashes, white space and 的 may differ
    (corpus-dc 107, 191, 219, 343, 359, 475, 559, 573) — where a heading stands (a line start, after 附件 or after
    the notice's signed date). Failing both, right after the signed date when it follows the hand-out sentence
    closely (the title is not repeated, 319). 0 when no such place is found: nothing is separated, and a 关于发布…
    notice whose own text carries the policy (its measures, or the guide in an annex: 26, 309, 315) stays the
    policy's opening unit, as a reader reads it."""
    own = own_title.strip()
    key, _ = title_key(own)
    if len(key) < 4:
        return 0
    lead = len(own) - len(own.lstrip(_OPENERS))
    trail = len(own) - len(own.rstrip(_CLOSERS))
    hand = _HAND.search(text)
    start = hand.end() if hand else 0
    body, offsets = title_key(text[start:])
    at = body.find(key)
    while at >= 0:
        pos = start + offsets[at]
        end = start + offsets[at + len(key) - 1] + 1
        for _ in range(lead):  # the title's own opening quote (“十四五”…规划)
            if pos > start and text[pos - 1] in _OPENERS:
                pos -= 1
        for _ in range(trail):
            if end < len(text) and text[end] in _CLOSERS:
                end += 1
        at = body.find(key, at + 1)
        before, after = text[max(0, pos - 1):pos], text[end:end + 1]
        if before in ("《", "“", "«", "〈") or after in ("》", "”", "»", "〉") or _FILE_NAME.match(text[end:end + 8]):
            continue
        if text[max(0, pos - 2):pos] == "关于" and not own.startswith("关于"):  # 关于推动…的若干措施 (343)
            pos -= 2
        if text[pos:end] != own and not _HEADING_BEFORE.search(text[max(start, pos - 40):pos]):
            continue
        # The title may follow 附件 / 附件1 on the same line.
        line_start = text.rfind("\n", 0, pos) + 1
        if re.fullmatch(r"\s*附件\s*\d{0,2}\s*[:：]?\s*", text[line_start:pos]):
            return line_start
        return pos
    if hand and (signed := _SIGNED.search(text, hand.end(), hand.end() + 300)) and signed.end() < len(text):
        return signed.end()
    return 0


_CN_NUM = "〇○零Ｏ一二三四五六七八九十"
# A cover's date of a plan or a guide without a day (2022 年 3 月 under the title, 二〇二二年五月): a line of its own.
_COVER_MONTH = re.compile(rf"^\s*(?P<y>(?:19|20)\d{{2}}|[二][{_CN_NUM}]{{3}})\s*年\s*(?P<m>\d{{1,2}}|[{_CN_NUM}]{{1,2}})\s*月\s*$",
                          re.M)


# The print line of a 版记 (河北省人民政府办公厅 2022年2月22日印发, GB/T 9704's 印发机关和印发日期) on a line of its own.
_PRINTED = re.compile(r"^[\u4e00-\u9fff\s]{0,40}?(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印发\s*$", re.M)


def printed_date(text: str) -> str:
    """The date of the 版记's print line (2022年2月22日), or "": a document with no signed date was issued then."""
    m = None
    for m in _PRINTED.finditer(text or ""):
        pass
    return re.sub(r"\s+", "", m.group("date")) if m else ""


def cover_month(first_page: str) -> str:
    """The month a cover dates the document in (2022年3月), from the first page's lines, or ""."""
    m = _COVER_MONTH.search(first_page or "")
    if not m:
        return ""
    try:  # a line the pattern admits but no calendar does (二〇二二年一二月, 二〇十二年三月) dates nothing
        return f"{cn_digit_string(m.group('y'))}年{cn_month(m.group('m'))}月"
    except ValueError:
        return ""


def front_matter(text: str, wrapper: int = 0, raw_head: str = "", title: str = "") -> dict:
    """doc_number, issuer, issued, effective, expires — those that can be read; values as written. `raw_head` is
    the start of the text layer before cleaning (its lines as the PDF sets them), `title` the title line as found."""
    meta: dict = {}
    head = text[: max(wrapper, 1500)]
    # The notice's own number stands on a line of its own; numbers inside sentences cite other documents.
    if number := doc_number(raw_head) or doc_number(head):
        meta["doc_number"] = number
    if organ := issuer(raw_head or head, title):
        meta["issuer"] = organ
    dates = list(_DATE_LINE.finditer(text[:wrapper] if wrapper else text))
    if not dates and wrapper:
        # The last date of the wrapper that is not the print line of its 版记 (生态环境部办公厅2022年1月4日印发, GB/T
        # 9704's 印发日期): the 成文日期 stands over the signature before it (2021年12月31日, corpus-dc 510).
        found = list(re.finditer(rf"(?P<date>{_DATE})", text[:wrapper]))
        dates = ([m for m in found if not re.match(r"\s*印发", text[m.end():m.end() + 4])] or found)[-1:]
    if dates:
        d = dates[0] if wrapper else dates[-1]
        meta["issued"] = d.group("date")
        before = text[: d.start()].rstrip("\n").split("\n")[-1].strip()
        if "issuer" not in meta and 2 <= len(before) <= 30 and not re.search(r"[。；，：]", before) and _organs(before):
            meta["issuer"] = before  # the organ signed over the date
    if m := _EFFECTIVE.search(text):
        meta["effective"] = m.group("date")
    elif m := _EFFECTIVE_FIELD.search(head):
        meta["effective"] = f"{m.group('y')}年{int(m.group('m'))}月{int(m.group('d'))}日"
    if m := expiry(text):
        meta["expires"] = m.group("date") or m.group("until") or f"{m.group('years')}年"
    return meta


# The sentence that gives the document's own term names the document (本办法…有效期三年) or its start
# (自发布之日起施行，有效期三年); other terms belong to what an article regulates (纳入黑名单，有效期为五年, 554).
_OWN_TERM = re.compile(rf"{DOC_SELF.pattern}|(?:施行|实施|执行|生效)[，,]")


def _sentence_before(text: str, at: int) -> str:
    """The run of `text` before position `at`, back to the end of the sentence or line before it."""
    return text[max(text.rfind("。", 0, at), text.rfind("\n", 0, at)) + 1: at]


def expiry(text: str) -> re.Match | None:
    """The document's expiry: the first 有效期 whose sentence is about the document itself, else the first one."""
    found = list(_EXPIRES.finditer(text))
    # A span of effect (执行至2023年12月31日) is the document's only when its sentence names the document (本措施自…起
    # 实施至…, 343): a guide to tax reliefs gives each relief's span so (329), none of them the guide's.
    found = [m for m in found if not m.group("until") or DOC_SELF.search(_sentence_before(text, m.start()))]
    for m in found:
        if _OWN_TERM.search(_sentence_before(text, m.start())):
            return m
    return found[0] if found else None
