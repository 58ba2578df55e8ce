"""What papers an application hands in (issue 12's finance manager: "what do I submit?"): the statements of a
document that list them, each an exact substring of its unit, for `knowledge.support.link_support` to attach to
support items (`SupportItem.materials`) and for the chat's materials answer (answer.support_materials) to quote.

Three constructions, each seen on several open corpus-dc documents (the sweep: docs/support-rules.md):
- a lead that announces a list of papers and the list after it — `…申报登记材料如下：（一）…；（二）…` (155 第十条),
  `…需向市生态环境局提交以下材料：（一）…` (175 第十三条, 第九条), `申报时须提交以下材料：1.…` (322), `…应当提交下列材料：`
  (331, 406 第…条);
- one sentence that names the papers with a verb of handing them in or preparing them — `申请制发林业碳票，应当提供登记
  申请表，…复印件，…证书` (162), `认真填写碳减排技术申报表（附件1），…编写技术报告（附件2），于…前报送` (209);
- a unit under a heading of papers (`（二）核查机构备案材料`, `三、申报材料`, 375 309): its text is the list.
Pure functions, no I/O.
"""
from __future__ import annotations

import re

from knowledge.support_clauses import HAND_IN_PAPERS, PAPERS_APPLYING_RE, PAPERS_REPORT_DUTY_RE
from knowledge.text import LIST_ITEM, line_sentences

# The nouns of papers (材料, 资料, a form, a copy, a certificate, a report …).
PAPERS = (r"材料|资料|文件|证明|申请表|申报表|申请书|申报书|登记表|备案表|汇总表|推荐表|承诺书|复印件|扫描件|截图|证书|"
          r"执照|报告|附件|清单|说明")
# A lead to a list of papers: the papers named with 如下/包括/以下/下列, ending the line in ： (or 如下).
LEAD_RE = re.compile(r"(?:材料|资料|证明文件)[^，。；：:\n]{0,6}?(?:如下|包括|主要包括|应当包括|应包括|有)[：:]?\s*$|"
                     rf"(?:{HAND_IN_PAPERS}|准备|报备)[^，。；：:\n]{{0,10}}?(?:以下|下列|如下)"
                     r"[^，。；：:\n]{0,10}?(?:材料|资料|文件|证明)[：:]?\s*$")
# One sentence naming papers handed in or prepared: a verb of handing in or preparing and a named paper in its clause
# (162 应当提供登记申请表，…; 406 应当提交标准文本、编制说明、发布文件等材料; 399 提交…完成注销操作的截图), or the papers said
# to comprise what follows (525 申报材料包括申请表、…核证报告和…材料; 233 …申报材料包括方法学备案申请表…). Papers named only
# as 材料 (提交相关申请材料, 错峰提交材料) say nothing of which: GENERIC_RE is taken out before the verb's reading.
VERB_PAPERS_RE = re.compile(rf"(?:{HAND_IN_PAPERS}|填写|填报|编写|编制)"
                            rf"[^。；，,\n]{{0,30}}?(?:{PAPERS})")
COMPRISE_RE = re.compile(r"(?:材料|资料)(?:主要)?(?:包括|包含)[^。；\n]{2,}")
GENERIC_RE = re.compile(r"(?:相关|有关|其他|申请|申报|纸质|书面|配套|备案|全部|所需|技术|证明|电子版?)*(?:材料|资料)")
# Papers reviewed or found wanting are no papers asked for (117 对申报项目的资金等材料进行评审, 309 因资料不齐全…退回), nor
# is the truth of papers (502 对其提交材料的真实性…负责, 373 提供的验收文件…不真实, 209's 承诺书).
REVIEWED_RE = re.compile(rf"(?:{PAPERS})[^，。；]{{0,4}}?(?:进行)?(?:评审|审核|审查|核实|查验|不齐全|不全)|真实|虚假|弄虚作假")
# … and it is about applying, registering or filing (not a plan's report duty: 每年…报送工作总结): PAPERS_APPLYING_RE
# and PAPERS_REPORT_DUTY_RE, beside the window's APPLYING_RE and REPORT_DUTY_RE in knowledge.support_clauses.
# A heading of papers (its unit's path or title): 申报材料, 备案材料, 提交材料, 申请材料清单.
HEADING_RE = re.compile(r"(?:申报|申请|备案|提交|报送|所需|登记|验收|推荐)(?:的)?材料(?:清单|要求|目录)?\s*[：:]?\s*$")
# A line opening a list item: knowledge.text.LIST_ITEM.
# A statement is at most this long (a list of papers is short; a unit of conditions after a lead is not papers).
MAX_CHARS = 900


def statements(text: str, path=(), title: str = "") -> list[tuple[str, bool]]:
    """The statements of papers in one unit's text, in order, each an exact substring of `text` with whether it
    is a list (a lead with the list after it, or the whole unit under a heading of papers) or one sentence naming
    papers handed in."""
    heading = " ".join(list(path or ()) + [title or ""])
    lines = _lines(text)
    if any(HEADING_RE.search(h.strip()) for h in [*(path or ()), title or ""] if h) and len(text) <= MAX_CHARS:
        return [(text.strip(), True)]
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        if LEAD_RE.search(line.rstrip()) or (HEADING_RE.search(line.strip()) and i + 1 < len(lines)):
            j = i + 1
            while j < len(lines) and LIST_ITEM.match(lines[j][1]):
                j += 1
            if j > i + 1:
                end = lines[j - 1][0] + len(lines[j - 1][1])
                span = text[_lead_start(text, start, line):end].strip()
                if len(span) <= MAX_CHARS:
                    out.append((span, True))
                i = j
                continue
        for s in line_sentences(line):
            named = VERB_PAPERS_RE.search(GENERIC_RE.sub("□", s)) or COMPRISE_RE.search(s)
            if named and (PAPERS_APPLYING_RE.search(s) or PAPERS_APPLYING_RE.search(heading)) \
                    and not PAPERS_REPORT_DUTY_RE.search(s) and not REVIEWED_RE.search(s) and (s.strip(), False) not in out:
                out.append((s.strip(), False))
        i += 1
    return out


def of_units(units) -> list[tuple[object, str, bool]]:
    """(unit, statement, is a list) of every statement of papers of a document's units, in document order."""
    return [(u, s, listed) for u in units
            for s, listed in statements(u.text, getattr(u, "path", None) or (), getattr(u, "title", "") or "")]


def _lines(text: str) -> list[tuple[int, str]]:
    out, at = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((at, line))
        at += len(line) + 1
    return out


def _lead_start(text: str, start: int, line: str) -> int:
    """Where the lead's sentence begins within its line (after the 。 or ； of an earlier sentence)."""
    cut = max(line.rstrip().rfind(m, 0, len(line.rstrip()) - 1) for m in "。；")
    return start + cut + 1 if cut >= 0 else start
