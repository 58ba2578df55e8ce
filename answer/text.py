"""Text helpers for composing answers: bigram overlap, Chinese numerals, clauses around a figure.
Pure functions."""
from __future__ import annotations

import math
import re

from knowledge.targets import QUANTITY, YEAR, due_year
from knowledge.text import DOC_SELF, bigram_text, bigrams, cut_outside_brackets, fold, split_sentences
from knowledge.units import SIZE_UNITS

# Words that carry the question's form, not its topic.
FORM_WORDS = re.compile(
    r"请问|文件|政策|举措|措施|里面?|中|对于?|关于|有关|方面|什么|哪些|哪个|哪一|哪里|哪|多少|几个|几|是否|有没有|有无|"
    r"怎么|怎样|如何|要求|目标|规定|提出|提到|明确|吗|呢|吧|啊|的|了|是|有|要|和|与|及|在|到|由|为|将|把|被|全市|我市|我们|"
    r"这个|那个|一下|可以|能否|应该|具体|主要|分别|一共|总共|达到|需要|计划|打算|国家|"
    r"层面|市里|本市|该市|年|底|前|什么时候|当地|政府"
)


def topic_bigrams(question: str) -> set[str]:
    parts = [p for p in re.split(r"\|+", FORM_WORDS.sub("|", fold(question))) if p]
    out: set[str] = set()
    for p in parts:
        out |= bigrams(p)
    return out


def overlap(question_terms: set[str], text: str) -> float:
    if not question_terms:
        return 0.0
    tb = bigrams(text)
    return len(question_terms & tb) / len(question_terms)


def sentence_keys(texts) -> tuple[str, ...]:
    """Each sentence of `texts` as `bigrams` reads it (knowledge.text.bigram_text): what `term_weights` counts in."""
    return tuple(bigram_text(s) for t in texts for s in split_sentences(t))


def term_weights(terms: set[str], sentences: tuple[str, ...]) -> dict[str, float]:
    """Each question bigram weighted by its inverse sentence frequency in one document (sentences from
    `sentence_keys`), log((n+1)/(df+1)): a pair every sentence of the document shares (its title's 碳排放, 配额 when a
    question names the document) tells its sentences apart less than one few of them carry (清缴, 3月31日).
    Keyed in sorted order: `terms` is a set, whose order changes with the process's hash seed.
    """
    n = len(sentences)
    return {t: math.log((n + 1) / (sum(t in s for s in sentences) + 1)) for t in sorted(terms)}


def weighted_overlap(weights: dict[str, float], text: str) -> float:
    """`overlap` with each question bigram counted by its weight (`term_weights`). Summed with math.fsum, exact
    whatever the order of the terms: a float sum in set order differed in its last bits between processes (hash
    seeds), and two sentences tied on overlap swapped places in answer.compose.best_sentences (b16 374: a second
    quote in one run, none in the next)."""
    total = math.fsum(weights.values())
    if not total:
        return 0.0
    tb = bigrams(text)
    return math.fsum(w for t, w in weights.items() if t in tb) / total



# An amount in Chinese numerals: 百万亩, 十大场景, 三个, 十名 (persons counted with 名/位, as staffing rules write them:
# 具有十名以上…专职核查员, 375). Not an article or item number (第十四条 names a unit, it
# counts nothing), and not 一批 (a batch of unstated size: no answer to "how many").
CN_QUANTITY = re.compile(r"(?<![第一二两三四五六七八九十百千万亿])(?!一批)"
                         r"[一二两三四五六七八九十百千万亿]+(?:亩|个|项|大|座|家|条|户|吨|千瓦|平方米|公里|人|名|位|类|种|批|所|处|倍|成)")
