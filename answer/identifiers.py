"""What a question's form asks for beyond its topic — a telephone number, a web address, an e-mail address, a place
(哪个城市), a length of time (多长时间), a rate (覆盖率…多少) — and whether a quote states one. An answer none of
whose quotes states the asked thing says where or whom to turn to, or what is done, at most, not the thing asked:
answer.asked_form refuses it after the decision (answer.decide), quoting the closest passage (as it refuses a
when-question whose quotes state no time). The quote of a near miss is about the asked topic — a fund 研究设立,
pilots 选择…的地方, a 过渡期 合理设置 — and the decision rates it by topic; the form of the question says what it
must state."""
from __future__ import annotations

import re

from answer.asks import ASKS_DURATION, ASKS_EMAIL, ASKS_PHONE, ASKS_PLACE, ASKS_RATE, ASKS_SPAN_COUNT, ASKS_WEB
from answer.text import STATES_LENGTH, STATES_SHARE_OR_POINTS, STATES_SPAN
from knowledge.text import fold
from retrieval.scope_places import places_named

# A telephone number as notices print it: an area code and a local number (028-80589075, 0755-88102475), a local
# number of seven or eight digits (23117411), a mobile number, a ten-digit 400/800 service number (399's exchange:
# 电话：4009911188转0), or a five-digit 12xxx public hotline named as one (446: 12369环保投诉热线, 473: 热线“12369”;
# 12345, 12315, 12366 alike) — a bare 12xxx is more often a quantity.
PHONE = re.compile(r"(?<!\d)(?:0\d{2,3}\s*[-－—]?\s*)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)|"
                   r"(?<!\d)[48]00\s*[-－—]?\s*\d{3}\s*[-－—]?\s*\d{4}(?!\d)|"
                   r"(?:热线|电话)[^\d。，,；]{0,3}12\d{3}(?!\d)|(?<!\d)12\d{3}[^\d。，,；]{0,8}?(?:热线|电话)")
# A web address as notices print it: a URL (551: “工业节能与绿色发展管理平台”（https://green.miit.gov.cn）), www.…, a
# bare host under a common top-level domain (sthjt.hubei.gov.cn), or a site named in quotation marks as Chinese notices
# name one (375: 统一在“广东政务服务网”申请办理; 451: “信用中国”“信用山东”等网站).
WEB = re.compile(r"https?://|www\.|[A-Za-z0-9-]+\.(?:gov|com|org|net|edu)(?:\.cn)?\b|[A-Za-z0-9-]+\.cn\b|"
                 r"“[^”]{2,20}(?:网|网站|平台|门户)”|“[^”]{2,20}”(?:网站|网|门户网站)")

# An e-mail address as notices print one (keyanyuan@jsnu.edu.cn; ＠ folded or not).
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+\s*[@＠]\s*[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def place_stated(quote: str, question: str) -> bool:
    """A place named in `quote` — with its division (深圳市, 山东省: retrieval.scope_places.places_in) or bare, as a
    word the gazetteer tags a place (呼和浩特、鄂尔多斯等城市: named_places over jieba's words) — that `question` does not
    name itself (广东 in 2022年广东低碳日…在哪个城市): retrieval.scope_places.places_named, whose words are the shared
    stock-dictionary tokenizer's (the global jieba.lcut loaded a third copy of the dictionary, perf17)."""
    return any(p not in question for p in places_named(quote))


# A span asked as a count of one unit (几天, 多少个工作日, 几个月, 几年: answer.asks.ASKS_SPAN_COUNT) is answered by a
# span in that unit (answer.text.STATES_SPAN): days are counted in 天, 日 or 工作日 alike, months and years are other
# units. A span in months does not say how many days — in general Chinese the unit of the question word is the unit of
# the answer, and a quote in another unit states the span of another act (b11 295: 评价报告…几天内提交 answered by
# 碳中和…结束后3个月内). Run over main's final answers on every opened dev set and the own set first (section 15 of
# docs/answerability-transfer.md): of 44 answered asks it reads, the one unanswerable (both modes) is refused and no answerable one.
_SPAN_UNIT_ENDS = (("工作日", ("天", "日", "工作日")), ("天", ("天", "日", "工作日")), ("月", ("月",)), ("年", ("年",)))


def span_in_unit_stated(quote: str, question: str) -> bool:
    """`quote` states a span in the unit the folded `question` asks one in (ASKS_SPAN_COUNT; True when none is asked)."""
    asked = ASKS_SPAN_COUNT.search(question)
    if asked is None:
        return True
    ends = next(e for unit, e in _SPAN_UNIT_ENDS if unit in asked.group(0))
    return any(m.group(0).endswith(ends) for m in STATES_SPAN.finditer(quote))


# (what the question asks, whether a quote states it — given the quote and the folded question, how a refusal names it)
_ASKED = ((ASKS_PHONE, lambda q, _: PHONE.search(q), "所问的电话号码"),
          (ASKS_WEB, lambda q, _: WEB.search(q), "所问的网址"),
          (ASKS_EMAIL, lambda q, _: EMAIL.search(q), "所问的邮箱地址"))
# The forms read on the completed answer (answer.parts may add the sentence that states them: 公示期不少于7个工作日
# after 受理…后，向社会公示, b7's 525): checked after completion (answer.extractive), not on the decided answer alone.
FORMS = ((ASKS_PLACE, place_stated, "所问的城市或地区"),
         (ASKS_DURATION, lambda q, _: STATES_SPAN.search(fold(q)) or STATES_LENGTH.search(q), "所问的时长"),
         # a rate asked (覆盖率要达到多少): a share or a difference of shares (百分点) answers, a count or an area does not
         (ASKS_RATE, lambda q, _: STATES_SHARE_OR_POINTS.search(q), "所问的比率"),
         # a span asked in days, months or years (几天内): a span in that unit answers, not one in another
         (ASKS_SPAN_COUNT, span_in_unit_stated, "所问单位的时长"))


def identifier_missing(question: str, quotes: list[str], asked=_ASKED) -> str | None:
    """The asked identifier (or, with asked=FORMS, the asked form), named as a refusal names it, when no quote states
    one; None otherwise (none asked, or one stated). `question` folded."""
    for ask, stated, name in asked:
        if ask.search(question) and not any(stated(q, question) for q in quotes):
            return name
    return None
