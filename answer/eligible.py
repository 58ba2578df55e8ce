"""Which candidate sentences may answer a fact question: the hand checks of the answer-or-refuse decision
(answer.decide). A sentence is eligible when it carries the kind of fact asked — a figure in the asked unit, of the
asked subject, for a "how many"; a date for "which day"; an expiry for "until when" (`carries_asked`) — and its
figure is due in the asked year (`year_fits`). An ineligible sentence may still be quoted as the closest text of a
refusal. Each check reads Chinese grammar or the way policies state a kind of fact, never one document's words."""
from __future__ import annotations

import functools
import re

from answer.answerability import ASKED, QuestionView, carries
from answer.asks import (ASKS_COUNT as _ASKS_COUNT, ASKS_DAY as _ASKS_DAY, ASKS_MONTH_DAY as _ASKS_MONTH_DAY,
                         ASKS_MONEY as _ASKS_MONEY, ASKS_SHARE as _ASKS_SHARE, ASKS_UNIT as _ASKS_UNIT, ASKS_CLASSIFIER,
                         ASKS_IDENTIFIER, ASKS_PER_UNIT, ASKS_SPAN_COUNT, CLASSIFIERS, COUNTED, GENERAL_CLASSIFIER)
from answer.intents import ASKS_VALIDITY as _ASKS_VALIDITY, EXPIRY_STATED
from answer.text import (STATES_MONEY, STATES_SHARE_OR_POINTS, STATES_SPAN, amount_contexts, governing_year,
                         split_clauses, states_rate_per, with_enumeration, without_aliases)
from knowledge.plan_period import plan_end_of
from knowledge.targets import PAST_SECTION
from knowledge.text import fold, split_sentences

_MONTH_DAY = re.compile(r"\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月|月底|月末|[上中下]旬|\d{1,2}\s*日")
# A validity stated as a span from the day it takes effect, in the closing formulas of Chinese regulations and
# notices (本办法自印发之日起实施，暂定三年; 自发布之日起施行，试行两年; 自2022年1月1日起执行，执行期3年): the span with
# its onset (之日起, 起施行/实施/执行) or with 暂定/试行 answers "how long is it valid" as 有效期5年 does.
_VALIDITY_SPAN = re.compile(r"之日起|起(?:施行|实施|执行)|暂定|试行")
# A sum asked (退还多少补贴, 补贴多少): a share of the sum answers it too when the share names the money it is of
# (退还100%补贴资金, 按总投资的30%给予补助) — the way support and repayment rules state a sum relative to another.
_MONEY_NOUN = r"(?:补贴|补助|奖励|资金|经费|资助|奖补|投资|费用|罚款)"
_SHARE_OF_MONEY = re.compile(rf"{_MONEY_NOUN}[^，；。]{{0,6}}?(?:的)?(?:\d+(?:\.\d+)?\s*[%％]|百分之)"
                             rf"|(?:\d+(?:\.\d+)?\s*[%％]|百分之[零一二两三四五六七八九十百点]+)(?:的)?{_MONEY_NOUN}")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NOUN_AFTER = 2  # characters of the counted noun read after the question's classifier (几个部门 → 部门)


@functools.lru_cache(maxsize=256)
def _counted(question: str) -> re.Pattern | None:
    """A number in the counting units the question asks its counts in, when each clause asking a count names one
    (…多少座？…多少家？; 多少个 takes any of them); None when a clause asks a bare count (多少党政机关), which the
    sentence may be the one to answer. Read once per question, not once per candidate sentence."""
    asking = [c for c in re.split(r"[？?；;。]", question) if _ASKS_COUNT.search(c)]
    found = [m for c in asking for m in [ASKS_CLASSIFIER.search(c)] if m]
    if not asking or len(found) != len(asking):
        return None
    units = [m.group(1) for m in found]
    counted = list(CLASSIFIERS if GENERAL_CLASSIFIER in units else units)
    # Formal Chinese also counts with the numeral right before the noun, no classifier (15部门共同制定, 6方面, 三部门):
    # the noun the question counts (几个部门 → 部门) after the number answers as its classifier does.
    for m in found:
        noun = m.string[m.end():m.end() + _NOUN_AFTER]
        if len(noun) == _NOUN_AFTER and all(_CJK.match(ch) for ch in noun):
            counted.append(re.escape(noun))
    return re.compile(f"{COUNTED}(?:{'|'.join(counted)})")