# A share in Chinese numerals, as laws write it (减征百分之三十, 减按百分之七十五征收): a figure as 30% is.
CN_SHARE = re.compile(r"百分之[零一二两三四五六七八九十百点]+")
# Persons and ranking places counted with 位 in digits (3位专家, 全省排名较2020年提升5位: b9's 422 was refused quoting
# it), as CN_QUANTITY reads 三位: knowledge.units leaves 位 out of the target units, so knowledge.targets.QUANTITY
# does not read it. Not 位于 (located at) or 位置 (position) after a figure.
DIGIT_PERSONS = re.compile(r"(?<![\d.])\d{1,4}\s*位(?!于|置)")
# An equipment size (35蒸吨/小时): knowledge.units.SIZE_UNITS, amounts that are no target's value.
SIZE = re.compile(rf"\d+(?:\.\d+)?\s*(?:{'|'.join(SIZE_UNITS)})")
# An approximate count: a numeral, then 余 or 多 ("more than"), then the classifier (30余条省级管道, 100多个, 十余项, 1000余家):
# the 数词+余/多+量词 form of standard grammars (《现代汉语八百词》, 多 and 余). Digits or Chinese numerals, not an ordinal.
APPROX_QUANTITY = re.compile(r"(?<![第\d.])(?:\d+|[一二两三四五六七八九十百千]+)\s*[余多]\s*(?:万|亿)?\s*"
                             r"(?:个|项|座|家|条|户|吨|千瓦|平方米|公里|人|名|位|类|种|批|所|处|辆|台|套|件|亩|公顷)")
HAS_AMOUNT = re.compile(f"{QUANTITY.pattern}|{CN_QUANTITY.pattern}|{CN_SHARE.pattern}|{DIGIT_PERSONS.pattern}|{SIZE.pattern}"
                        f"|{APPROX_QUANTITY.pattern}")
# What answers a question asking for money (ASKS_MONEY) or a share (ASKS_SHARE): a sum in 元 (30万元, 三千元), and a
# percentage, 成, 倍 or ratio (30%, 百分之三十, 五成, 2倍, 2:1). The one home for the answer decision (answer.decide)
# and for completing an answer (answer.parts).
STATES_MONEY = re.compile(r"\d[\d.,]*\s*(?:万|亿|千)?元|[一二三四五六七八九十百千万亿]+(?:万|亿)?元")
STATES_SHARE = re.compile(r"%|％|百分之|[\d一二三四五六七八九]\s*成|倍|\d\s*[:：]\s*\d")
# A share or a difference of shares (下降1个百分点以上, 提高2个百分点: the unit Chinese statistics give a change of a
# share in): what answers a share or a rate asked — the asked-rate form (answer.identifiers) and the share check of the
# answer decision (answer.eligible) read it alike.
STATES_SHARE_OR_POINTS = re.compile(f"{STATES_SHARE.pattern}|百分点")
# A short name defined in a parenthesis (二氧化碳排放（以下简称“碳排放”）总量, （下称“主管部门”）): Chinese drafting's
# alias formula, which stands between the words of the term it names. Read without it, the term is whole again
# (二氧化碳排放总量), as a reader reads it. Here, not in knowledge.text: only the answer reads it, and a change there
# is a change of the extraction rules (tests/test_extraction_version.py).
_ALIAS = re.compile(r"[（(]\s*(?:以下简称|以下称|下称|简称)[^（()）]{0,24}[）)]")


def without_aliases(text: str) -> str:
    """`text` with its alias parentheses (（以下简称“碳排放”）) taken out."""
    return _ALIAS.sub("", text)


# A span of time: one to three digits or Chinese numerals before 年/个月/天/日/工作日 (a year such as 2025年 or 二〇二二年
# is no span).
STATES_SPAN = re.compile(r"(?<![\d月.])\d{1,3}\s*个?(?:年|个月|天|日|工作日)(?![\d度])"
                         # not the tail of a year in Chinese numerals (二〇二二年五月: 二二年 is no span)
                         r"|(?<![第一二三四五六七八九十〇零])[一二三四五六七八九十两]{1,3}个?(?:年|个月|天|日|工作日)")
