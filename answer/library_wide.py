"""A question over the whole library (no scope) reads only the part of the catalogue that can answer it: weighing
every target of 285 documents took 1-3 s per target question. The service's question path narrows the catalogue
here before the extractive answerer sees it."""
from __future__ import annotations

import math

from answer.consts import MIN_COVERAGE, MIN_COVERAGE_EACH
from answer.intents import LIST_ALL_TARGETS
from knowledge.catalog import Catalog


def narrowed_catalog(q: str, rt, catalog: Catalog, matcher) -> Catalog:
    """The catalogue as one question over the whole library needs it: only targets whose sentence shares
    a word form with the question, only units with a sentence of the asked industries (see
    Catalog.for_question). `rt`: the question's answer.route.Route; `matcher`: the topic matcher (answer.evidence)."""
    words = matcher.content_words(q)
    topical = [w for w in words if w not in LIST_ALL_TARGETS]
    forms = [[w, *matcher.expander.terms(w)] for w in words] if topical else None
    # A target answers only when it covers a share of the words (answer.targets: MIN_COVERAGE_EACH of
    # all of them, or MIN_COVERAGE of the topic words when listing): it must contain at least that many.
    least = min(math.ceil(min(MIN_COVERAGE, MIN_COVERAGE_EACH) * len(words) - 1e-6),
                math.ceil(MIN_COVERAGE * len(topical) - 1e-6))
    return catalog.for_question(forms, tuple(rt.industries) or None, min_words=least)
