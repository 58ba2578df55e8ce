"""Identifiers a question may ask for — a telephone number, a web address — and whether a quote states one. An
answer none of whose quotes states the asked identifier says where or whom to turn to at most, not the identifier:
answer.asked_form refuses it after the decision (answer.decide), quoting the closest passage (as it refuses a
when-question whose quotes state no time)."""
from __future__ import annotations

import re

from answer.intents import ASKS_PHONE, ASKS_WEB

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

# (what the question asks, what states it, how a refusal names it)
_ASKED = ((ASKS_PHONE, PHONE, "所问的电话号码"), (ASKS_WEB, WEB, "所问的网址"))


def identifier_missing(question: str, quotes: list[str]) -> str | None:
    """The asked identifier, named as a refusal names it, when no quote states one; None otherwise (none asked,
    or one stated). `question` folded."""
    for asked, stated, name in _ASKED:
        if asked.search(question) and not any(stated.search(q) for q in quotes):
            return name
    return None