def another_subject(question: str, words, sentence: str, context: str, matcher) -> str | None:
    """The measure a "how much" question asks, stated in `sentence` of another subject: the question puts a word W
    right before a word X it modifies (二氧化硫|重点工程减排量, 森林|覆盖率, 水电|装机), the sentence has X but not W
    (nor does `context`, its unit's and document's titles), and at every place where it has X another modifier
    stands right before it — a word the question does not use, in the same clause (主要污染物重点工程减排量,
    污水处理设施覆盖率, 风电和太阳能发电总装机容量). Chinese puts a modifier right before its head: the sentence gives
    the figure of a sibling (a neighbouring pollutant, energy source or indicator), the near miss of a question it
    does not answer. `question` and `sentence` folded; `matcher` an answer.evidence.TopicMatcher. Returns W or None."""
    for w, x in zip(words, words[1:]):
        if len(w) < SIBLING_MIN or RELATIVE_TIME.fullmatch(w):
            continue
        if not re.search(re.escape(w) + "的?" + re.escape(x), question, re.I) or x not in sentence:
            continue
        if matcher.present(w, sentence) or matcher.present(w, context):
            continue
        at = [i.start() for i in re.finditer(re.escape(x), sentence)]
        if all(_other_modifier(sentence[max(0, i - _MODIFIER_SPAN):i], question, matcher) for i in at):
            return w
    return None


# A time relative to the text's own (上一年, 上年度, 前三年, 当年, 次年: general Chinese time words) before a head
# (上一年生产经营数据) says when, not of what: the sentence writes the year itself (2019年…生产经营数据: b9's 405 was
# refused quoting it), so it names no sibling subject.
RELATIVE_TIME = re.compile(r"(?:上|前|下|后|次|当|本|今|去|明|近)[一二两三四五六七八九十\d]?年度?")
# A modifier of three characters or more names a specific thing (二氧化硫, 煤矸石, 单位GDP); two-character words are as
# often general (期间, 项目, 社会) or a short form the document writes otherwise (市局, 东部 for 东、中、西): the length
# answer.evidence.TopicMatcher.domain_missing asks of a policy term too.
SIBLING_MIN = 3
_MODIFIER_SPAN = 10  # characters before a head where its modifier is looked for (within its clause)


def _other_modifier(before: str, question: str, matcher) -> bool:
    """The text right before a head, from the last clause break, ends in a content word the question does not use."""
    chunk = re.split(r"[，。；：、,.;:\s（）()“”]", before)[-1]
    if not chunk or not _CJK.match(chunk[-1]):
        return False
    found = matcher.content_words(chunk)
    # adjacent: at most one character (总, 的) between the word and the head
    return bool(found) and not matcher.present(found[-1], question) and chunk.rfind(found[-1]) + len(found[-1]) >= len(chunk) - 1


def asks_count(question: str) -> bool:
    """A count or an amount is asked: 多少, 几 with a classifier — not a telephone or other number that names
    something (电话多少, 号码是多少: ASKS_IDENTIFIER), which no figure answers."""
    return bool(_ASKS_COUNT.search(ASKS_IDENTIFIER.sub("", question)))


