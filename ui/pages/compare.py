"""对比: two editions of a policy side by side (knowledge/diff.py), and one indicator across documents
(knowledge/indicators.py, read from the knowledge store). All document text is escaped."""
from __future__ import annotations

import gradio as gr

from knowledge.diff import shortened
from ui.pages.common import Page
from ui.render import esc, target_value

STATUS = {"same": ("未改动", "pq-badge-info"), "changed": ("修改", "pq-badge-warn"), "added": ("新增", "pq-badge-ok"),
          "removed": ("删除", "pq-badge-error")}
FIELD = {"text": "文字", "target": "目标", "bureau": "责任单位", "lead": "牵头单位", "deadline": "完成时限"}

CSS = """
.pq-diff-summary { white-space:pre-wrap; line-height:1.7; border-left:4px solid #2563eb; padding:6px 12px;
                   background:#eff6ff; margin-bottom:10px; }
.pq-diff-unit { border:1px solid #e5e7eb; border-radius:6px; padding:8px 10px; margin:6px 0; background:#fff; }
.pq-diff-head { font-weight:600; }
.pq-diff-text { font-size:0.92em; line-height:1.7; white-space:pre-wrap; color:#1f2937; }
.pq-diff-text ins { background:#bbf7d0; text-decoration:none; }
.pq-diff-text del { background:#fecaca; }
.pq-diff-change { font-size:0.92em; margin:2px 0; }
.pq-ind-table td.pq-num { text-align:right; font-weight:600; white-space:nowrap; }
.pq-ind-table td:first-child { min-width:14em; }
.pq-ind-table td:nth-child(4) { min-width:9em; }
"""


def _ops_html(ops: list[list[str]], context: int = 40) -> str:
    parts = []
    for tag, old, new in shortened(ops, context):
        if tag == "equal":
            parts.append(esc(old))
            continue
        if old:
            parts.append(f"<del>{esc(old)}</del>")
        if new:
            parts.append(f"<ins>{esc(new)}</ins>")
    return "".join(parts)


def diff_html(result, show_same: bool = False) -> str:
    """The summary, then one card per added, removed, changed or moved unit."""
    out = [f'<div class="pq-diff-summary" id="pq-diff-summary">{esc(result.summary())}</div>']
    c = result.counts()
    out.append(f'<div class="pq-muted">未改动 {c["same"]} 条，修改 {c["changed"]} 条，新增 {c["added"]} 条，'
               f'删除 {c["removed"]} 条，移动 {c["moved"]} 条，编号调整 {c["renumbered"]} 条</div>')
    for u in result.units:
        if u.status == "same" and not u.moved and not show_same:
            continue
        label, cls = STATUS[u.status]
        badges = f'<span class="pq-badge {cls}">{label}</span>'
        if u.moved:
            badges += '<span class="pq-badge pq-badge-info">移动</span>'
        if u.relation:
            badges += f'<span class="pq-badge pq-badge-info">{"合并" if u.relation == "merged" else "拆分"}</span>'
        where = f'{esc(u.a_label or "—")} → {esc(u.b_label or "—")}'
        body = []
        for ch in u.changes:
            if ch.field == "text":
                body.append(f'<div class="pq-diff-text">{_ops_html(ch.extra["ops"])}</div>')
            else:
                extra = ""
                direction = ch.extra.get("direction")
                if direction in ("raised", "lowered"):
                    extra = "（提高）" if direction == "raised" else "（降低）"
                body.append(f'<div class="pq-diff-change"><b>{FIELD[ch.field]}</b>：{esc(ch.old or "—")} → '
                            f'{esc(ch.new or "—")}{extra}</div>')
        if u.status in ("added", "removed"):
            text = u.b_text if u.status == "added" else u.a_text
            body.append(f'<div class="pq-diff-text">{"<ins>" if u.status == "added" else "<del>"}{esc(text)}'
                        f'{"</ins>" if u.status == "added" else "</del>"}</div>')
        out.append(f'<div class="pq-diff-unit" data-status="{u.status}"><div class="pq-diff-head">{badges}'
                   f'{where} {esc(u.title)}</div>{"".join(body)}</div>')
    return "".join(out)


def indicator_html(rows: list[dict]) -> str:
    if not rows:
        return '<div class="pq-muted">库中文件没有为该指标设定目标。</div>'
    head = "<tr><th>文件</th><th>年份</th><th>目标值</th><th>原文指标</th><th>出处</th><th>页码</th><th>原文</th></tr>"
    body = "".join(
        f'<tr><td>{esc(r["doc_title"])}</td><td>{esc(r["year"] or "")}</td>'
        f'<td class="pq-num">{esc(target_value(r["comparator"], r["value"], r["unit"]))}</td>'
        f'<td>{esc(r["indicator"])}</td><td>{esc(r["label"])}</td><td>{esc(r["page"])}</td>'
        f'<td>{esc(r.get("year_quote") or r["quote"])}</td></tr>' for r in rows)
    docs = len({r["doc_id"] for r in rows})
    return (f'<div class="pq-muted">{docs} 份文件，{len(rows)} 项目标</div>'
            f'<table class="pq-table pq-ind-table" id="pq-ind-table">{head}{body}</table>')


