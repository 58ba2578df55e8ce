"""Pure renderers: answers, citations and tables → HTML or chat markdown.

Every piece of document- or user-derived text goes through `esc` (HTML) or `md_text` (chat markdown)
before it is wrapped in our own tags: document text is data, never markup (SPEC "Bad input").
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from knowledge.numerals import int_to_cn

# Comparators written after the figure (1000万千瓦以上); the others come before it (超1000万千瓦).
_TRAILING_COMPARATORS = ("以上", "左右", "以下", "以内", "及以上")
_MARKER = re.compile(r"\[(\d{1,3})\]")
# ASCII punctuation that CommonMark / GFM give a meaning to; `&` and `;` stay because html.escape's
# entities need them, and a backslash before them would show up.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>:/=\"'$^@%?,])")


def esc(text: object) -> str:
    """HTML-escape anything (None → "")."""
    return html.escape("" if text is None else str(text), quote=True)


def md_text(text: str) -> str:
    """Text safe to put into a markdown-rendering gr.Chatbot: HTML entities for < > &, and a backslash
    before every markdown-active character, so [x](y), ![x](y), <img …>, **, `code`, URLs and $$ show
    literally. Line breaks are kept (the Chatbot renders them with line_breaks=True)."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text or "", quote=False))


def chat_answer(text: str) -> str:
    """An answer for the Chatbot: escaped like `md_text`, then its [n] markers turned into superscripts."""
    text = re.sub(r"(?m)^- ", "• ", text or "")  # list items as bullets; "-" itself would be escaped
    escaped = md_text(text)
    return re.sub(r"\\\[(\d{1,3})\\\]", r"<sup>[\1]</sup>", escaped)



def measure_label(no: int, title: str, kind: str = "measure") -> str:
    """（五）加快绿色低碳能源供给 — plain text, not escaped."""
    if kind == "paragraph":
        return f"第{int_to_cn(no)}段" + (f" {title}" if title else "")
    if no <= 0:
        return title or "正文"
    return f"（{int_to_cn(no)}）{title}"


def target_value(comparator: str, value: str, unit: str) -> str:
    """超1000万千瓦 / 25%左右 — plain text."""
    comparator = comparator or ""
    if "…" in comparator:  # a split comparator, 完成…以上 → 完成10个以上
        before, _, after = comparator.partition("…")
        return f"{before}{value}{unit}{after}"
    if comparator in _TRAILING_COMPARATORS:
        return f"{value}{unit}{comparator}"
    return f"{comparator}{value}{unit}"


def highlight(text: str, quote: str) -> str:
    """The unit text, escaped, with the quoted sentence wrapped in <mark> (first occurrence)."""
    text = text or ""
    i = text.find(quote) if quote else -1
    if i < 0:
        return esc(text)
    return esc(text[:i]) + "<mark>" + esc(quote) + "</mark>" + esc(text[i + len(quote):])


def badge(label: str, kind: str = "info") -> str:
    return f'<span class="pq-badge pq-badge-{esc(kind)}">{esc(label)}</span>'


def bureau_chips(bureaus: Iterable) -> str:
    """Bureau objects (name, canonical, lead, implementer) → chips; lead first and marked 牵头."""
    items = sorted(bureaus, key=lambda b: (not getattr(b, "lead", False), getattr(b, "implementer", False)))
    chips = []
    for b in items:
        cls = "pq-chip pq-chip-lead" if b.lead else "pq-chip"
        title = b.canonical if b.canonical != b.name else ""
        suffix = "（牵头）" if b.lead else ""
        chips.append(f'<span class="{cls}" title="{esc(title)}">{esc(b.name)}{suffix}</span>')
    return "".join(chips) or '<span class="pq-muted">未列明</span>'


def citation_card(n: int, c, bureaus: Sequence = (), kind: str = "measure") -> str:
    """One source: [n] document · section · （五）title · bureaus · page, then the unit text with the quote
    highlighted. `c` is an answer.types.Citation. The unit is shown by its label as the document numbers it
    (第十九条, 三、（二）2.), with its title."""
    own = getattr(c, "label", "")
    if own:
        label = own if c.measure_title in ("", own) else f"{own} {c.measure_title}"
    else:
        label = measure_label(c.measure_no, c.measure_title, kind)
    text = c.unit_text or c.quote
    parts = [
        f'<div class="pq-cite" id="pq-cite-{n}">',
        f'<div class="pq-cite-head"><span class="pq-cite-no">[{n}]</span> '
        f'<span class="pq-doc">《{esc(c.doc_title)}》</span></div>',
        '<div class="pq-cite-meta">',
    ]
    if c.section:
        parts.append(f'<span class="pq-section">{esc(c.section)}</span> · ')
    parts.append(f'<span class="pq-measure">{esc(label)}</span> · <span class="pq-page">第{esc(c.page)}页</span>')
    parts.append("</div>")
    parts.append(f'<div class="pq-bureaus">责任部门：{bureau_chips(bureaus)}</div>')
    parts.append(f'<div class="pq-unit-text">{highlight(text, c.quote)}</div>')
    parts.append("</div>")
    return "".join(parts)