# A length of time besides a span: hours, minutes or weeks (24小时内, 1小时通勤圈), or how often (每年, 每季度, 每半年: a
# frequency answers 多久…一次) — general Chinese time words. A question asking a length (answer.asks.ASKS_DURATION)
# is answered by a quote stating STATES_SPAN or this (answer.identifiers.FORMS).
STATES_LENGTH = re.compile(r"\d+(?:\.\d+)?\s*(?:个)?(?:小时|分钟|周|星期)|[一二三四五六七八九十两半]{1,3}个?(?:小时|周|星期)|"
                           r"每(?:[一二两三四五六七八九十]|\d{1,2})?个?(?:年度?|半年|季度?|月|周|星期|日|天|工作日)|按(?:年|季|月|周)")

# A classification stated (试点分为林业增汇试点县和林业碳汇先行基地两大类; 项目类型分前沿基础研究、…等四类; 按“优秀”“良好”
# “合格”“不合格”四档次分级): a verb of dividing or including, then the classes, closed by their count and a classifier
# of kinds (类, 种, 档, 级) — how Chinese documents state "X falls into N kinds". Answers answer.intents.ASKS_CLASSES.
STATES_CLASSES = re.compile(r"(?:分为|分成|划分为|分|包括|包含|按)[^。；]{2,160}?[两一二三四五六七八九十\d]+个?(?:大类|类|种|档次?|级)")

# A time stated beyond the dates and spans of answer.answerability's date pattern (2025年, 3月10日, 每月5日, 30个工作日):
# a month or a part of one (5月发布, 月底, 中旬), a part of a year (上半年, 季度), a moment relative to an event
# (自发布之日起, 自即日起), a named period (“十五五”时期, 项目实施期间). General Chinese time expressions; a year used
# as a modifier (本年度拟立项项目) states no time. A five-year plan's period with its part (到“十四五”终期, “十三五”末,
# 十五五初期: a period's part, the time nouns 终期/期末/末/初期/中期 of general Chinese, as plans date a goal — 473's
# 到“十四五”终期实现全市生活垃圾零填埋 was refused for stating no time) is a time as 时期 is; the plan's name alone
# (“十四五”规划) is not. A day relative to the present one, as trading and filing rules set a deadline (应在下一交易日开市前
# …提出, 次一工作日, 当个交易日: b9's 402 quoted it in a refusal for stating no time), is a time too.
STATES_WHEN = re.compile(r"\d{1,2}\s*月|[一二三四五六七八九十]{1,3}月(?!份?的)|月底|月末|[上中下]旬|[上下]半年|季度|之日|即日|"
                         r"时期|期间|十[一二三四五六七八九]?五[”\"’]?(?:终期|期末|末期?|初期?|中期)|"
                         r"(?:下一|次一?|当|同一|前一|上一)个?(?:交易日|工作日|营业日)")


def amount_contexts(sentence: str) -> list[str]:
    """For each amount in a sentence, its clause with the clause before it."""
    return [clause_context(sentence, m.group(0)) for m in HAS_AMOUNT.finditer(sentence)] or [sentence]


_OPEN, _CLOSE = "（(【[“‘《", "）)】]”’》"


def split_clauses(sentence: str, marks: str = "，；：") -> list[str]:
    """`sentence` cut after each of `marks` that is not inside brackets or quotation marks, each piece keeping its
    mark: （简称“重点排放单位”，名单见附件1） is one piece with what it annotates, not two. A sentence whose brackets
    do not close (a quote cut mid-bracket) is cut at every mark (knowledge.text says how the clause cuts differ)."""
    out, depth = cut_outside_brackets(sentence, marks, _OPEN, _CLOSE)
    if depth:
        return [p for p in re.split(f"(?<=[{marks}])", sentence) if p]
    return out


# 度 is the common name of the kilowatt-hour (千瓦时): a rate per one is a rate per the other.
_SAME_UNIT = {"度": ("度", "千瓦时"), "千瓦时": ("千瓦时", "度")}


def states_rate_per(folded: str, unit: str) -> bool:
    """A (folded) sentence states a rate per `unit`: 元/千瓦时, 每千瓦时…, or the same written with 度."""
    return any(f"{mark}{u}" in folded for u in _SAME_UNIT.get(unit, (unit,)) for mark in ("/", "每"))


