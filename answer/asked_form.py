"""After the answer-or-refuse decision (answer.decide): a question whose form asks for one kind of thing — a time
(什么时候, 何时, 什么时间), a telephone number, a web or an e-mail address — is answered only by quotes that state
one. An answer whose quotes do not says what is done, whom to call or where to go at most: refused, with its quote as
the closest text. Functions over the decided answer and the composer (answer.compose.Composer) the decision uses."""
from __future__ import annotations

import re
from dataclasses import replace

from answer.answerability import QuestionView, carries
from answer.asked_subject import place_for_national, sibling_figure
from answer.identifiers import FORMS, identifier_missing
from answer.asks import ASKS_WHEN
from answer.parts import closing_deadline
from answer.text import STATES_WHEN, strip_heading
from answer.types import Answer
from knowledge.text import fold


# A year (or years joined: 2019和2020年度) written before the noun it qualifies dates nothing: 进行2021年碳排放核算摸底,
# 围绕2019和2020年度碳排放数据质量, 我局将开展2020年度碳排放报告编制报送 — the attributive use of general Chinese, a year
# of another act than the asked one (b8 513, b14 553, b16 178: a when-question answered with it). A year dates when a
# time preposition precedes it (到/至/于/在/自/从/为/截至/截止 2025年), a time suffix, a figure or a pause follows it
# (年底, 年末, 前, 以后, 内, 起, 初, 2025年3月, 年二季度, ，、；), an event and 前/后/期间/时 follow it (2021年清缴期前), or it
# opens its clause written 年 (2025年全市…, 2020年农作物秸秆综合利用率达86%: a dated fact); 年度 before a noun at the
# opening of a clause qualifies it too (2021年度配额分两批次发放).
_YEARS = re.compile(r"20\d{2}(?:\s*年度?)?(?:\s*[和、及与至—-]\s*20\d{2}(?:\s*年度?)?)*")
_TIME_BEFORE = re.compile(r"(?:[到至于在从自为止]|截至|截止)\s*$")
_TIME_AFTER = re.compile(r"[\d一二三四五六七八九十底末前内起以之后初中上下，,、；;。：:）)\s]|度[，,、；;。]")
_EVENT_AFTER = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:前|后|期间|时|之际)")
_OPENS = re.compile(r"(?:^|[，,。；;：:、\n（(【])\s*$")
# A moment after an event, as notices date a step by the one before it (b10 369: 核查工作结束后…将第二批次配额…发放至
# 企业账户中; b15 366: 活动结束后…总结) — general Chinese, as 之日起 is in answer.text.STATES_WHEN.
_AFTER_EVENT = re.compile(r"(?:结束|完成|期满|届满)(?:后|以后|之后)")


def _year_dates(sentence: str, m: re.Match) -> bool:
    before, after = sentence[:m.start()], sentence[m.end():]
    if _TIME_BEFORE.search(before) or not after or _TIME_AFTER.match(after) or _EVENT_AFTER.match(after):
        return True
    return bool(_OPENS.search(before)) and not m.group(0).endswith("度")


def states_time(sentence: str) -> bool:
    """`sentence` states a time: a date, a span or a moment (the decision's date pattern, answer.text.STATES_WHEN)
    other than years that only qualify a noun (_year_dates)."""
    if STATES_WHEN.search(sentence) or _AFTER_EVENT.search(sentence):
        return True
    if not carries("date", sentence):
        return False
    if carries("date", _YEARS.sub("", sentence)):  # a date pattern besides the years themselves (年底, 3月10日, 每年)
        return True
    return any("年" in m.group(0) and _year_dates(sentence, m) for m in _YEARS.finditer(sentence))


def asked_form_stated(a, question: str, qv: QuestionView, ans: Answer) -> Answer:
    """The decided answer `ans`, or a refusal when it leaves out the time or the identifier the question asks for
    (`when_stated`, then `identifier_stated`). `a`: the decision's composer."""
    return identifier_stated(a, question, qv, when_stated(a, question, qv, ans))


