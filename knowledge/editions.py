"""Editions of one policy in the library: a consultation draft and its final text, or a file ingested again in
another format, are editions of the same document. All are kept; the newest answers by default.

Two documents are editions of each other when their titles agree once edition markers are removed —
（征求意见稿）, （草案）, （送审稿）, （试行）, （修订）, （2021年版） … — and white space and full-width forms are
folded. The newest is the later-dated edition (date of issue; else the original format over a plain-text
extraction; else file time; else file name), else the one ingested last. Pure functions.
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


def newer_edition(a: tuple[str, float, str], b: tuple[str, float, str]) -> bool:
    """(issued date, file time, file name) of two editions: the later date of issue when both state one; else the
    original (PDF, Word …) over a plain-text extraction, so that a copy's or a checkout's file time does not
    decide which one answers; else the later file time; else the later file name. ingest.editions.newer applies
    the same rule to the files of one batch."""
    if a[0] and b[0] and a[0] != b[0]:
        return a[0] > b[0]
    if _original_format(a[2]) != _original_format(b[2]):
        return _original_format(a[2])
    if a[1] != b[1]:
        return a[1] > b[1]
    return a[2] > b[2]


def editions(ordered: list[tuple[str, str]], facts: dict | None = None) -> dict[str, list[str]]:
    """(doc_id, title) in ingestion order → edition key → doc_ids, oldest first. With `facts` (doc_id → (issued,
    file time, name), KnowledgeStore.edition_facts) the order within a policy follows `newer_edition`."""
    from functools import cmp_to_key

    out: dict[str, list[str]] = {}
    for doc_id, title in ordered:
        out.setdefault(edition_key(title), []).append(doc_id)
    if facts:
        def cmp(x: str, y: str) -> int:
            fx, fy = facts.get(x), facts.get(y)
            if not fx or not fy:
                return 0
            return 1 if newer_edition(fx, fy) else (-1 if newer_edition(fy, fx) else 0)
        out = {k: sorted(ids, key=cmp_to_key(cmp)) for k, ids in out.items()}
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
