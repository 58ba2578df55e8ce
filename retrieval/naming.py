"""Title words in a question over the whole library: words that name a document, not the fact asked.

With no document chosen (retrieval.scope found none), "财政支持碳达峰碳中和的意见要求落实哪些税种的税收政策？" still
names its document with 财政 支持 碳达峰 碳中和 意见. BM25 rewards each unit for holding those words, so the units that
restate the title (the notice wrapper, the preamble, 为贯彻落实…意见) outrank the unit holding the asked fact. In a search
scoped to documents the title words are dropped (HybridRetriever._without_title_words); over the whole library they
still tell which document is meant. Here they count for the document: every unit of a document whose title holds a
query word gets that word's best score within the document (`CREDIT` "max"), as if it held the word, so the
document keeps its lead over the rest of the library while within it the units rank by the other words, as in a
scoped search.
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from knowledge.divisions import names_of_places_in

# How a title word of a unit's own document counts for the unit in an unscoped search: "max" (the word's best score
# among the document's units), "none" (not at all: the scoped rule applied per document), or "off" (as any other
# word: the plain BM25 before this module). Chosen on dev (see retrieval/hybrid.py where it is applied).
CREDIT = "max"


def title_words(title: str, tokenize: Callable[[str], list[str]]) -> set[str]:
    """The words a title names its document with: its tokens, and each place it names in every form the place goes
    by (knowledge.divisions), each also as the tokenizer cuts it. jieba's search mode already gives the short form
    inside a title's word (浙江省 → 浙江, 广西壮族自治区 → 广西), but not a name of four characters or more (齐齐哈尔市
    is cut whole: a question's 齐齐哈尔 stayed a query word), nor a form longer than the title's (a title's 三明 or 四川
    against a question's 三明市 or 四川省), nor a place glued into a user-dictionary word (内蒙古自治区人民政府).
    Scoped, those forms are dropped like the title's other words; over the whole library they name the document.
    Measured (title25, fresh homes): no answer changed on dev no-b7 or b7-b14, scoped or not; a question writing the
    place in another form is rare (11 of 1,589 dev questions) and the text mostly writes it as the title does."""
    words = set(tokenize(title))
    for name in names_of_places_in(title):
        words.add(name)
        words.update(tokenize(name))
    return words


def title_docs(title_tokens: dict[str, set[str]], doc_codes: dict[str, int]) -> dict[str, np.ndarray]:
    """Each title word → the codes (positions in `doc_codes`) of the documents whose title holds it."""
    out: dict[str, list[int]] = {}
    for doc, words in title_tokens.items():
        for w in words:
            out.setdefault(w, []).append(doc_codes[doc])
    return {w: np.array(sorted(c), dtype=np.int32) for w, c in out.items()}


def as_naming(scores: np.ndarray, tokens: Sequence[str], score_of, doc_col: np.ndarray,
              docs_of: dict[str, np.ndarray], n_docs: int, credit: str | None = None) -> np.ndarray:
    """`scores` (BM25 of every unit for `tokens`) with each title word's part replaced, on the units of the documents
    it names, by the document's credit for it. `score_of(token)`: that one word's BM25 of every unit (BM25 is a sum
    over the query's words, so a word's part can be taken out and put back)."""
    credit = CREDIT if credit is None else credit
    if credit == "off" or len(scores) == 0:
        return scores
    out = scores.astype(np.float64, copy=True)
    for t in dict.fromkeys(tokens):
        codes = docs_of.get(t)
        if codes is None:
            continue
        part = np.asarray(score_of(t), dtype=np.float64)
        if not part.any():
            continue
        named = np.zeros(n_docs, dtype=bool)
        named[codes] = True
        per_doc = np.zeros(n_docs, dtype=np.float64)  # "none": no credit
        if credit == "max":
            np.maximum.at(per_doc, doc_col, part)
        on = named[doc_col]
        out[on] += per_doc[doc_col[on]] - part[on]
    return np.maximum(out, 0.0).astype(np.float32)
