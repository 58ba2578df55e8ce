"""部门: the responsibility matrix (bureau × measure, ● lead / ○ shared) per document, and a bureau page
listing everything a bureau leads or shares across documents."""
from __future__ import annotations

from collections import defaultdict

import gradio as gr

from knowledge.model import MEASURE
from knowledge.numerals import int_to_cn
from ui.pages.common import Page, doc_choices
from ui.render import esc, measure_label

LEAD, SHARED = "●", "○"


def matrix_html(doc) -> str:
    """Rows: bureaus (most leads first); columns: the document's measures that name a bureau."""
    if doc is None:
        return '<div class="pq-muted">请选择文件。</div>'
    measures = [m for m in doc.measures if m.bureaus]
    if not measures:
        return (f'<div class="pq-muted">《{esc(doc.title)}》的条目没有列明责任部门'
                f'{"（全部由 " + esc("、".join(doc.implementers)) + " 落实）" if doc.implementers else ""}。</div>')
    cells: dict[str, dict[int, str]] = defaultdict(dict)
    names: dict[str, str] = {}
    for m in measures:
        for b in m.bureaus:
            names.setdefault(b.canonical, b.name)
            if cells[b.canonical].get(m.seq) != LEAD:
                cells[b.canonical][m.seq] = LEAD if b.lead else SHARED
    order = sorted(cells, key=lambda c: (-sum(v == LEAD for v in cells[c].values()), -len(cells[c]), names[c]))
    # Measure numbers restart per section in some documents: then the header says 2-（一）.
    numbers = [m.no for m in measures]
    repeated = len(set(numbers)) < len(numbers)

    def header(m) -> str:
        label = int_to_cn(m.no) if m.kind == MEASURE else str(m.no)
        if repeated and m.section_no:
            label = f"{m.section_no}-{label}"
        return f'<th class="pq-mcol" title="{esc(measure_label(m.no, m.title, m.kind))}">{esc(label)}</th>'

    head = '<th class="pq-bcol">部门 \\ 举措</th>' + "".join(header(m) for m in measures) + "<th>牵头</th><th>参与</th>"
    rows = []
    for c in order:
        row = cells[c]
        tds = "".join(
            f'<td class="{"pq-lead" if row.get(m.seq) == LEAD else "pq-shared" if row.get(m.seq) else ""}">'
            f'{row.get(m.seq, "")}</td>' for m in measures)
        n_lead = sum(v == LEAD for v in row.values())
        title = f' title="{esc(c)}"' if c != names[c] else ""
        rows.append(f'<tr><th class="pq-bcol"{title}>{esc(names[c])}</th>{tds}'
                    f"<td>{n_lead}</td><td>{len(row) - n_lead}</td></tr>")
    legend = "".join(f"<li><b>{esc(int_to_cn(m.no) if not repeated else f'{m.section_no}-{int_to_cn(m.no)}')}</b> "
                     f"{esc(m.title)}（第{esc(m.page)}页）</li>" for m in measures)
    note = ""
    if doc.implementers:
        note = (f'<div class="pq-note">文件通则：{esc("、".join(doc.implementers))} 负责落实全部举措'
                f"（表中只标出条目里逐条写明的部门）。</div>")
    return (f'<div class="pq-matrix-wrap"><div class="pq-muted">{LEAD} 牵头　{SHARED} 参与（按职责分工负责）'
            f"　鼠标悬停列头可看举措名称</div>"
            f'<div class="pq-matrix-scroll"><table class="pq-matrix"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>{note}'
            f'<details class="pq-legend"><summary>举措列表</summary><ul>{legend}</ul></details></div>')


def bureau_html(service, canonical: str | None) -> str:
    """What one bureau leads, shares, and implements through a document-wide clause, by document."""
    if not canonical:
        return '<div class="pq-muted">请选择部门。</div>'
    rs = service.catalog.responsibilities(canonical)
    if not rs:
        return f'<div class="pq-muted">文件中没有列出 {esc(canonical)} 的职责。</div>'
    groups = (("牵头负责", lambda r: r.lead), ("参与（按职责分工负责）", lambda r: not r.lead and not r.implementer),
              ("文件通则落实（全部举措）", lambda r: r.implementer))
    parts = [f"<h3>{esc(service.catalog.display_name(canonical))}"
             f'<span class="pq-muted">（{esc(canonical)}）</span></h3>']
    for title, pick in groups:
        chosen = [r for r in rs if pick(r)]
        if not chosen:
            continue
        parts.append(f"<h4>{esc(title)}：{len(chosen)} 项</h4>")
        by_doc: dict[str, list] = defaultdict(list)
        for r in chosen:
            by_doc[r.doc.title].append(r)
        for doc_title, items in by_doc.items():
            lis = "".join(f"<li>{esc(measure_label(r.measure.no, r.measure.title, r.measure.kind))}"
                          f'<span class="pq-muted">（第{esc(r.measure.page)}页）</span></li>' for r in items)
            parts.append(f'<div class="pq-doc">《{esc(doc_title)}》</div><ul>{lis}</ul>')
    return '<div class="pq-bureau">' + "".join(parts) + "</div>"


def bureau_choices(service) -> list[tuple[str, str]]:
    cat = service.catalog
    return [(c if cat.display_name(c) == c else f"{cat.display_name(c)}（{c}）", c) for c in cat.all_bureaus()]


def _default_doc(service) -> str | None:
    """The document with the most bureau assignments: the matrix worth seeing first."""
    docs = list(service.catalog.documents.values())
    if not docs:
        return None
    return max(docs, key=lambda d: sum(len(m.bureaus) for m in d.measures)).doc_id


def build(service) -> Page:
    gr.Markdown("### 责任矩阵")
    doc = gr.Dropdown(doc_choices(service, with_all=False), value=_default_doc(service), label="文件",
                      elem_id="pq-b-doc")
    matrix = gr.HTML(matrix_html(service.document(_default_doc(service)) if _default_doc(service) else None),
                     elem_id="pq-matrix")
    gr.Markdown("### 部门职责")
    choices = bureau_choices(service)
    bureau = gr.Dropdown(choices, value=choices[0][1] if choices else None, label="部门", filterable=True,
                         elem_id="pq-b-bureau")
    detail = gr.HTML(bureau_html(service, choices[0][1] if choices else None), elem_id="pq-bureau-detail")

    doc.input(lambda d: matrix_html(service.document(d) if d else None), doc, matrix, api_visibility="private")
    bureau.input(lambda b: bureau_html(service, b), bureau, detail, api_name="bureau")

    def refresh():
        d = _default_doc(service)
        cs = bureau_choices(service)
        b = cs[0][1] if cs else None
        return [gr.Dropdown(choices=doc_choices(service, with_all=False), value=d),
                matrix_html(service.document(d) if d else None),
                gr.Dropdown(choices=cs, value=b), bureau_html(service, b)]

    return Page(outputs=[doc, matrix, bureau, detail], refresh=refresh)
