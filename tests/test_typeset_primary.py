"""The primary document typeset five other ways (tests/typeset.py, Chromium) must parse to the same knowledge as
the shared PDF and TXT: 7 sections, measures （一）…（二十二）, every measure's bureaus as written (事物 → 事务),
lead flags on measures 5, 7 and 8 only, the 19 year-bound targets, page numbers in reading order.

Each test collects every difference for its layout and prints it with the pypdf text around it (the text the
parser saw), so one run shows all that is wrong. `test_text_layer_carries_the_document` checks the PDF itself
(radicals folded, page furniture dropped): while it passes, a failure elsewhere is the parser's, not the PDF's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.loaders import FileLoader
from knowledge.model import PREAMBLE, Document
from service import document_from
from tests.conftest import PRIMARY_TXT
from tests.test_extract import EXPECTED_BUREAUS, EXPECTED_TARGETS, LEADS
from tests.typeset import (DRAFT_MARK, INSTALL_HINT, MEASURE_START, PRIMARY_TITLE, SECTION_START, TypesetError,
                           fold_radicals, layouts, primary_paragraphs, radicals, text_layer_problems,
                           typeset_primary)

LAYOUTS = tuple(layouts())  # official, narrow, indented, header_pageno, landscape
IMPLEMENTERS = ["各县区政府", "功能板块管委会"]


@dataclass
class Typeset:
    name: str
    pdf: Path
    pages: list[str]  # raw pypdf text per page, as the loader returned it
    doc: Document

    def around(self, needle: str, width: int = 70, after: str = "") -> str:
        """The raw pypdf text around `needle` (after `after`, if given), matched with radicals folded, white
        space ignored and page-top lines (footer, header) allowed between characters; shorter pieces of the
        needle are tried when the whole is not found."""
        raw = "".join(f"⟨p{i}⟩" + t for i, t in enumerate(self.pages, start=1))
        folded = fold_radicals(raw)  # one character for one: offsets agree with `raw`
        start = 0
        if after:
            m = re.search(self._pattern(after), folded)
            start = m.start() if m else 0
        squeezed = re.sub(r"\s+", "", needle)
        for piece in (squeezed, squeezed[:10], squeezed[-10:]):
            m = re.compile(self._pattern(piece)).search(folded, start) if piece else None
            if m:
                return repr(raw[max(0, m.start() - width): m.end() + width])
        return f"<{needle[:30]!r} not in the pypdf text>"

    @staticmethod
    def _pattern(text: str) -> str:
        gap = r"(?:\s|⟨p\d+⟩[^\n]*(?:\n[^\n]{0,30}页[^\n]*)?)*"
        return gap.join(re.escape(fold_radicals(ch)) for ch in re.sub(r"\s+", "", text))


@dataclass(frozen=True)
class Source:
    paragraphs: list[str]
    preamble: str
    sections: list[tuple[int, str]]  # (no, title without 一、)
    measures: dict[int, tuple[int, str]]  # no → (section no, paragraph)


def _source() -> Source:
    paragraphs = primary_paragraphs(PRIMARY_TXT)
    sections, measures, section = [], {}, 0
    for para in paragraphs:
        if SECTION_START.match(para):
            section += 1
            sections.append((section, para.split("、", 1)[1]))
        elif MEASURE_START.match(para):
            measures[len(measures) + 1] = (section, para)
    return Source(paragraphs, paragraphs[0], sections, measures)


@pytest.fixture(scope="session")
def source() -> Source:
    if not PRIMARY_TXT.is_file():
        pytest.fail(f"primary document not found at {PRIMARY_TXT} (set POLICYQA_CORPUS)")
    return _source()


@pytest.fixture(scope="session")
def typeset(source, tmp_path_factory) -> dict[str, Typeset]:
    try:
        pdfs = typeset_primary(PRIMARY_TXT, tmp_path_factory.mktemp("typeset"))
    except (TypesetError, FileNotFoundError) as exc:
        hint = "" if INSTALL_HINT in str(exc) else f"\n{INSTALL_HINT}"
        pytest.fail(f"cannot typeset the primary document: {exc}{hint}", pytrace=False)
    loader = FileLoader(max_file_mb=50, timeout_s=60, workers=1)
    out = {}
    for name, pdf in pdfs.items():
        loaded = loader.load(pdf)
        out[name] = Typeset(name, pdf, list(loaded.pages), document_from(loaded))
    return out


def _check(ts: Typeset, problems: list[str]) -> None:
    """Fail with every problem found for the layout (no traceback: the message is the report)."""
    if problems:
        pytest.fail(f"layout {ts.name!r} ({ts.pdf}):\n  " + "\n  ".join(problems), pytrace=False)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_text_layer_carries_the_document(typeset, source, layout):
    ts = typeset[layout]
    assert len(ts.pages) >= 2
    problems = text_layer_problems(ts.pages, source.paragraphs)
    _check(ts, problems)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_sections_measures_and_pages(typeset, source, layout):
    ts = typeset[layout]
    doc, problems = ts.doc, []
    got_sections = [(s.no, s.title) for s in doc.sections]
    if got_sections != source.sections:
        problems.append(f"sections {got_sections} != {source.sections}; page 1 text: {ts.pages[0][:300]!r}")
    nos = [m.no for m in doc.measures]
    if nos != list(source.measures):
        problems.append(f"measure numbers {nos} != 1..{len(source.measures)}")
        missing = sorted(set(source.measures) - set(nos))
        for no in missing[:4]:
            problems.append(f"  （{no}） not found; pypdf text: {ts.around(source.measures[no][1][:12])}")
    for m in doc.measures:
        want_section = source.measures.get(m.no, (None,))[0]
        if m.section_no != want_section:
            problems.append(f"measure {m.no} in section {m.section_no}, want {want_section}")
    pages = [m.page for m in doc.measures]
    if pages != sorted(pages) or not all(1 <= p <= doc.pages for p in pages):
        problems.append(f"measure pages {pages} not non-decreasing within 1..{doc.pages}")
    if doc.pages != len(ts.pages):
        problems.append(f"document pages {doc.pages} != PDF pages {len(ts.pages)}")
    _check(ts, problems)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_bureaus_and_leads(typeset, source, layout):
    ts = typeset[layout]
    doc, problems = ts.doc, []
    if doc.implementers != IMPLEMENTERS:
        problems.append(f"implementers {doc.implementers} != {IMPLEMENTERS}")
    got = {m.no: m for m in doc.measures}
    for no, want in EXPECTED_BUREAUS.items():
        m = got.get(no)
        if m is None:
            problems.append(f"measure {no} missing")
            continue
        names = [b.name for b in m.bureaus]
        leads = {b.name for b in m.bureaus if b.lead}
        want_leads = {want[0]} if no in LEADS else set()
        if names != want or leads != want_leads:
            para = source.measures[no][1]
            closing = para[para.rfind("（"):]
            problems.append(f"measure {no}: bureaus {names} (lead {sorted(leads)}), want {want} "
                            f"(lead {sorted(want_leads)}); pypdf text: {ts.around(closing, 40)}")
    _check(ts, problems)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_targets(typeset, source, layout):
    ts = typeset[layout]
    doc, problems = ts.doc, []
    for m in doc.measures:
        got = [(t.year, t.value, t.unit) for t in m.targets]
        want = EXPECTED_TARGETS.get(m.no, [])
        if got != want:
            head = source.measures.get(m.no, (0, m.text))[1][:12]
            lost = [w for w in want if w not in got] or [g for g in got if g not in want]
            year, value, unit = lost[0]
            problems.append(f"measure {m.no}: targets {got}, want {want}; pypdf text: "
                            f"{ts.around(f'{value}{unit}', 60, after=head)}")
        for t in m.targets:
            if not t.indicator or t.text not in m.text:
                problems.append(f"measure {m.no}: target {t} has no indicator or its sentence is not in the measure")
    total = sum(len(m.targets) for m in doc.measures)
    if total != 19:
        problems.append(f"{total} targets in all, want 19")
    _check(ts, problems)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_title_and_text_survive(typeset, source, layout):
    """Beyond the knowledge: the title line is the document's (not the running header), the preamble and every
    measure's text are exactly the typeset paragraphs (no footer, header or lost line in them), and each
    measure's page is the page its heading is printed on."""
    ts = typeset[layout]
    doc, problems = ts.doc, []
    ws = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    if doc.title not in (PRIMARY_TITLE, PRIMARY_TITLE + DRAFT_MARK):
        problems.append(f"title {doc.title!r}; page 1 text: {ts.pages[0][:160]!r}")
    preamble = [u.text for u in doc.extra_units if u.kind == PREAMBLE]
    body = [ws(p) for p in preamble]
    for prefix in (ws(PRIMARY_TITLE), ws(DRAFT_MARK)):  # the title block may open the preamble unit
        body = [p[len(prefix):] if p.startswith(prefix) else p for p in body]
    if body != [ws(source.preamble)]:
        problems.append(f"preamble {preamble!r} != {source.preamble!r}; pypdf text: {ts.around(source.preamble[-20:])}")
    printed = [ws(fold_radicals(p)) for p in ts.pages]
    for m in doc.measures:
        want = source.measures.get(m.no, (0, ""))[1]
        if ws(m.text) != ws(want):
            i = next((k for k, (a, b) in enumerate(zip(ws(m.text), ws(want))) if a != b), None)
            problems.append(f"measure {m.no} text differs at char {i}: …{ws(m.text)[max(0, (i or 0) - 20):][:60]!r}")
        head = ws(want)[:10]
        on = [i for i, p in enumerate(printed, start=1) if head and head in p]
        if on and m.page != on[0]:
            problems.append(f"measure {m.no} on page {m.page}, printed on page {on[0]}")
    left = radicals("".join(u.text for u in doc.units()) + doc.title)
    if left:
        problems.append(f"{len(left)} CJK radicals left in the parsed text, e.g. {sorted(set(left))[:12]}")
    _check(ts, problems)