def clause_context(sentence: str, needle: str) -> str:
    """The clause holding `needle` with the clause before it (its year or subject), else the sentence."""
    clauses = split_clauses(sentence)
    for i, c in enumerate(clauses):
        if needle in c.replace(" ", ""):
            return "".join(clauses[max(0, i - 1): i + 1])
    return sentence


def clause_with(sentence: str, needle: str) -> str | None:
    """The clause of a sentence (between ，/；) that holds `needle`, with the year clause before it."""
    clauses = split_clauses(sentence)
    for i, c in enumerate(clauses):
        if needle in c.replace(" ", ""):
            return c
    return None


def governing_year(before: str, sentence: str) -> int | None:
    """The due year in force for `sentence`: its own 到20XX年, else the last one before it in the unit.
    Read backwards from the sentence, and only sentences with a year: asked for every sentence of a unit, a
    pass over all the text before it made a long unit quadratic."""
    carried = None
    if YEAR.search(before):  # a sentence sets a due year only with a YEAR match (its clauses are its substrings)
        for s in reversed(split_sentences(before)):
            if YEAR.search(s) and (carried := due_year(s, None)) is not None:
                break
    return due_year(sentence, carried) if YEAR.search(sentence) else carried


def sentence_with_year(text: str, quote: str, year: int) -> str | None:
    """The last sentence before `quote` in `text` that names `year`."""
    before = text[: text.find(quote)] if quote in text else text
    found = [s.strip() for s in split_sentences(before) if f"{year}年" in s]
    return found[-1] if found else None


def whole_provision(text: str, clause: str, limit: int = 160) -> str:
    """A clause ending in ； continues its provision up to the 。 (…责令改正并通报批评；情节严重的，…给予处分；涉嫌犯罪的，
    …): the whole sentence when it ends within `limit` characters of the clause's start on the same line; an exact
    substring of `text`. Any other clause is returned as it is."""
    start = text.find(clause)
    if start < 0 or not clause.rstrip().endswith("；"):
        return clause
    end = text.find("。", start + len(clause))
    if end < 0 or end - start > limit or "\n" in text[start + len(clause): end]:
        return clause
    return text[start: end + 1]


# Characters up to which a sentence added to a quote of its unit brings the sentences between them along (`bridged`).
# A fact the document states over consecutive sentences (鼓励金融机构…。鼓励地方…保险试点。鼓励社会资本…基金) was
# answered with two of them, the middle one left out: over the dev sets b1-b16 (main of 2026-12-02), 85 general answers
# quoted two sentences of one unit with a gap, 6 of them (6 documents of dev, b7, b9, b15, b16) missing a fact that lay
# in the gap, each such passage at most 188 characters; 300 keeps it short enough to read as one addition.
BRIDGE_MAX = 300


def bridged(text: str, quote: str, sentence: str, limit: int = BRIDGE_MAX) -> str:
    """`sentence`, added to an answer quoting `quote` of the same `text`, with the sentences between the two: from
    the end of the quote through the sentence when it follows, from the sentence up to the quote when it comes
    first — when that passage is at most `limit` characters; else the sentence alone. An exact substring of `text`."""
    i, j = text.find(quote), text.find(sentence)
    if i < 0 or j < 0:
        return sentence
    if j >= i + len(quote):
        passage = text[i + len(quote): j + len(sentence)]
    elif j + len(sentence) <= i:
        passage = text[j: i]
    else:
        return sentence
    passage = passage.strip()
    return passage if len(passage) <= limit and sentence in passage else sentence


def strip_heading(sentence: str) -> str:
    """Drop a leading （一）标题。 from a quoted sentence when it is the measure's heading sentence."""
    return re.sub(r"^（[一二三四五六七八九十]+）", "", sentence).strip()


# The start of an enumerated item: （一） (1) 1. 1、 一、 ①.
_ITEM = re.compile(r"[ \t\u3000]*(?:（[一二三四五六七八九十\d]{1,3}）|\([一二三四五六七八九十\d]{1,3}\)|\d{1,2}[.．、](?!\d)|"
                   r"[一二三四五六七八九十]{1,3}、|[①-⑳])")
