"""Question routing: what kind of fact is asked (by the intent table, answer.intents), about which year, bureau,
industry and document. Pure functions over the question text and the catalog."""
from __future__ import annotations

from answer.intents import (ADDRESSEE, BUREAU, BUREAU_MEASURES, COUNT, DUE_YEAR, ENTERPRISE, GENERAL, LEAD, SECTIONS,
                            SELF_INDUSTRY, TARGET, TARGET_LIST, YEAR, Cues, route_kind)
from answer.types import Route
from knowledge.catalog import Catalog
from knowledge.extract import INDUSTRIES, INDUSTRY_WORDS
from knowledge.text import fold


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


def route(question: str, catalog: Catalog) -> Route:
    q = fold(question)
    years = tuple(int(y) for y in DUE_YEAR.findall(q))
    bureaus = tuple(catalog.find_bureaus(q))
    industries, words = industries_in_question(q)
    own = SELF_INDUSTRY.search(q)
    if own:
        own_keys, own_words = industries_in_question(own.group(0))
        if own_keys:  # 建筑 in 绿色建筑方案 is not the asker's industry when they said 建材企业
            industries, words = own_keys, own_words
    stripped = ADDRESSEE.sub("□", q)
    actors = bureaus if stripped == q else tuple(catalog.find_bureaus(stripped))
    kind = route_kind(Cues(q, bureaus=bureaus, industries=industries, years=years, actors=actors))
    return Route(kind, years=years, bureaus=bureaus, industries=industries, industry_words=words,
                 asks_lead=bool(LEAD.search(q)))


__all__ = ["Route", "route", "industries_in_question", "INDUSTRIES", "TARGET", "YEAR", "BUREAU", "BUREAU_MEASURES",
           "ENTERPRISE", "COUNT", "SECTIONS", "TARGET_LIST", "GENERAL"]
