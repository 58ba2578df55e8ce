"""目标: every quantified target, filtered by year / bureau / keyword / document, CSV export, charts."""
from __future__ import annotations

import csv
import hashlib
import io
import tempfile
import threading
from pathlib import Path

import gradio as gr
import pandas as pd

from ui import charts
from ui.pages.common import ALL_DOCS, Page, doc_choices
from ui.render import measure_label, target_value

ALL = "全部"
COLUMNS = ["文件", "举措", "年份", "指标", "目标值", "责任部门", "页码"]
CSV_HEADER = ["文件", "doc_id", "举措序号", "举措", "年份", "指标", "比较", "数值", "单位", "目标值", "责任部门",
              "页码", "原文"]


def query(service, year: str | None, bureau: str | None, keyword: str | None, doc: str | None):
    """The filtered TargetRows; "全部" / "" mean no filter."""
    y = int(year) if year and year != ALL and str(year).isdigit() else None
    return service.targets(year=y, bureau=None if not bureau or bureau == ALL else bureau,
                           keyword=(keyword or "").strip() or None, doc=doc or None)


def frame(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [[r.doc_title, measure_label(r.measure_no, r.measure_title), r.year or "", r.indicator,
          target_value(r.comparator, r.value, r.unit), "、".join(r.bureaus), r.page] for r in rows],
        columns=COLUMNS,
    )


def write_csv(rows, folder: Path) -> Path:
    """UTF-8 with BOM so Excel opens the Chinese correctly."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER)
    for r in rows:
        w.writerow([r.doc_title, r.doc_id, r.measure_no, r.measure_title, r.year or "", r.indicator,
                    r.comparator, r.value, r.unit, target_value(r.comparator, r.value, r.unit),
                    "、".join(r.bureaus), r.page, r.text])
    data = buf.getvalue()
    # Named by content: the same selection reuses its file, so re-filtering does not pile up files.
    path = folder / f"targets-{hashlib.sha256(data.encode()).hexdigest()[:10]}.csv"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{threading.get_ident()}.part")  # concurrent writers
        tmp.write_text(data, encoding="utf-8-sig", newline="")
        tmp.replace(path)
    return path


def filter_choices(service) -> tuple[list[str], list[str]]:
    rows = service.targets()
    years = sorted({str(r.year) for r in rows if r.year})
    bureaus = sorted({b for r in rows for b in r.bureaus})
    return [ALL] + years, [ALL] + bureaus


def build(service) -> Page:
    export_dir = Path(tempfile.mkdtemp(prefix="policyqa-csv-"))
    years, bureaus = filter_choices(service)
    with gr.Row():
        year = gr.Dropdown(years, value=ALL, label="年份", elem_id="pq-t-year")
        bureau = gr.Dropdown(bureaus, value=ALL, label="责任部门", elem_id="pq-t-bureau", filterable=True)
        keyword = gr.Textbox(label="关键词", placeholder="如：光伏、充电桩", elem_id="pq-t-keyword")
        doc = gr.Dropdown(doc_choices(service), value=ALL_DOCS, label="文件", elem_id="pq-t-doc")
    with gr.Row():
        count = gr.Markdown(elem_id="pq-t-count")
        download = gr.DownloadButton("下载 CSV", elem_id="pq-t-download", size="sm", scale=0, min_width=140)
    grid = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="pq-t-table", max_height=520,
                        column_widths=["22%", "18%", "6%", "22%", "11%", "15%", "6%"])
    with gr.Row():
        by_year = gr.Plot(label="按年份", elem_id="pq-t-by-year")
        by_bureau = gr.Plot(label="按责任部门", elem_id="pq-t-by-bureau")

    def update(y, b, k, d):
        rows = query(service, y, b, k, d)
        return (frame(rows), f"共 **{len(rows)}** 项目标", write_csv(rows, export_dir),
                charts.targets_by_year(rows), charts.targets_by_bureau(rows))

    inputs = [year, bureau, keyword, doc]
    outputs = [grid, count, download, by_year, by_bureau]
    for control in (year, bureau, doc):  # .input: user changes only, not refresh()'s own updates
        control.input(update, inputs, outputs, api_visibility="private")
    keyword.submit(update, inputs, outputs, api_name="targets")
    keyword.blur(update, inputs, outputs, api_visibility="private")

    def refresh():
        ys, bs = filter_choices(service)
        return [gr.Dropdown(choices=ys, value=ALL), gr.Dropdown(choices=bs, value=ALL),
                gr.Dropdown(choices=doc_choices(service), value=ALL_DOCS), *update(ALL, ALL, "", ALL_DOCS)]

    return Page(outputs=[year, bureau, doc, *outputs], refresh=refresh)
