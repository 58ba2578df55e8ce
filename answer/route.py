"""Question routing: what kind of fact is asked, about which year, bureau, industry and document.
Pure functions over the question text and the catalog."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.catalog import Catalog
from knowledge.text import fold
from knowledge.extract import INDUSTRIES, INDUSTRY_WORDS

TARGET = "target"
YEAR = "year"
BUREAU = "bureau"
BUREAU_MEASURES = "bureau_measures"
ENTERPRISE = "enterprise"
COUNT = "count"
SECTIONS = "sections"
TARGET_LIST = "target_list"
GENERAL = "general"

_WHO = re.compile(r"责任部门|负责部门|主管部门|牵头部门|哪个部门|哪些部门|哪个单位|哪些单位|哪家|什么部门|谁|责任单位|牵头单位|负责单位|由哪|归哪|哪个局|哪些局|主管")
_BUREAU_TASKS = re.compile(r"哪些(?:举措|措施|工作|任务|事|事项|方面|条)|负责什么|管什么|参与了?哪|承担|牵头.{0,6}哪|涉及哪|有哪些职责|做哪些|干什么")
# Enterprise look-up: the asker describes themselves (我们是化工企业…), or asks what applies to an industry.
_SELF = re.compile(r"我们|我司|我公司|本企业|本公司|我是|我家|我厂|咱们")
_APPLIES = re.compile(r"(?:企业|行业|公司|厂).{0,10}(?:有哪些|有什么|哪些|什么)(?:要求|政策|规定|措施|限制|支持|影响|内容)"
                      r"|(?:涉及|适用于?|针对|影响到?|关系到?).{0,8}(?:企业|行业)")
_ENTERPRISE_ASK = re.compile(r"要求|相关|适用|影响|政策|规定|支持|限制|注意|哪些|什么")
_COUNT = re.compile(r"多少条|几条|多少项|几项|多少个举措|多少个措施|一共.{0,6}(?:举措|措施|条)|总共|共有多少")
_SECTIONS = re.compile(r"(?:哪些|哪几项|几项)(?:重点|主要)?任务|几个方面|哪几个方面|哪些方面|几大(?:行动|方面|部分)|哪几部分|哪些部分|包括哪些行动|哪几项行动|哪些行动|框架|结构")
_TARGET_LIST = re.compile(r"(?:哪些|所有|全部|列出|有什么).{0,8}(?:目标|指标)|目标.{0,4}(?:有哪些|都有什么|清单)")
_WHEN = re.compile(r"哪天|多久|有效期|哪一年|哪年|什么时候|何时|几年|什么时间|时间节点|期限|截止")
_AMOUNT = re.compile(r"多少|几个|几成|比例|占比|比重|目标|达到|提高到|下降|降低|规模|数量|面积|容量|装机|指标|率")
# A due year; a baseline year (比2020年) is not one.
_YEAR = re.compile(r"(?<![比较与])(?<!相比)(20\d{2})\s*年?")
_LEAD = re.compile(r"牵头")


@dataclass(frozen=True)
class Route:
    kind: str
    years: tuple[int, ...] = ()
    bureaus: tuple[str, ...] = ()  # canonical names
    industries: tuple[str, ...] = ()  # keys of INDUSTRIES
    industry_words: tuple[str, ...] = ()  # as the question wrote them
    asks_lead: bool = False
    doc_ids: tuple[str, ...] = field(default=())  # documents the question names


def industries_in_question(question: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    words = sorted((w for w in INDUSTRY_WORDS if w in question), key=len, reverse=True)
    keys: list[str] = []
    kept: list[str] = []
    for w in words:
        if any(w in k for k in kept):
            continue
        kept.append(w)
        if INDUSTRY_WORDS[w] not in keys:
            keys.append(INDUSTRY_WORDS[w])
    return tuple(keys), tuple(kept)


# 我们是一家建材企业 / 我司是银行: the asker's own industry, when the question says it.
_SELF_INDUSTRY = re.compile(r"(?:我们|我司|我公司|本企业|本公司|我|咱们)(?:是|属于|作为)(?:一家|一个|个)?(.{1,12}?)"
                            r"(?:企业|公司|厂|机构|单位|行业|，|,|。|$)")


def route(question: str, catalog: Catalog) -> Route:
    q = fold(question)
    years = tuple(int(y) for y in _YEAR.findall(q))
    bureaus = tuple(catalog.find_bureaus(q))
    industries, words = industries_in_question(q)
    own = _SELF_INDUSTRY.search(q)
    if own:
        own_keys, own_words = industries_in_question(own.group(0))
        if own_keys:  # 建筑 in 绿色建筑方案 is not the asker's industry when they said 建材企业
            industries, words = own_keys, own_words
    asks_lead = bool(_LEAD.search(q))
    docs = tuple(catalog.docs_named_in(q))
    common = dict(years=years, bureaus=bureaus, industries=industries, industry_words=words,
                  asks_lead=asks_lead, doc_ids=docs)

    if bureaus and not _WHO.search(q) and (_BUREAU_TASKS.search(q) or _COUNT.search(q)
                                           or re.search(r"哪些|多少|几", q)):
        return Route(BUREAU_MEASURES, **common)
    if _WHO.search(q) or (re.search(r"负责|牵头", q) and not bureaus and not _AMOUNT.search(q)):
        return Route(BUREAU, **common)
    if industries and (_SELF.search(q) or _APPLIES.search(q)) and _ENTERPRISE_ASK.search(q) and not _WHEN.search(q) \
            and not re.search(r"多少|几个|比例|占比", q):
        return Route(ENTERPRISE, **common)
    if _COUNT.search(q):
        return Route(COUNT, **common)
    if _SECTIONS.search(q) and not bureaus:
        return Route(SECTIONS, **common)
    if _TARGET_LIST.search(q):
        return Route(TARGET_LIST, **common)
    if re.search(r"哪几|哪些", q) and not re.search(r"多少|比例|占比", q):
        return Route(GENERAL, **common)
    if _WHEN.search(q):
        return Route(YEAR, **common)
    if _AMOUNT.search(q) or years:
        return Route(TARGET, **common)
    return Route(GENERAL, **common)


__all__ = ["Route", "route", "INDUSTRIES"]