def indicator_chart(rows: list[dict]):
    """One bar per document for one year — the year most documents set (the latest on a tie) — in the
    indicator's usual unit: 2060 and 2025 targets side by side would compare nothing."""
    from collections import Counter

    usable = [r for r in rows if r["number"] is not None and r["year"]]
    if not usable:
        return None
    unit = Counter(r["unit"] for r in usable).most_common(1)[0][0]  # 个百分点 (a change) is not a level (%)
    usable = [r for r in usable if r["unit"] == unit]
    years = Counter(r["year"] for r in {(r["doc_id"], r["year"]): r for r in usable}.values())
    year = max(years, key=lambda y: (years[y], y))
    per_doc: dict[str, dict] = {}
    for r in usable:
        if r["year"] == year:
            per_doc.setdefault(r["doc_id"], r)
    from ui.charts import _figure

    items = sorted(per_doc.values(), key=lambda r: r["number"])
    fig, ax = _figure(8, max(2.5, 0.4 * len(items) + 1))
    ax.barh([r["doc_title"][:18] for r in items], [r["number"] for r in items], color="#2563eb")
    ax.set_xlabel(f"{year}年目标（{unit}）")
    for i, r in enumerate(items):
        ax.text(r["number"], i, f' {r["value"]}', va="center", fontsize=8)
    return fig


def indicator_choices(service) -> list[str]:
    """Indicators the library sets targets for, the most widely set first."""
    from knowledge.indicators import NAMES

    counts: dict[str, set] = {}
    old = service.superseded()
    for r in service.target_records():
        if r["indicator_norm"] and r["doc_id"] not in old:
            counts.setdefault(r["indicator_norm"], set()).add(r["doc_id"])
    present = sorted(counts, key=lambda n: (-len(counts[n]), NAMES.index(n)))
    return present or list(NAMES)


def _edition_defaults(service) -> tuple[list[tuple[str, str]], str | None, str | None]:
    """Dropdown choices and a default pair: an earlier edition and its newest one when the library has one."""
    docs = service.documents()
    old = service.superseded()
    choices = [(f"{d.title}  [{d.doc_id}]" + ("（较早版本）" if d.doc_id in old else ""), d.doc_id) for d in docs]
    for d in docs:
        if d.doc_id in old:
            newer = [o for o in service.editions_of(d.doc_id) if o not in old]
            if newer:
                return choices, d.doc_id, newer[-1]
    ids = [d.doc_id for d in docs]
    return choices, (ids[0] if ids else None), (ids[1] if len(ids) > 1 else None)


def build(service) -> Page:
    gr.Markdown("#### 版本对比\n选择同一政策的两个版本（如征求意见稿与正式稿），逐条列出新增、删除、修改的举措，以及目标、责任单位、牵头单位、完成时限的变化。")
    choices, a0, b0 = _edition_defaults(service)
    with gr.Row():
        a = gr.Dropdown(choices, value=a0, label="版本 A（旧）", elem_id="pq-diff-a", filterable=True)
        b = gr.Dropdown(choices, value=b0, label="版本 B（新）", elem_id="pq-diff-b", filterable=True)
        show_same = gr.Checkbox(False, label="显示未改动的条目", elem_id="pq-diff-same")
        run = gr.Button("对比", variant="primary", elem_id="pq-diff-run", scale=0, min_width=100)
    result = gr.HTML(elem_id="pq-diff-result")

    gr.Markdown("#### 同一指标跨文件对比\n各文件为同一指标设定的目标值、年份和比较方式，逐项注明出处。")
    names = indicator_choices(service)
    with gr.Row():
        indicator = gr.Dropdown(names, value=names[0] if names else None, label="指标", elem_id="pq-ind",
                                filterable=True, allow_custom_value=True)
        year = gr.Textbox(label="年份（可空）", elem_id="pq-ind-year", scale=0, min_width=120)
        go = gr.Button("查看", elem_id="pq-ind-run", scale=0, min_width=100)
    table = gr.HTML(elem_id="pq-ind-result")
    chart = gr.Plot(label="各文件同一年份的目标值", elem_id="pq-ind-chart")

    def compare_editions(x, y, same):
        if not x or not y:
            return '<div class="pq-muted">请选择两个文件。</div>'
        from knowledge.diff import diff_documents

        da, db = service.document(x), service.document(y)
        if da is None or db is None:
            return '<div class="pq-muted">文件不存在。</div>'
        return diff_html(diff_documents(da, db), show_same=bool(same))

    def compare_indicator(name, y):
        y = (y or "").strip()
        rows = service.compare_indicator(name or "", year=int(y) if y.isdigit() else None) if name else []
        return indicator_html(rows), indicator_chart(rows)

    run.click(compare_editions, [a, b, show_same], [result], api_name="diff")
    go.click(compare_indicator, [indicator, year], [table, chart], api_name="compare_indicator")
    indicator.input(compare_indicator, [indicator, year], [table, chart], api_visibility="private")

    def refresh():
        ch, x, y = _edition_defaults(service)
        ns = indicator_choices(service)
        return [gr.Dropdown(choices=ch, value=x), gr.Dropdown(choices=ch, value=y),
                gr.Dropdown(choices=ns, value=ns[0] if ns else None)]

    return Page(outputs=[a, b, indicator], refresh=refresh)