def asked_parts(qv: QuestionView) -> list[list[str]]:
    """The question's content words per question it asks (…单位GDP二氧化碳排放要比2005年下降多少？非化石能源消费比重要到多少？):
    a figure answers one part when its clause names that part's policy terms; the other part is looked for after
    the decision (answer.parts). Words no part holds belong to every part; a question of one part, or whose parts
    but one hold no word of their own (…多少钱？能补几年？), is one part, all its words."""
    words = list(qv.words)
    parts = [p for p in re.split(r"[？?；;]", qv.question) if p.strip()]
    shared = [w for w in words if not any(w in p for p in parts)]
    split = [[w for w in words if w in p] + shared for p in parts] if len(parts) > 1 else []
    split = [ws for ws in split if any(w not in shared for w in ws)]
    return split if len(split) > 1 else [words]


# The legal formula of a provision for any of several cases (有下列行为之一的 / 有下列情形之一的, then the items, often
# after a further clause: …处…罚款；拒不改正的，…：（一）…), and how far past the sentence its colon may stand.
_POINTS_TO_LIST = re.compile(r"下列")
_LIST_REACH = 120


def _listed_cases(unit_text: str, s: str) -> str:
    """The items a sentence pointing to a list (有下列行为之一的，…) is about, as they follow it in its unit (up to the
    colon that opens them, and through them: answer.text.with_enumeration); "" for any other sentence."""
    pos = unit_text.find(s) if unit_text and _POINTS_TO_LIST.search(s) else -1
    if pos < 0:
        return ""
    colon = unit_text.find("：", pos)
    head = unit_text[pos:colon + 1] if 0 <= colon - (pos + len(s)) <= _LIST_REACH else s
    return with_enumeration(unit_text, head)[len(s):]


# A back-reference to the conditions or cases stated just before (适用于满足上述条件的企业, 符合前述情形的, 前款规定的):
# Chinese drafting's counterpart of 下列, which points forward. The figure is about what the sentence before states
# (corpus-dc 405: 表3直接发放配额相关参数（适用于满足上述条件的企业）…×94%, the conditions 前三年…碳排放强度…持续下降 one
# sentence earlier; the same drafting in regulations' 前款).
_REFERS_BACK = re.compile(r"(?:上述|前述|以上|前款)(?:规定|所列|条件|情形|要求)")


def _referred_conditions(unit_text: str, s: str) -> str:
    """The sentence of the unit right before `s` when `s` refers back to it (_REFERS_BACK); "" otherwise."""
    pos = unit_text.find(s) if unit_text and _REFERS_BACK.search(s) else -1
    if pos <= 0:
        return ""
    before = [x.strip() for x in split_sentences(unit_text[:pos]) if x.strip()]
    return before[-1] if before else ""


def _own_contexts(s: str) -> list[str]:
    """answer.text.amount_contexts, except that a clause closed by a semicolon is no context of the clause after it:
    Chinese sets coordinate statements apart with ；, each with its own subject and predicate (整体利用率和可再生能源
    利用率明显提升；5G基站能效提升20%以上 — the 20% is the base stations', not the renewable share's), while a comma
    leaves the subject or the year of the clause before in force (到2025年，…达到…)."""
    clauses = split_clauses(s)
    out = []
    for m in ASKED["amount"][1].finditer(s):  # every figure `carries` reads, a bare ratio (PUE不超过1.5) too
        at = next((i for i, c in enumerate(clauses) if m.group(0) in c.replace(" ", "")), None)
        if at is None:
            return amount_contexts(s)
        before = clauses[at - 1] if at > 0 and not clauses[at - 1].endswith(("；", ";")) else ""
        out.append(before + clauses[at])
    return out or [s]


