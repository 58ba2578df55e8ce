"""The document pass of support (issue #12): what a notice states once — its application window and the calls it
makes, the office, applicants, conditions and exclusions — read over all its units (`document_facts`), for
`knowledge.support.link_support` to attach to the items of every unit and for the answerer's support routes to
read. Pure functions, no I/O."""
from __future__ import annotations

import re

from knowledge.eligibility import PLACE_CUE
from knowledge.support_clauses import (
    APPLICANT_ACTS_RE, APPLICANT_IS_RE, APPLY_RE, APPLYING_RE, CALL_PAPERS_RE, COND_SECTION_RE, OFFICE_SENT_RE,
    REPORT_DUTY_RE, STRICT_EXCLUSION_RE, WINDOW_CUE_RE, office_in, review_time as _review_time, sentences,
)
from knowledge.support_items import Field, window_dict
from knowledge.support_labels import unit_label
from knowledge.support_windows import replaces, windows_in

# A lead to a list of conditions names the relief they qualify for, it grants nothing itself (329 税费优惠指引:
# 1.减半征收车船税的节能乘用车应同时符合以下标准：, beside 19.节能汽车减半征收车船税).
CONDITIONS_LEAD_RE = re.compile(r"(?:符合|满足|具备)(?:以下|下列)[^，。；：:]{0,8}[：:]\s*$")


def _context(unit, headings: dict) -> str:
    """The headings a unit sits under (its path; or, before the outline parser, its section's title), and its
    own title when that is a short heading (支持对象, 申报条件) rather than the start of a sentence — or the bracketed
    heading an article opens with (122: 第二条【适用范围】本办法适用于…同时符合以下条件的企业或机构：)."""
    path = " ".join(getattr(unit, "path", []) or [])
    title = getattr(unit, "title", "") or ""
    bracketed = re.match(r"\s*【([^】]{2,12})】", title)
    own = title if len(title) <= 12 else bracketed.group(1) if bracketed else ""
    return f"{path} {headings.get(getattr(unit, 'section_no', None), '')} {own}"


def document_facts(units, headings: dict | None = None, cond_sections=COND_SECTION_RE, leads: bool = False) -> dict:
    """Windows, offices, applicants, conditions and exclusions a document states once, each as a Field (or a
    window dict) marked document-wide, with the label of the unit it was read in. `cond_sections`: the headings
    conditions are read under (CALL_COND_SECTION_RE for a call that grants no money); `leads`: a lead to a list of
    conditions (第六条申报示范工程的城市，原则上应当同时满足以下条件：) makes the rest of its unit conditions too."""
    facts: dict = {"window": None, "office": None, "applicants": [], "conditions": [], "exclusions": [], "calls": []}
    sent_office = None
    for u in units:
        label, text = unit_label(u), u.text
        context = _context(u, headings or {})
        cond_unit = bool(cond_sections.search(context))
        excl_unit = bool(re.search(r"不予支持|不予资助|不予补助", context))
        # Under a 申报时间 / 受理时间 heading (the unit's, or a heading line inside it) a date is the window even when
        # its sentence names no applying (五、申报时间 / 2022年3月1日至3月31日。).
        window_section = bool(WINDOW_CUE_RE.search(context))
        sents = sentences(text)
        for at, s in enumerate(sents):
            # a bare heading (五、申报时间); not a short item of a list, which ends in ；(525: （一）申报人为产品业主；)
            if re.fullmatch(r"\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．、])"
                            r"[^：:。，；;\s\d]{2,10}[：:]?\s*", s):
                window_section = window_section or bool(WINDOW_CUE_RE.search(s))
                continue
            # the call's own deadline: a window cue, the applicant applying, or the application's papers handed in
            # … or a deadline the next sentence closes (common: …前报送至…。/ 逾期不予受理。, 285)
            closed = at + 1 < len(sents) and bool(re.fullmatch(rf"\s*(?:{WINDOW_CUE_RE.pattern})[^，。；]{{0,6}}[。；]?\s*",
                                                              sents[at + 1]))
            strong = bool(WINDOW_CUE_RE.search(s) or APPLICANT_ACTS_RE.search(s) or CALL_PAPERS_RE.search(s)) or \
                window_section or closed
            if (APPLY_RE.search(s) or window_section) and not _review_time(s) and \
                    (strong or APPLYING_RE.search(s) or not REPORT_DUTY_RE.search(s)):
                w = windows_in(s, approximate=strong)
                if w and replaces(facts["window"], w[0], s, strong):
                    facts["window"] = dict(window_dict(w[0], s, True, label), strong=strong)
                if w and strong:
                    facts["calls"].append(window_dict(w[0], s, True, label))
                    sent = OFFICE_SENT_RE.search(s)
                    if sent and sent_office is None:  # where the call's papers go (209, 551), unless 受理 names one
                        sent_office = Field(sent.group("o"), s, True, label)
            if facts["office"] is None and re.search(r"受理|申请决定机关", s):
                o = office_in(s)
                if o:
                    facts["office"] = Field(o, s, True, label)
            # A lead to the list of conditions (…同时符合以下条件的企业：) is left out, unless it ties the applicants to a
            # place (122 第二条: 登记注册地…在广州市黄埔区…范围内…的企业或机构：; 在本市注册的企业…：): that is a condition.
            if cond_unit and len(s.strip()) >= 8 and (not s.strip().endswith(("：", ":")) or PLACE_CUE.search(s)):
                for a in APPLICANT_IS_RE.finditer(s):
                    facts["applicants"].append(Field(a.group("a").strip(), s, True, label))
                if not cond_sections.fullmatch(s.strip("（）一二三四五六七八九十、。：: ")):
                    facts["conditions"].append(Field(s.strip(), s, True, label))
            if leads and CONDITIONS_LEAD_RE.search(s):
                cond_unit = True
            if (excl_unit or STRICT_EXCLUSION_RE.search(s)) and not re.search(r"不予支持的情形", s):
                facts["exclusions"].append(Field(s.strip(), s, True, label))
    facts["office"] = facts["office"] or sent_office
    return facts