_ITEM_END = re.compile(r"[；;。\n]")


# A heading line: an item marker with a short title with no clause and no figure but a year inside (2.具体目标。,
# （1）充电桩项目。, （一）报送2021年度温室气体排放报告。, （三）), or a short line without any punctuation after a line break
# (强化组织领导, 附件). Its content is the sentence that follows it; a figure (（2）…必须占到90%以上。) is content.
_HEADING_LINE = re.compile(r"(?:%s)(?:20\d{2}年|[^，；。：,;:\n\d%%％]){0,20}。?"
                           % _ITEM.pattern.replace("[ \\t\\u3000]*", ""))
# A bare line may close with 。 when its body runs on after it on the same line: the run-in item titles of 专栏 boxes
# (专栏2…\n低碳零碳钢铁。研发全废钢电炉流程…; 577) are headings as an unpunctuated line is (with_body checks the body).
_BARE_LINE = re.compile(r"[\u4e00-\u9fff]{2,15}。?")
_BODY_END = re.compile(r"[。！!？?\n]")


def ends_in_heading(quote: str) -> bool:
    """The last line of `quote` is only a heading (see _HEADING_LINE): what it names is stated after it."""
    lines = quote.rstrip(" \n").split("\n")
    last = lines[-1].strip()
    return bool(_HEADING_LINE.fullmatch(last) or len(lines) > 1 and _BARE_LINE.fullmatch(last))


def is_heading(text: str, sentence: str) -> bool:
    """`sentence` of `text` ends in a heading line: unpunctuated (44.页岩气减征资源税, 附件), or closed by 。 with the
    body it heads after it (3.重点推动氢能示范应用。大力引进…). An item closed by 。 with no body is a list's item
    (（四）通过年度节能目标责任考核。), content."""
    if not ends_in_heading(sentence):
        return False
    return not sentence.rstrip(" \n").endswith("。") or with_body(text, sentence) != sentence


def with_body(text: str, quote: str, limit: int = 200) -> str:
    """A quote whose last line is only a heading (…完成情况。\n2.具体目标。) is extended by the body sentence it
    heads (到2025年，完成既有建筑节能改造面积…。): the text after it up to its 。 or line end, when that sentence
    starts on the heading's line (or, after a heading without a full stop, on the next), is no item of its own and
    ends within `limit` characters. An exact
    substring of `text`; any other quote is returned as it is."""
    start = text.find(quote)
    if start < 0:
        return quote
    if not ends_in_heading(quote):
        return quote
    last = quote.rstrip(" \n").split("\n")[-1].strip()
    end = start + len(quote.rstrip(" \n"))
    pos = end
    while pos < len(text) and text[pos] in " \t\u3000":
        pos += 1
    # A heading closed by 。 has its body on its own line (2.具体目标。到2025年…); on the next line an item closed by
    # 。 is the last of a list (（八）审核报告。\n第十一条…). An unpunctuated heading line has it on the next line.
    if pos < len(text) and text[pos] == "\n" and not last.endswith("。"):
        pos += 1
    if pos >= len(text) or text[pos] == "\n" or _ITEM.match(text, pos) or _HEADING_LINE.match(text, pos):
        return quote
    close = _BODY_END.search(text, pos)
    stop = close.end() if close else len(text)
    if stop - end > limit or stop - pos < 6:
        return quote
    return text[start:stop].rstrip("\n")


