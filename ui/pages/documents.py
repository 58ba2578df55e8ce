"""文件: upload PDF / TXT / MD with progress, the parse report, the document list, removal."""
from __future__ import annotations

from pathlib import Path

import gradio as gr
import pandas as pd

import timing_log
from errors import PolicyQAError
from ui import render
from ui.pages.common import Page, log

FILE_TYPES = [".pdf", ".txt", ".md"]
COLUMNS = ["doc_id", "标题", "文件名", "页数", "条目", "目标", "导入时间"]


def documents_frame(service) -> pd.DataFrame:
    return pd.DataFrame([[d.doc_id, d.title, d.source, d.pages, d.measures, d.targets, d.ingested_at]
                         for d in service.documents()], columns=COLUMNS)


def remove_choices(service) -> list[tuple[str, str]]:
    return [(f"{d.doc_id}  {d.title}", d.doc_id) for d in service.documents()]


def ingest_files(service, files, progress) -> str:
    """Ingest uploaded files; returns the report as HTML. Refusals are part of the report, not errors."""
    paths = [Path(f if isinstance(f, str) else f.name) for f in (files or [])]
    if not paths:
        return render.message_panel("请先选择要上传的文件（PDF、TXT、MD，可多选）。", "info")
    # this import's own copy of each upload, before it waits for another session's import of the same file to end
    paths = service.stage_uploads(paths)
    total = len(paths)
    progress((0, total), desc="开始解析…")

    def step(done: int, _total: int, name: str) -> None:
        progress((done, total), desc=f"已处理 {Path(name).name}", unit="个文件")

    try:
        with timing_log.span("ui-ingest"):  # the users bench's log: what the server does at the ingest's end
            report = service.ingest(paths, progress=step, in_child=True)  # Chroma's writes stop the process writing
    except PolicyQAError as e:
        return render.message_panel(str(e), "warn")
    except Exception:
        log.exception("ingest failed")
        return render.message_panel("导入时出现内部错误；知识库未被修改，其他功能不受影响。", "error")
    finally:
        # Uploads leave Gradio's (served) upload folder: kept under their document, or deleted.
        with timing_log.span("keep-uploads"):
            service.keep_uploads(paths)
    with timing_log.span("ingest-report"):
        return render.ingest_report(report)


def remove_doc(service, doc_id: str | None) -> str:
    if not doc_id:
        return render.message_panel("请选择要删除的文件。", "info")
    title = next((d.title for d in service.documents() if d.doc_id == doc_id), doc_id)
    try:
        found = service.remove(doc_id)
    except PolicyQAError as e:
        return render.message_panel(str(e), "warn")
    if not found:
        return render.message_panel(f"没有 doc_id 为 {doc_id} 的文件。", "warn")
    return render.message_panel(f"已删除《{title}》（{doc_id}）。", "info")


def build(service) -> Page:
    """Returns the page; web.py chains the cross-tab refresh after `page.changed` events."""
    with gr.Row(equal_height=False):
        with gr.Column(scale=2):
            upload = gr.File(label="上传政策文件（PDF / TXT / MD，可多选）", file_count="multiple",
                             file_types=FILE_TYPES, type="filepath", elem_id="pq-upload")
            ingest = gr.Button("导入", variant="primary", elem_id="pq-ingest")
        with gr.Column(scale=3):
            report = gr.HTML('<div class="pq-muted">导入结果（条目数、目标数、拒收原因、解析提示）显示在这里。</div>',
                             elem_id="pq-ingest-report")
    gr.Markdown("### 知识库中的文件")
    table = gr.Dataframe(documents_frame(service), interactive=False, wrap=True, elem_id="pq-docs")
    with gr.Row():
        choice = gr.Dropdown(remove_choices(service), value=None, label="删除文件", elem_id="pq-remove-choice",
                             scale=4)
        remove = gr.Button("删除", variant="stop", elem_id="pq-remove", scale=1)

    def run_ingest(files, progress=gr.Progress()):
        return ingest_files(service, files, progress), None

    ingested = ingest.click(run_ingest, upload, [report, upload], api_name="ingest", concurrency_limit=1,
                            concurrency_id="write")
    removed = remove.click(lambda d: remove_doc(service, d), choice, report, api_name="remove",
                           concurrency_limit=1, concurrency_id="write")

    def refresh():
        return [documents_frame(service), gr.Dropdown(choices=remove_choices(service), value=None)]

    return Page(outputs=[table, choice], refresh=refresh, changed=[ingested, removed])