def carries_asked(qv: QuestionView, s: str, matcher, parts: list[list[str]], context: str = "",
                  unit_text: str = "", doc_title: str = "") -> bool:
    """"How many/how much" is answered only by a sentence with a figure whose clause is about the asked
    policy term, and that does not state the asked measure of another subject (another_subject); "which
    day/year" only by a sentence with a date. `context`: the unit's and document's titles; `unit_text`: the unit,
    where a sentence pointing to a list (有下列行为之一的，处…罚款) finds the items its figure is about; `doc_title`: the
    document's title, whose policy terms frame every clause of it (杭州市科创领域碳达峰行动方案: its 重点突破…关键核心技术5-10项
    is of 碳达峰 without saying so)."""
    folded = fold(s)
    if another_ordinal(qv.question, folded + fold(context)):
        return False
    if asks_count(qv.question):
        if not carries("amount", s):
            return False
        if another_subject(qv.question, qv.words, folded, context, matcher):
            return False
        # A penalty or a grant for any of the listed cases (有下列行为之一的，…处二万元以上二十万元以下罚款：（一）…)
        # is about those cases: the items are part of its figure's context (with_enumeration reads them).
        listed = _listed_cases(unit_text, s) + _referred_conditions(unit_text, s)
        # The sentence read without its alias parentheses: 二氧化碳排放（以下简称“碳排放”）总量 states 碳排放总量 (b18's 582).
        plain = without_aliases(s)
        contexts = [c + listed for c in _own_contexts(plain)]
        # The figures whose clause is about the asked policy term; the asked kind (a sum, a share, a unit) must be
        # among those figures, not elsewhere in the sentence: a sentence gives several subjects their own figures,
        # and a sum of another subject (b9's 422: 累计投入资金13.9亿元 of a review, beside the steel plants' 减排0.3476万吨)
        # does not answer how much the asked one gets.
        # A policy term the document's title states is the subject of all its clauses (a plan of 碳达峰 need not
        # repeat 碳达峰 in each figure's clause) when the sentence states every other word the part asks: the title
        # stands in for the frame, not for the asked thing (溴素 asked, the 参考值 row of another product quoted). The
        # unit's title is not read so: a heading groups siblings (风电和光伏).
        framed = [p for p in parts if doc_title and all(matcher.present(w, plain + doc_title) for w in p)]
        about = [fold(c) for c in contexts if any(not matcher.domain_missing(part, c) for part in parts)
                 or any(not matcher.domain_missing(part, c + doc_title) for part in framed)]
        if not about:
            return False
        if _ASKS_MONEY.search(qv.question) and not any(STATES_MONEY.search(c) or _SHARE_OF_MONEY.search(c)
                                                       for c in about):
            return False
        per = _ASKS_MONEY.search(qv.question) and ASKS_PER_UNIT.search(qv.question)
        if per and not states_rate_per(folded, per.group(1)):
            return False
        if _ASKS_SHARE.search(qv.question) and not any(STATES_SHARE_OR_POINTS.search(c) for c in about):
            return False
        unit = _ASKS_UNIT.search(qv.question)
        if unit and not any(unit.group(unit.lastindex) in c for c in about):
            return False
        counted = _counted(qv.question)
        if counted is not None and not counted.search(folded):
            return False
    if ASKS_SPAN_COUNT.search(qv.question) and not STATES_SPAN.search(folded):
        return False
    if _ASKS_DAY.search(qv.question) and not carries("date", s):
        return False
    # "Which day": a month or a day of the month (有效期5年 gives neither); "until when is it valid": a
    # sentence that states an expiry (有效期, 失效, 废止), or a span from the day it takes effect (_VALIDITY_SPAN),
    # not the date it took effect alone.
    if _ASKS_MONTH_DAY.search(qv.question) and not _MONTH_DAY.search(s):
        return False
    if _ASKS_VALIDITY.search(qv.question) and not states_validity(s):
        return False
    return True


# An ordinal of a round or a period (第二个履约周期, 第一批, 第三期, 第二轮): the numeral, then 个 and the noun it orders, or
# a classifier of rounds. Ordinals that are words (第三方, 第一责任人) take neither.
_ORDINAL = re.compile(r"第([一二两三四五六七八九十\d]{1,3})(个[\u4e00-\u9fff]{2}|批|期|轮|届|阶段)")