def form_stated(a, question: str, ans: Answer) -> Answer:
    """A place (哪个城市) or a length of time (多长时间, 多久) asked (answer.identifiers.FORMS): a completed answer none of
    whose lead document's quotes states one is about the asked topic at most (要合理设置政策实施过渡期; 选择…的地方开展
    试点) — refused, with its first quote as the closest text. So is an amount asked of a phrase whose quoted figures
    all belong to a sibling of it (answer.asked_subject.sibling_figure), and a question of the nation (我国) answered
    from a place's document (answer.asked_subject.place_for_national). `a`: the answerer's composer."""
    if ans.refused or ans.exact or not ans.citations:
        return ans
    lead = ans.citations[0].doc_id
    quotes = [c.quote for c in ans.citations if c.doc_id == lead]
    missing = identifier_missing(fold(question), quotes, FORMS)
    if missing is None:
        # A figure of a sibling (国家…绿色工厂 for 省级绿色工厂; answer.asked_subject): the asked phrase's words missing
        # beside every quoted figure, its head word beside one.
        asked = sibling_figure(a.matcher, fold(question), quotes, ans.citations[0].doc_title)
        # The nation asked (我国), a province's or a city's document quoted: the place's figure, not the nation's.
        place = None if asked else place_for_national(fold(question), ans.citations[0].doc_title)
        if asked is None and place is None:
            return ans
        missing = f"所问的{''.join(asked)}的数字" if asked else f"所问的全国的情况（所引为{place}的文件）"
    closest = ans.citations[0]
    return a.refuse(question, missing, closest, strip_heading(closest.quote))


def identifier_stated(a, question: str, qv: QuestionView, ans: Answer) -> Answer:
    """A telephone number or a web address asked (answer.identifiers): an answer none of whose quotes states one
    (各单位可来电咨询; 通过…指定的披露系统披露) names whom to call or where to go at most, not the identifier —
    refused, with its quote as the closest text."""
    if ans.refused or ans.exact or not ans.citations:
        return ans
    missing = identifier_missing(qv.question, [c.quote for c in ans.citations])
    if missing is None:
        return ans
    closest = ans.citations[0]
    return a.refuse(question, missing, closest, strip_heading(closest.quote))


def when_stated(a, question: str, qv: QuestionView, ans: Answer) -> Answer:
    """"When" asked (什么时候, 何时, 什么时间): an answer none of whose quotes states a time (a date, a span, a
    moment relative to an event: `states_time`; a year that only qualifies a noun, 围绕2019和2020年度碳排放数据质量, is
    none) says what is done, not when — refused, with its quote as the closest text. Read on the whole answer, its
    completing sentences included (answer.parts, `complement`): the chosen sentence may be a note whose neighbour
    states the date."""
    if ans.refused or ans.exact or not ans.citations or not ASKS_WHEN.search(qv.question):
        return ans
    # The lead document's quotes only: another document's sentence beside it (另据《…》) states its own time (b14 46)
    lead = ans.citations[0].doc_id
    # An answer quoting several documents (有两份文件涉及这一问题…, or 另据《…》) keeps the reading before `states_time`:
    # any year of the lead's quotes dates it. Its lead may be the weaker part (b10 549-07 over the 74-document dev
    # library: the lead's 2020年度…, the next document's 2021年四季度), and a per-document answer is not refused whole.
    one_document = len({c.doc_id for c in ans.citations}) == 1
    stated = states_time if one_document else (lambda s: carries("date", s) or STATES_WHEN.search(s))
    if any(stated(c.quote) for c in ans.citations if c.doc_id == lead):
        return ans
    # The quoted sentence's group closes with the deadline field of a work list (…完成发电企业碳排放配额分配…。督促
    # 企业…（责任部门：气候处，完成期限：2021年四季度）): that bracket states when, for every sentence of its group.
    for c in (c for c in ans.citations if c.doc_id == lead):
        doc = a.catalog.documents.get(c.doc_id)
        m = doc.measure(c.seq) if doc else None
        due = closing_deadline(m.text, c.quote) if m else None
        if due is not None and due[0] != c.quote:
            cites = [*ans.citations, a.cite(doc, m, due[0], c.score)]
            return replace(ans, answer=ans.answer + f"此外，{strip_heading(due[0])}[{len(cites)}]", citations=cites)
    closest = ans.citations[0]
    return a.refuse_closest(question, qv.words, ("date",), closest, strip_heading(closest.quote),
                            closest.doc_title + closest.measure_title, qv.years)
