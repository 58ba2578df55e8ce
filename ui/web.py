"""The Gradio app: `build_app(service)` assembles the tabs, `serve(service, host, port)` launches it.

Offline intranet: the default theme's fonts are served locally (no GoogleFont), analytics and the version
check are off, SSR (a Node server) is off; Chinese text uses a CJK font stack.
"""
from __future__ import annotations

import gradio as gr
from starlette.middleware import Middleware

import timing_log as timing
from ui.auth import LOCKOUT_S, MAX_FAILURES, make_auth
from ui.locale import ChineseLocale
from ui.pages import bureaus, chat, documents, enterprise, evaluation, targets
from ui.pages import compare

TITLE = "政策文件问答助手"
CJK_STACK = ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
             "WenQuanYi Micro Hei", "sans-serif"]
# Events of one kind that run at once; the rest wait in the queue. Questions only read an immutable catalogue
# snapshot and the search index (writers never hold a lock a question takes, and writes run one at a time
# under their own limit of 1), so they may all run together: what limits them is the two cores, not safety.
# With 4, ten users queued behind each other's streamed answers (p50 0.66 s for a 6 ms answer, issue 11).
CONCURRENCY = 16

CSS = """
body, .gradio-container, .gradio-container .prose, .gradio-container table {
  font-family: "Source Sans Pro", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
               "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif;
}
.pq-badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:0.85em; margin-right:6px;
            border:1px solid transparent; }
.pq-badge-refused { background:#fee2e2; color:#991b1b; border-color:#fca5a5; font-weight:600; }
.pq-badge-ok { background:#dcfce7; color:#166534; border-color:#86efac; }
.pq-badge-info { background:#e0f2fe; color:#075985; border-color:#7dd3fc; }
.pq-badge-warn { background:#fef9c3; color:#854d0e; border-color:#fde047; }
.pq-badge-error { background:#fee2e2; color:#991b1b; border-color:#fca5a5; }
.pq-muted { color:#6b7280; font-size:0.92em; }
.pq-note { color:#92400e; font-size:0.9em; margin:4px 0; }
.pq-sources { display:flex; flex-direction:column; gap:10px; }
.pq-sources-head { display:flex; flex-wrap:wrap; align-items:center; gap:4px; }
.pq-cite { border:1px solid #e5e7eb; border-left:4px solid #f97316; border-radius:6px; padding:8px 10px;
           background:#fff; }
.pq-cite-head { font-weight:600; }
.pq-cite-no { color:#ea580c; }
.pq-support { border:1px solid #e5e7eb; border-left:4px solid #16a34a; border-radius:6px; padding:8px 10px; margin:8px 0; }
.pq-support-amount { color:#15803d; margin-left:6px; }
.pq-support-conditions { margin:4px 0 4px 18px; }
.pq-support-quote { color:#374151; margin:4px 0; border-left:2px solid #d1d5db; padding-left:8px; }
.pq-support-group { font-weight:600; margin:12px 0 4px; color:#374151; }
.pq-cite-meta { font-size:0.9em; color:#374151; margin:2px 0; }
.pq-measure { font-weight:600; }
.pq-bureaus { font-size:0.88em; margin:4px 0; }
.pq-chip { display:inline-block; background:#f3f4f6; border-radius:4px; padding:0 6px; margin:1px 3px 1px 0; }
.pq-chip-lead { background:#ffedd5; color:#9a3412; font-weight:600; }
.pq-unit-text { font-size:0.92em; line-height:1.65; white-space:pre-wrap; max-height:260px; overflow:auto;
                color:#1f2937; }
.pq-unit-text mark { background:#fde68a; padding:0 1px; }
.pq-answer h4 { margin:10px 0 4px; }
.pq-answer ul { margin:0 0 6px 1.2em; }
.pq-table { border-collapse:collapse; font-size:0.92em; }
.pq-table th, .pq-table td { border:1px solid #e5e7eb; padding:3px 8px; text-align:left; }
.pq-matrix-scroll { overflow:auto; max-height:640px; }
.pq-matrix { border-collapse:collapse; font-size:0.92em; }
.pq-matrix th, .pq-matrix td { border:1px solid #e5e7eb; padding:2px 5px; text-align:center; }
.pq-matrix thead th { position:sticky; top:0; background:#f9fafb; z-index:1; }
.pq-matrix .pq-bcol { text-align:left; white-space:nowrap; position:sticky; left:0; background:#f9fafb; }
.pq-matrix td.pq-lead { color:#c2410c; font-weight:700; }
.pq-matrix td.pq-shared { color:#2563eb; }
.pq-legend ul { columns:2; font-size:0.88em; }
.pq-doc { font-weight:600; margin-top:4px; }
.pq-example { white-space:normal; }
"""


