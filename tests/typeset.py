"""Test helper (no tests here): typeset the primary document into PDFs that look nothing like the one in
shared/, so that parsing is checked against layout rather than against one file.

The primary .txt is text extracted from a PDF: lines hard-broken inside sentences, a blank line between
lines, spaces around digits, a stray page footer. `primary_paragraphs` rebuilds the paragraphs (one per
preamble, 一、 heading and （一） measure); `render_html` lays them out in one of `layouts()`; `typeset_primary`
prints each layout to PDF with Debian's Chromium (headless, offline, its own throw-away profile).

Chromium 156 knows `--no-pdf-header-footer`; the older `--print-to-pdf-no-header` is ignored by it (the
date and the file:// URL are then printed on every page), so only the former is used. Page furniture
(footers `— N —`, a running header, `第 N 页`) comes from CSS `@page` margin boxes, which Chromium renders
since version 131 and which pypdf extracts as ordinary page text, at the top of each page.

Chromium embeds the Noto CJK glyphs as Type 3 fonts whose ToUnicode names many ideographs by their radical
twins (一 → ⼀ U+2F00, 工 → ⼯, 见 → ⻅ U+2EC5 …; see `radicals`): that is what any reader of a Chromium-made
Chinese PDF gets, and the parser must fold it back. `text_layer_problems` checks the PDF against the source
with the radicals folded, so the PDFs themselves are known to be right.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
INSTALL_HINT = "Debian's Chromium and fonts-noto-cjk are needed: run scripts/install-test-deps.sh"
NOTO_DIR = Path("/usr/share/fonts/opentype/noto")

PRIMARY_TITLE = "连云港市加快经济社会发展全面绿色转型政策举措"
DRAFT_MARK = "（征求意见稿）"
RUNNING_HEADER = "连云港市人民政府办公室"  # layouts "indented" and "header_pageno"

CN_NUM = "一二三四五六七八九十"
SECTION_START = re.compile(rf"^[{CN_NUM}]{{1,3}}、")
MEASURE_START = re.compile(rf"^（[{CN_NUM}]{{1,3}}）")
# The measure's title: its numbering and first sentence, `（一）加快打造绿色低碳产业集群。`
MEASURE_TITLE = re.compile(rf"^（[{CN_NUM}]{{1,3}}）[^。]{{1,40}}。")
FOOTER_LINE = re.compile(r"^[—\-－]+\s*\d{1,3}\s*[—\-－]*$")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’—…·"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


# -- the document ---------------------------------------------------------------------------------------

def primary_paragraphs(txt_path: Path | str) -> list[str]:
    """The primary document's paragraphs, in order: preamble, then each 一、 heading and each （一） measure.

    Lines inside a paragraph are joined; the draft mark on top, the stray footer and spaces next to CJK
    text (`到 2030 年`) are dropped, as a properly typeset document would not have them."""
    paragraphs: list[str] = []
    for raw in Path(txt_path).read_text(encoding="utf-8").splitlines():
        line = _SPACE_NEAR_CJK.sub("", raw.strip())
        if not line or FOOTER_LINE.match(line) or (not paragraphs and line == DRAFT_MARK):
            continue
        if not paragraphs or SECTION_START.match(line) or MEASURE_START.match(line) \
                or SECTION_START.match(paragraphs[-1]):
            paragraphs.append(line)
        else:
            paragraphs[-1] += line
    return paragraphs


def cjk_family(style: str = "serif") -> str:
    """A CJK font family that is installed: Noto Serif CJK SC for a 仿宋-like look when present, else Sans."""
    if style == "serif" and any(NOTO_DIR.glob("NotoSerifCJK*")):
        return "Noto Serif CJK SC"
    return "Noto Sans CJK SC"


# -- layouts -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    name: str
    css: str
    bold_titles: bool = False  # wrap a measure's numbering + first sentence in <strong>
    section_tag: str = "p"  # element of 一、 headings


def _base_css(body_font: str, size_pt: float, line_pt: float) -> str:
    return (f"html{{-webkit-print-color-adjust:exact}}"
            f"body{{margin:0;font-family:{body_font};font-size:{size_pt}pt;line-height:{line_pt}pt;"
            f"text-align:justify;color:#000}}"
            f"p{{margin:0;text-indent:2em}}"
            f"h1{{margin:0;text-align:center;font-weight:normal;text-indent:0}}"
            f".draft{{text-align:center;text-indent:0}}")


def layouts() -> dict[str, Layout]:
    serif, sans = cjk_family("serif"), cjk_family("sans")
    return {
        # (a) GB/T 9704-like official document: A4, 16pt 仿宋-like serif, digits and Latin letters in a
        # Times-metric font, 一、 headings in a 黑体-like sans, footer `— N —` on the outer side of the page.
        "official": Layout("official", _base_css(f'"Liberation Serif","{serif}",serif', 16, 28.9) + f"""
            @page {{size:A4;margin:37mm 26mm 35mm 28mm;}}
            @page :right {{@bottom-right {{content:"— " counter(page) " —";font:14pt "{serif}";
                          vertical-align:top;padding-top:7mm;}}}}
            @page :left {{@bottom-left {{content:"— " counter(page) " —";font:14pt "{serif}";
                         vertical-align:top;padding-top:7mm;}}}}
            h1 {{font:22pt/35pt "{serif}";font-weight:bold}}
            .draft {{font-size:16pt;margin-bottom:28.9pt}}
            p.section {{font-family:"{sans}";}}
        """),
        # (b) a narrow 9 cm column: lines break every dozen characters; bold measure titles, bold centred
        # section headings; the title itself wraps over two lines.
        "narrow": Layout("narrow", _base_css(f'"{serif}",serif', 12, 20) + f"""
            @page {{size:13cm 21cm;margin:18mm 2cm 20mm 2cm;}}
            @page {{@bottom-center {{content:counter(page);font:9pt "{serif}";}}}}
            h1 {{font:bold 18pt/26pt "{serif}";}}
            .draft {{margin-bottom:12pt}}
            h2 {{font-size:13pt;font-weight:bold;text-align:center;margin:10pt 0 6pt 0;text-indent:0}}
            strong {{font-weight:bold}}
        """, bold_titles=True, section_tag="h2"),
        # (c) two-level indentation: section headings indented 2em, measures a further 2em with a hanging
        # first line; running header `连云港市人民政府办公室` with a rule; `第 N 页` centred at the bottom.
        "indented": Layout("indented", _base_css(f'"{sans}",sans-serif', 12, 21) + f"""
            @page {{size:A4;margin:30mm 22mm 28mm 22mm;
                   @top-center {{content:"{RUNNING_HEADER}";font:10.5pt "{sans}";
                                vertical-align:bottom;padding-bottom:3mm;border-bottom:0.6pt solid #000;}}
                   @bottom-center {{content:"第 " counter(page) " 页";font:10.5pt "{sans}";}}}}
            h1 {{font:bold 20pt/30pt "{sans}";}}
            .draft {{margin-bottom:16pt}}
            p.section {{margin:8pt 0 4pt 2em;text-indent:0;font-weight:bold}}
            p.measure {{margin-left:5em;text-indent:-2em}}
            p.preamble {{margin-left:2em}}
        """),
        # (c') the running header and the page number on ONE line (office name left, `第 N 页 共 M 页` right),
        # small A5 pages: pypdf returns `连云港市人民政府办公室 第 2 页 共 14 页` as one line, different on
        # every page, and page breaks fall inside responsibility clauses (this size puts them in 市发改委 of
        # （十四）, 功能板块管委会 of （一） and 到2030年 of （三）).
        "header_pageno": Layout("header_pageno", _base_css(f'"{serif}"', 14.5, 23.2) + f"""
            @page {{size:A5;margin:18mm;
                   @top-left {{content:"{RUNNING_HEADER}";}}
                   @top-right {{content:"第 " counter(page) " 页 共 " counter(pages) " 页";}}}}
        """),
        # (d) wide landscape pages, small text: several measures per page, headings mid-page.
        "landscape": Layout("landscape", _base_css(f'"{serif}",serif', 9, 13.5) + f"""
            @page {{size:A4 landscape;margin:12mm 15mm 14mm 15mm;
                   @bottom-right {{content:counter(page) " / " counter(pages);font:8pt "{serif}";}}}}
            h1 {{font:bold 14pt/20pt "{serif}";}}
            .draft {{margin-bottom:6pt}}
            p.section {{font-weight:bold;text-indent:0;margin-top:3pt}}
        """),
    }


def render_html(paragraphs: list[str], layout: Layout) -> str:
    body = [f"<h1>{html.escape(PRIMARY_TITLE)}</h1>", f'<p class="draft">{html.escape(DRAFT_MARK)}</p>']
    for i, para in enumerate(paragraphs):
        if SECTION_START.match(para):
            body.append(f'<{layout.section_tag} class="section">{html.escape(para)}</{layout.section_tag}>')
        elif MEASURE_START.match(para):
            m = MEASURE_TITLE.match(para) if layout.bold_titles else None
            if m:
                inner = f"<strong>{html.escape(m.group(0))}</strong>{html.escape(para[m.end():])}"
            else:
                inner = html.escape(para)
            body.append(f'<p class="measure">{inner}</p>')
        else:
            body.append(f'<p class="{"preamble" if i == 0 else "text"}">{html.escape(para)}</p>')
    return ("<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(PRIMARY_TITLE)}</title><style>{layout.css}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


# -- printing ------------------------------------------------------------------------------------------

def chromium_argv(html_path: Path, pdf_path: Path, profile: Path) -> list[str]:
    return [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--no-default-browser-check",
            f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri()]


class TypesetError(RuntimeError):
    pass


def typeset_primary(txt_path: Path | str, out_dir: Path | str, names: list[str] | None = None,
                    timeout_s: float = 60.0) -> dict[str, Path]:
    """Render the primary document in each layout (all by default) to `out_dir/<layout>.pdf`; the HTML is
    kept next to it. Chromium processes run in parallel, each with its own temporary profile."""
    if not CHROMIUM.exists():
        raise TypesetError(f"{CHROMIUM} not found. {INSTALL_HINT}")
    if not any(NOTO_DIR.glob("Noto*CJK*")):
        raise TypesetError(f"no Noto CJK font under {NOTO_DIR}. {INSTALL_HINT}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paragraphs = primary_paragraphs(txt_path)
    chosen = layouts()
    if names is not None:
        chosen = {n: chosen[n] for n in names}
    procs: dict[str, tuple[subprocess.Popen, Path, Path]] = {}
    env = dict(os.environ, LANG="C.UTF-8")
    for name, layout in chosen.items():
        html_path = out_dir / f"{name}.html"
        html_path.write_text(render_html(paragraphs, layout), encoding="utf-8")
        pdf_path = out_dir / f"{name}.pdf"
        pdf_path.unlink(missing_ok=True)
        profile = Path(tempfile.mkdtemp(prefix=f"chromium-{name}-", dir=out_dir))
        procs[name] = (subprocess.Popen(chromium_argv(html_path, pdf_path, profile), stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                                        start_new_session=True), pdf_path, profile)
    deadline = time.monotonic() + timeout_s
    result, errors = {}, []
    for name, (proc, pdf_path, profile) in procs.items():
        try:
            out, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
            errors.append(f"{name}: chromium timed out after {timeout_s:.0f} s")
            continue
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        if proc.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
            tail = out.decode("utf-8", "replace")[-800:]
            errors.append(f"{name}: chromium exit {proc.returncode}, no PDF written:\n{tail}")
            continue
        result[name] = pdf_path
    if errors:
        raise TypesetError("\n".join(errors))
    return result


# -- checking the PDF itself ---------------------------------------------------------------------------

def pdf_page_texts(pdf_path: Path | str) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(pdf_path)).pages]


# Page furniture the layouts print (after radicals are folded): `— 3 —`, `3`, `3 / 7`, `第 3 页`, the header,
# `连云港市人民政府办公室 第 3 页 共 9 页`.
FURNITURE_LINE = re.compile(
    rf"^(?:{RUNNING_HEADER})?\s*(?:—\s*\d+\s*—|\d+|\d+\s*/\s*\d+|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)?$")
_RADICALS = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf]")


def radicals(text: str) -> list[str]:
    """CJK radical code points (U+2E80–U+2FDF) in `text`.

    Noto CJK gives an ideograph and its radical twin one glyph (工 U+5DE5 and ⼯ U+2F2F, 一 and ⼀, 见 and
    ⻅ U+2EC5 …); Chromium's PDF writer names each glyph by the lowest code point mapped to it, so the text
    layer of every such PDF spells 一、 as ⼀、 and 市工信局 as 市⼯信局. It looks right and is not the same
    string; NFKC folds the Kangxi block (U+2F00–U+2FD5) but maps ⼾ to 戶, not 户, and leaves the
    supplement block (U+2E80–U+2EFF: ⻅ ⻋ ⻓ ⻔ ⻚ …) alone."""
    return _RADICALS.findall(text)


@lru_cache(maxsize=1)
def radical_fold_table() -> dict[int, int]:
    """Radical code point → the ideograph sharing its glyph in the installed Noto CJK SC fonts (the map a
    reader of these PDFs has to undo), falling back to NFKC for radicals no font shares."""
    from fontTools.ttLib import TTCollection

    table: dict[int, int] = {}
    for path in sorted(NOTO_DIR.glob("Noto*CJK-Regular.ttc")):
        for font in TTCollection(str(path), lazy=True).fonts:
            if not font["name"].getDebugName(1).endswith(" SC"):
                continue
            cmap = font.getBestCmap()
            by_glyph: dict[str, int] = {}
            for cp, glyph in sorted(cmap.items()):
                if 0x3400 <= cp <= 0x9FFF:
                    by_glyph.setdefault(glyph, cp)
            for cp, glyph in cmap.items():
                if 0x2E80 <= cp <= 0x2FDF and glyph in by_glyph:
                    table.setdefault(cp, by_glyph[glyph])
    for cp in range(0x2F00, 0x2FD6):
        nfkc = unicodedata.normalize("NFKC", chr(cp))
        if cp not in table and len(nfkc) == 1 and nfkc != chr(cp):
            table[cp] = ord(nfkc)
    return table


def fold_radicals(text: str) -> str:
    return text.translate(radical_fold_table())


def text_layer_problems(page_texts: list[str], paragraphs: list[str]) -> list[str]:
    """Whether a PDF's text layer (pypdf text per page), radicals folded and page furniture dropped, reads
    exactly as title + paragraphs (white space ignored). Empty when it does: then a parse failure is the
    parser's, not the PDF's."""
    pages = [fold_radicals(t) for t in page_texts]
    body = "".join(ln for page in pages for ln in page.splitlines()
                   if not FURNITURE_LINE.match(ln.strip()))
    got = re.sub(r"\s+", "", body)
    want = re.sub(r"\s+", "", PRIMARY_TITLE + DRAFT_MARK + "".join(paragraphs))
    if got == want:
        return []
    i = next((k for k, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    left = _RADICALS.findall(got)
    return [f"text layer differs at char {i}: got {got[max(0, i - 30):i + 30]!r}, "
            f"want {want[max(0, i - 30):i + 30]!r}" + (f"; unfolded radicals {sorted(set(left))}" if left else "")]