# Words that point forward to what follows (Chinese grammar: 下列 "the following", 如下 "as follows"): 存在下列行为之一的，
# 纳入黑名单。 is followed by the acts it means, with or without a colon. (以下 is left out: it also means "at most",
# 二十万元以下, and opens 以下简称.)
_FORWARD = re.compile(r"下列|如下")
# The formula by which an official document introduces itself points forward too, but to the whole document, not to a
# list: 现提出如下意见 / 现提出如下实施意见 / 特制定如下方案 (提出 or 制定 with 如下 or 以下 and nothing after it but a kind
# of document, knowledge.text.DOC_SELF's list), 现将有关事项通知如下 (the notice formula). Seen closing the preamble of
# dev documents 1, 7, 11, 238 (提出如下意见) and 139, 218, 229, 339, 583, 282, 551 (通知如下); what follows it is the
# document's headings. 提出如下要求： (要求 is no kind of document) still introduces its list.
_DOCUMENT_POINTER = re.compile(r"(?:提出|制定|通知)(?:如下|以下)([\u4e00-\u9fff]{0,8})[。：:]?\s*$")


def introduces_document(sentence: str) -> bool:
    """`sentence` ends in the formula by which a document introduces itself (see _DOCUMENT_POINTER)."""
    m = _DOCUMENT_POINTER.search(sentence)
    return m is not None and (not m.group(1) or DOC_SELF.fullmatch("本" + m.group(1)) is not None)


def with_list_lead(text: str, quote: str, limit: int = 200) -> str:
    """A quote of later items of a list (2.身份证扫描件…；\n3.…), each on its line, whose lead and earlier items stand right
    before it, each item on its own line (…由其所在的核查机构统一提交，包括：\n1.核查员备案申请表（见附件1）；\n2.…),
    is quoted from the lead's sentence: the list asked is whole, its first items included. Within `limit`
    characters before the quote; an exact substring of `text`. Any other quote is returned as it is."""
    start = text.find(quote)
    # a single item answers for itself (复查抽查得分在80分以下的); a run of items is a list cut after its head
    items = [ln for ln in quote.split("\n") if ln.strip()]
    if start <= 0 or len(items) < 2 or not all(_ITEM.match(ln) for ln in items):
        return quote
    colon = text.rfind("：", max(0, start - limit), start)
    if colon < 0:
        return quote
    between = text[colon + 1: start]
    lines = [ln for ln in between.split("\n") if ln.strip()]
    if "\n" not in between or not lines or not all(_ITEM.match(ln) for ln in lines):
        return quote
    lead = max(text.rfind(mark, 0, colon) for mark in "。\n") + 1
    return text[lead: start + len(quote)] if start + len(quote) - lead <= limit + len(quote) else quote


def with_enumeration(text: str, quote: str, limit: int = 360) -> str:
    """A quote followed in `text` by enumerated items answers with them: when the quote has a colon anywhere
    (…材料如下：, 有下列行为之一的：) or a word pointing forward (下列, 如下: 存在下列行为之一的，纳入…黑名单。) or its last clause is itself an item (（一）…), it is extended through the items
    that follow it directly (only blanks between), item by item — each to its ；, 。 or line end — while the
    extension stays within `limit` characters past the quote's end. The result is an exact substring of `text`
    (trailing line breaks dropped). A quote not found in `text`, with neither mark, or not followed by an item
    is returned as it is. A quote that ends in a bare heading is first extended by the sentence it heads
    (`with_body`). A quote ending in the formula by which the document introduces itself (现提出如下意见。, 现将有关
    事项通知如下：) is not extended: what follows it is the document, not a list."""
    quote = with_body(text, quote)
    if introduces_document(quote.rstrip("\n")):
        return quote
    start = text.find(quote)
    # A colon inside brackets (（注：表中指标均为预期性指标）) introduces a note, not a list.
    bare = re.sub(r"（[^（）]*）", "", quote)
    if start < 0 or ("：" not in bare and not _FORWARD.search(bare)
                     and not _ITEM.match(re.split(r"[，；。]", quote.rstrip("；;。"))[-1] or "")):
        return quote
    end = start + len(quote)
    stop = end + limit
    while True:
        pos = end
        while pos < len(text) and text[pos] in " \t\u3000\n":
            pos += 1
        item = _ITEM.match(text, pos)
        if item is None or item.end() == pos:
            break
        close = _ITEM_END.search(text, item.end())
        nxt = close.end() if close else len(text)
        if nxt > stop:
            break
        end = nxt
    return with_list_lead(text, text[start:end].rstrip("\n"))