def theme() -> gr.themes.Base:
    """Gradio 6's default look, with CJK fonts after its locally served Latin font."""
    return gr.themes.Default(
        font=[gr.themes.LocalFont("Source Sans Pro", weights=(400, 600)), *CJK_STACK],
        font_mono=[gr.themes.LocalFont("IBM Plex Mono", weights=(400, 600)), "ui-monospace", "monospace"],
    )


def build_app(service) -> gr.Blocks:
    with gr.Blocks(title=TITLE, analytics_enabled=False, fill_width=True) as app:
        gr.Markdown(f"## {TITLE}\n依据已导入的政策文件作答，每个结论注明出处（文件、举措、页码）；文件未涉及的内容如实说明。")
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                chat_page = chat.build(service)
            with gr.Tab("目标", id="targets"):
                targets_page = targets.build(service)
            with gr.Tab("部门", id="bureaus"):
                bureaus_page = bureaus.build(service)
            with gr.Tab("企业", id="enterprise"):
                enterprise_page = enterprise.build(service)
            with gr.Tab("对比", id="compare"):
                compare_page = compare.build(service)
            with gr.Tab("文件", id="documents"):
                documents_page = documents.build(service)
            with gr.Tab("评测", id="evaluation"):
                evaluation.build(service)
        pages = [chat_page, targets_page, bureaus_page, enterprise_page, documents_page, compare_page]
        outputs = [c for p in pages for c in p.outputs]

        def refresh_all():
            return [u for p in pages for u in p.refresh()]

        def ask(question: str, doc: str | None = None, request: gr.Request = None) -> dict:
            """The `ask --json` object for a question (API clients: no streamed typing effect)."""
            from errors import PolicyQAError

            with timing.timed(timing.request_id(request)):
                try:
                    return service.ask(question, doc=doc or None).to_json()
                except PolicyQAError as e:  # an empty or over-long question, an unknown document
                    return {"question": question, "answer": str(e), "refused": True, "citations": [], "error": True}

        gr.api(ask, api_name="ask")

        # Every page load and every upload/removal re-reads the knowledge base, so all tabs agree.
        app.load(refresh_all, None, outputs, api_visibility="private")
        for event in documents_page.changed:
            event.then(refresh_all, None, outputs, api_visibility="private")
    return app


def serve(service, host: str | None = None, port: int | None = None, *, block: bool = True) -> gr.Blocks:
    """Launch on host:port (settings by default); login when POLICYQA_AUTH is set. With block=False,
    return the running app (tests call app.close())."""
    settings = service.settings
    timing.watch_gc()  # the users bench's log (POLICYQA_TIMING_LOG) says when collections stopped the server
    app = build_app(service)
    app.queue(default_concurrency_limit=CONCURRENCY, max_size=256)
    app.launch(
        server_name=host or settings.host,
        server_port=port or settings.port,
        auth=make_auth(settings.auth_pair),  # a callable: failed attempts are rate-limited
        auth_message=f"{TITLE}：请登录（同一用户一分钟内连续{MAX_FAILURES}次登录失败后，需等待{int(LOCKOUT_S // 60)}分钟再试）",
        max_file_size=int(settings.max_file_mb * 1024 * 1024),
        blocked_paths=[str(settings.home.resolve())],  # the knowledge base is never served as a file
        theme=theme(),
        css=CSS + compare.CSS,
        ssr_mode=False,
        share=False,
        show_error=False,
        quiet=not block,
        footer_links=["api"],
        prevent_thread_lock=not block,
        # Gradio's own words (the login form, the upload box) in Chinese whatever the browser's language
        app_kwargs={"middleware": [Middleware(ChineseLocale)]},
    )
    return app
