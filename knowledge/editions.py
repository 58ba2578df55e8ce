"""Editions of one policy in the library: a consultation draft and its final text, or a file ingested again in
another format, are editions of the same document. All are kept; the newest answers by default.

Two documents are editions of each other when their titles agree once edition markers are removed —
（征求意见稿）, （草案）, （送审稿）, （试行）, （修订）, （2021年版） … — and white space and full-width forms are
folded. The newest is the last in `edition_order`: a dated edition after an undated one and the later date of
issue; else the original format over a plain-text extraction; else file time; else file name. Pure functions.
"""
from __future__ import annotations

import re

from knowledge.text import fold, nfkc

_MARKER = re.compile(
    r"[（(](?:公开)?(?:征求意见稿|征求意见|草案|草稿|送审稿|讨论稿|修订稿|修改稿|代拟稿|报批稿|定稿|正式稿|正式版|"
    r"试行|暂行|修订|修订版|\d{4}年(?:版|修订|修正))[）)]")


def edition_key(title: str) -> str:
    """The title without edition markers, white space and width differences."""
    return fold(_MARKER.sub("", nfkc(title)))


def edition_name(title: str) -> str:
    """What the title says of its edition (征求意见稿, 试行 …), or "" for a plain title."""
    m = _MARKER.search(nfkc(title))
    return m.group(0)[1:-1] if m else ""


# A plain-text file of a policy is, in practice, an extraction of its PDF or Word original (the bundled
# data/*.txt is pypdf's text of the corpus PDF); it carries no pages to cite.
_TEXT_SUFFIXES = (".txt", ".md")


def _original_format(name: str) -> bool:
    return not name.lower().endswith(_TEXT_SUFFIXES)


def edition_order(facts: tuple[str, float, str]) -> tuple:
    """A total order of editions by (issued date, file time, file name): dated after undated, then the later date;
    the original (PDF, Word …) after a plain-text extraction, so that a copy's or a checkout's file time does not
    decide which one answers; then the later file time; then the later file name. Total, so that sorting many
    editions never depends on the order they were ingested in."""
    date, file_time, name = facts
    return (date or "", _original_format(name), file_time, name)


def newer_edition(a: tuple[str, float, str], b: tuple[str, float, str]) -> bool:
    """Whether edition `a` is newer than `b` (edition_order); ingest.editions.newer applies the same rule to the
    files of one batch."""
    return edition_order(a) > edition_order(b)


def editions(ordered: list[tuple[str, str]], facts: dict | None = None) -> dict[str, list[str]]:
    """(doc_id, title) in ingestion order → edition key → doc_ids, oldest first. With `facts` (doc_id → (issued,
    file time, name), KnowledgeStore.edition_facts) the order within a policy follows `newer_edition`."""
    out: dict[str, list[str]] = {}
    for doc_id, title in ordered:
        out.setdefault(edition_key(title), []).append(doc_id)
    if facts:  # a stable sort: documents without facts keep their ingestion order among equals
        out = {k: sorted(ids, key=lambda d: edition_order(facts[d]) if d in facts else ("",)) for k, ids in out.items()}
    return out


def superseded(ordered: list[tuple[str, str]], facts: dict | None = None) -> set[str]:
    """Documents that a newer edition of the same policy supersedes."""
    return {d for ids in editions(ordered, facts).values() for d in ids[:-1]}


def others(ordered: list[tuple[str, str]], doc_id: str, facts: dict | None = None) -> list[str]:
    """The other editions of `doc_id`'s policy, oldest first."""
    for ids in editions(ordered, facts).values():
        if doc_id in ids:
            return [d for d in ids if d != doc_id]
    return []


__all__ = ["edition_key", "edition_name", "editions", "superseded", "others"]