def another_ordinal(question: str, text: str) -> str | None:
    """The round or period a question asks about (第二个履约周期) stated in `text` (a sentence with its unit's and
    document's titles, folded) only as another one (第一个履约周期): the sentence is of another round — b9's 399 answered
    the second cycle's deadline with the first's. Returns the other ordinal or None."""
    for m in _ORDINAL.finditer(question):
        noun = m.group(2)
        said = [o.group(0) for o in _ORDINAL.finditer(text) if o.group(2) == noun]
        if said and m.group(0) not in said:
            return said[0]
    return None


def states_validity(sentence: str) -> bool:
    """`sentence` states how long something is valid: an expiry (有效期, 失效, 废止: answer.intents.EXPIRY_STATED) or a
    span from the day it takes effect (_VALIDITY_SPAN: 自印发之日起实施，暂定三年)."""
    return bool(EXPIRY_STATED.search(sentence)
                or (STATES_SPAN.search(fold(sentence)) and _VALIDITY_SPAN.search(sentence)))


# A goal asked: the word 目标, a plan's period still to come (“十四五”, 十五五), or a year the figure is due by (到2030年,
# 至2025年) — the ways a question asks what a plan sets out to reach. A time already past asked beside it (截至2020年底,
# “十三五”期间, 目前, 累计: general Chinese words for a time up to now) asks what was reached.
ASKS_GOAL = re.compile(r"目标|十[四五六]五|(?:到|至)20\d{2}年")
ASKS_PAST = re.compile(r"截至|截止|十三五|目前|现在|现有|已经|累计|过去|以来|近年|去年|上一年")


def goal_fits(qv: QuestionView, m) -> bool:
    """A goal asked is not answered from a part of a plan that reviews the past or the situation (发展基础, “十三五”
    时期…成效, 面临形势: knowledge.targets.PAST_SECTION, the same parts target extraction leaves out), named by the
    unit's title or a heading above it: what was reached, or another body's goal quoted as background, is not the
    plan's goal. dev's 171 answered “十四五”要完成多少既有建筑节能改造 with the “十三五” 5.14亿平方米 of 发展基础, 42 its
    再生有色金属 goal with the 十三五 output, 562 a 2030 hydropower goal with the national wind and solar one of 面临形势."""
    if not ASKS_GOAL.search(qv.question) or ASKS_PAST.search(qv.question):
        return True
    return not PAST_SECTION.search(" ".join([*m.path, m.title]))


def year_fits(qv: QuestionView, doc, m, s: str) -> bool:
    """A question asking for a due year is answered only by a sentence whose figure is due that year
    (its own 到20XX年, or the one carried from earlier in the unit), or that names the year; a goal asked, only
    outside a review of the past (`goal_fits`)."""
    if not goal_fits(qv, m):
        return False
    pos = m.text.find(s)
    before = m.text[:max(pos, 0)]
    # Every other year the question names (a baseline: 比2005年) must be in the evidence too: a figure
    # measured against another year answers a different question (the extractive targets kept this rule).
    if any(y not in s and y not in before and int(y) not in qv.due_years for y in qv.years):
        return False
    if not qv.due_years:
        return True
    if any(str(y) in s for y in qv.due_years):
        return True
    due = governing_year(before, s)
    if due is None:
        # No year governs it: the title's year, or the end of the plan's period for a goal stated without a
        # year (德州市“十四五”…规划: 试点建设5个加氢站 is due in 2025), as knowledge.targets reads plan goals —
        # not in a part that reviews the past (发展基础, “十三五”成效), named by the unit's title or a heading above it.
        end = plan_end_of(doc.title)
        return (any(str(y) in doc.title + m.title for y in qv.due_years)
                or (end in qv.due_years and not PAST_SECTION.search(" ".join([*m.path, m.title]))))
    return due in qv.due_years
