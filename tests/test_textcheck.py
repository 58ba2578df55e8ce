"""ingest.textcheck.text_stats (regex counts) gives exactly the counts of the per-character loop over
unicodedata.category it replaced, on every code point and on the real page texts of the development corpus."""
from __future__ import annotations

import sys
import unicodedata

from ingest.textcheck import TextStats, _is_han, _is_latin, check_pdf_pages, text_stats
from tests.conftest import CORPUS


def loop_stats(text: str) -> TextStats:
    """The previous implementation, kept here as the reference."""
    letters = han = latin = bad = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] == "L":
            letters += 1
            han += _is_han(ch)
            latin += _is_latin(ch)
        elif ch == "\ufffd" or cat == "Co" or (cat == "Cc" and ch not in "\t\n\r\f\v"):
            bad += 1
    return TextStats(letters, han, latin, bad)


def test_every_code_point_counts_as_the_loop_counts():
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    assert text_stats(every) == loop_stats(every)
    # one character at a time over the blocks the rules care about and their edges
    for lo, hi in ((0, 0x2FF), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x4E40), (0x9FC0, 0xA000),
                   (0xE000, 0xE010), (0xF8F0, 0xFB00), (0xFF00, 0xFFFF), (0x1FFF0, 0x20010), (0x323A0, 0x323B0),
                   (0xF0000, 0xF0004), (0x10FFFC, 0x10FFFF)):
        for o in range(lo, hi + 1):
            assert text_stats(chr(o)) == loop_stats(chr(o)), hex(o)


def test_real_page_texts_count_as_the_loop_counts():
    from pypdf import PdfReader

    pdfs = sorted(CORPUS.glob("*.pdf"))
    assert len(pdfs) >= 5
    pages_seen = 0
    for pdf in pdfs:  # includes the garbled 广东 PDF (glyphs mapped to other scripts' code points)
        pages = [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]
        for text in pages:
            assert text_stats(text) == loop_stats(text), pdf.name
            pages_seen += 1
        assert text_stats("\f".join(pages)) == loop_stats("\f".join(pages))
    for txt in sorted(CORPUS.glob("*.txt")):
        text = txt.read_text("utf-8")
        assert text_stats(text) == loop_stats(text)
    assert pages_seen > 50


def test_check_pdf_pages_rules_on_counts():
    good = "市发改委牵头负责，到2030年装机达到1000万千瓦。" * 5
    assert check_pdf_pages([good, good]) == (None, [])
    reason, _ = check_pdf_pages(["", " "])
    assert "没有文字层" in reason
    reason, warnings = check_pdf_pages([good * 3, ""])
    assert reason is None and warnings == ["第 2 页没有可提取的文字（空白页或扫描页）"]