def sources_panel(answer, bureaus_of=lambda c: (), kind_of=lambda c: "measure") -> str:
    """The sources panel for an answer: a refusal badge when refused, the note, then one card per
    citation. `bureaus_of(citation)` gives the Bureau objects of the cited measure."""
    head = []
    if answer.refused:
        head.append(badge("未找到依据", "refused"))
        head.append('<span class="pq-muted">文件中没有找到能回答该问题的内容。</span>')
    else:
        head.append(badge(f"依据 {len(answer.citations)} 条", "ok"))
    if getattr(answer, "note", ""):
        head.append(f'<div class="pq-note">{esc(answer.note)}</div>')
    cards = [citation_card(i, c, bureaus_of(c), kind_of(c)) for i, c in enumerate(answer.citations, 1)]
    if answer.refused and cards:
        head.append('<div class="pq-muted">最接近的内容：</div>')
    return f'<div class="pq-sources"><div class="pq-sources-head">{"".join(head)}</div>{"".join(cards)}</div>'


def message_panel(message: str, kind: str = "warn") -> str:
    label = {"warn": "提示", "error": "出错", "info": "说明"}.get(kind, "提示")
    return f'<div class="pq-sources">{badge(label, kind)} <span>{esc(message)}</span></div>'


def empty_sources() -> str:
    return '<div class="pq-sources pq-muted">提问后，这里列出答案引用的文件原文（出处、责任部门、页码）。</div>'


def answer_html(text: str) -> str:
    """An answer as HTML: 【heading】 lines → headings, "- " lines → list items, [n] → superscript links to
    the source cards. Everything escaped first."""
    out: list[str] = []
    in_list = False
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        is_item = line.startswith(("- ", "· ", "• "))
        if in_list and not is_item:
            out.append("</ul>")
            in_list = False
        body = _markers(esc(line[2:] if is_item else line))
        if is_item:
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{body}</li>")
        elif line.startswith("【") and line.endswith("】"):
            out.append(f"<h4>{body}</h4>")
        else:
            out.append(f"<p>{body}</p>")
    if in_list:
        out.append("</ul>")
    return f'<div class="pq-answer">{"".join(out)}</div>'


def _markers(escaped: str) -> str:
    return _MARKER.sub(r'<sup><a href="#pq-cite-\1">[\1]</a></sup>', escaped)


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], cls: str = "pq-table") -> str:
    """A plain escaped HTML table."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="{esc(cls)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def ingest_report(report) -> str:
    """A service.IngestReport: ingested (with pages / units / targets), unchanged, refused with reasons,
    warnings."""
    parts = ['<div class="pq-report">']
    parts.append(
        f'<div>{badge(f"导入 {len(report.ingested)}", "ok")} {badge(f"未变 {len(report.unchanged)}", "info")} '
        f'{badge(f"拒收 {len(report.refused)}", "refused" if report.refused else "info")}</div>'
    )
    if report.ingested:
        parts.append("<h4>已导入</h4>")
        parts.append(table(["文件", "标题", "doc_id", "页数", "条目", "目标"],
                           [(d.source, d.title, d.doc_id, d.pages, d.measures, d.targets) for d in report.ingested]))
    if report.unchanged:
        parts.append("<h4>内容未变（已在知识库中）</h4><ul>")
        parts.extend(f"<li>{esc(name)}</li>" for name in report.unchanged)
        parts.append("</ul>")
    superseded = getattr(report, "superseded", [])
    if superseded:
        parts.append("<h4>同一文件的较旧版本（未导入）</h4>")
        parts.append(table(["较早的版本（保留）", "当前版本"], [(old, kept) for old, kept in superseded]))
    repaired = getattr(report, "repaired", [])
    if repaired:
        parts.append(f'<div class="pq-muted">另有 {len(repaired)} 个文件此前已存入知识库但未建立检索索引'
                     "（上次导入被中断），现已补建索引。</div>")
    if report.refused:
        parts.append("<h4>拒收</h4>")
        parts.append(table(["文件", "原因"], [(_basename(r.path), r.reason) for r in report.refused]))
    if report.warnings:
        parts.append("<h4>解析提示</h4><ul>")
        for name, ws in report.warnings.items():
            parts.extend(f"<li>{esc(name)}：{esc(w)}</li>" for w in ws)
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _basename(path: str) -> str:
    return re.split(r"[\\/]", str(path))[-1]
