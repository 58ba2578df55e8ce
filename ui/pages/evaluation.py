"""评测: run a gold test set through the same `ask` path, with a progress bar; metrics and failures."""
from __future__ import annotations

from pathlib import Path

import gradio as gr
import pandas as pd

from errors import PolicyQAError
from settings import PROJECT_DIR
from ui import render
from ui.pages.common import Page, log

TESTSET_DIR = PROJECT_DIR / "eval" / "testsets"
DEFAULT_TESTSET = TESTSET_DIR / "policyqa.jsonl"
# Metrics fields → Chinese labels (rates shown as percentages).
METRICS = (
    ("n", "题目数", False),
    ("accuracy", "总体正确率", True),
    ("answer_accuracy", "可答题正确率", True),
    ("refusal_accuracy", "拒答正确率", True),
    ("false_refusal_rate", "误拒率", True),
    ("hit_at_1", "hit@1", True),
    ("hit_at_3", "hit@3", True),
    ("hit_at_5", "hit@5", True),
    ("mrr", "MRR", True),
    ("cited_gold", "引用命中标准举措", True),
    ("citation_validity", "引文有效率", True),
    ("numeric_faithfulness", "数字忠实度", True),
    ("latency_p50_ms", "延迟 p50（毫秒）", False),
    ("latency_p95_ms", "延迟 p95（毫秒）", False),
)
METRIC_COLUMNS = ["指标", "数值", "门槛"]
TYPE_COLUMNS = ["题型", "题数", "正确率", "hit@3", "引文有效率"]
FAIL_COLUMNS = ["id", "类型", "问题", "原因", "回答（节选）"]


def _fmt(value, rate: bool) -> str:
    if value is None:
        return "—"
    if rate:
        return f"{value * 100:.1f}%"
    return str(value) if isinstance(value, int) else f"{value:.1f}"


def _thresholds() -> dict[str, dict[str, float]]:
    try:
        from eval.__main__ import load_thresholds

        return load_thresholds()
    except Exception:  # the page still works without the gate column
        return {"min": {}, "max": {}}


def metrics_frame(metrics) -> pd.DataFrame:
    bounds = _thresholds()
    rows = []
    for name, label, rate in METRICS:
        value = getattr(metrics, name, None)
        lo, hi = bounds["min"].get(name), bounds["max"].get(name)
        gate = ""
        if lo is not None or hi is not None:
            ok = value is not None and (lo is None or value >= lo) and (hi is None or value <= hi)
            bound = f"≥ {_fmt(lo, rate)}" if lo is not None else f"≤ {_fmt(hi, rate)}"
            gate = f"{'达标' if ok else '未达标'}（{bound}）"
        rows.append([label, _fmt(value, rate), gate])
    return pd.DataFrame(rows, columns=METRIC_COLUMNS)


def per_type_frame(metrics) -> pd.DataFrame:
    rows = [[t, m.n, _fmt(m.accuracy, True), _fmt(m.hit_at_3, True), _fmt(m.citation_validity, True)]
            for t, m in (metrics.per_type or {}).items()]
    return pd.DataFrame(rows, columns=TYPE_COLUMNS)


def failures_frame(result) -> pd.DataFrame:
    rows = []
    for r in result.failures:
        answer = (r.record.get("answer") or "").replace("\n", " ")
        rows.append([r.item.id, r.item.type, r.item.question, "；".join(r.score.reasons()),
                     answer[:160] + ("…" if len(answer) > 160 else "")])
    return pd.DataFrame(rows, columns=FAIL_COLUMNS)


def select_items(service, items, skip_missing: bool):
    """Items whose document is in the knowledge base (all items when skip_missing is off), and a note
    naming the skipped documents."""
    if not skip_missing:
        return list(items), ""
    kept, missing = [], {}
    for it in items:
        if it.doc and service.catalog.resolve_doc(it.doc) is None:
            missing[it.doc] = missing.get(it.doc, 0) + 1
        else:
            kept.append(it)
    note = ""
    if missing:
        note = "跳过 " + "、".join(f"《{d}》{n}题" for d, n in missing.items()) + "：这些文件尚未导入（可在“文件”页上传）。"
    return kept, note


def project_testsets() -> list[str]:
    """File names of the project's own test sets (eval/testsets/*.jsonl), the only server files offered."""
    return sorted(p.name for p in TESTSET_DIR.glob("*.jsonl") if p.is_file())


def _upload_folder() -> Path:
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def testset_path(name: str | None, upload) -> Path:
    """The file to read: an upload (a file Gradio stored in its upload folder) or one of the project's own
    test sets, chosen by name. Any other server path is refused with the same message whether it exists
    or not, so the page is neither a file reader nor an existence oracle (/etc/shadow, /dev/zero, the data home)."""
    if upload:
        path = Path(upload if isinstance(upload, str) else getattr(upload, "name", "")).resolve()
        folder = _upload_folder()
        if path.is_relative_to(folder) and path.is_file():
            return path
        raise PolicyQAError("只能评测通过本页上传的测试集，或项目自带的测试集。")
    name = (name or "").strip() or DEFAULT_TESTSET.name
    if name not in project_testsets():
        raise PolicyQAError("只能评测通过本页上传的测试集，或项目自带的测试集（"
                            + "、".join(project_testsets()) + "）。")
    return TESTSET_DIR / name


def run_eval(service, name: str, upload, skip_missing: bool, progress):
    """(summary_html, metrics_df, per_type_df, failures_df)."""
    from eval.runner import load_testset, run

    empty = (pd.DataFrame(columns=METRIC_COLUMNS), pd.DataFrame(columns=TYPE_COLUMNS),
             pd.DataFrame(columns=FAIL_COLUMNS))
    path = None
    try:
        path = testset_path(name, upload)
        try:
            items = load_testset(path)
        except PolicyQAError as e:  # name the file, not where the server keeps it
            raise PolicyQAError(str(e).replace(str(path), path.name)) from e
        service.ensure_default_corpus()
        items, note = select_items(service, items, skip_missing)
        if not items:
            return render.message_panel(note or "测试集中没有可评测的题目。", "warn"), *empty
        progress((0, len(items)), desc="评测中…")

        def step(done, total, item_result):
            progress((done, total), desc=f"{item_result.item.id}", unit="题")

        result = run(service, items, out=None, progress=step, show_progress=False)
    except PolicyQAError as e:
        return render.message_panel(str(e), "warn"), *empty
    except Exception:
        log.exception("evaluation failed")
        return render.message_panel("评测时出现内部错误，详情见服务器日志。", "error"), *empty
    m = result.metrics
    summary = (f'<div class="pq-report">{render.badge(f"{m.n} 题", "info")} '
               f'{render.badge(f"失败 {len(result.failures)}", "refused" if result.failures else "ok")} '
               f'<span class="pq-muted">测试集：{render.esc(path.name)}，用时 {result.meta.get("seconds", 0)} 秒。'
               f"{render.esc(note)}</span></div>")
    return summary, metrics_frame(m), per_type_frame(m), failures_frame(result)


def build(service) -> Page:
    with gr.Row():
        path = gr.Dropdown(project_testsets(), value=DEFAULT_TESTSET.name, label="项目自带的测试集（eval/testsets）",
                           elem_id="pq-eval-path", scale=3)
        upload = gr.File(label="或上传测试集", file_types=[".jsonl"], type="filepath", elem_id="pq-eval-upload",
                         scale=2, height=120)
    skip = gr.Checkbox(True, label="跳过知识库中没有的文件的题目")
    go = gr.Button("开始评测", variant="primary", elem_id="pq-eval-run")
    summary = gr.HTML("", elem_id="pq-eval-summary")
    with gr.Row(equal_height=False):
        metrics = gr.Dataframe(pd.DataFrame(columns=METRIC_COLUMNS), label="指标", interactive=False,
                               elem_id="pq-eval-metrics", max_height=620)
        per_type = gr.Dataframe(pd.DataFrame(columns=TYPE_COLUMNS), label="按题型", interactive=False,
                                elem_id="pq-eval-types")
    failures = gr.Dataframe(pd.DataFrame(columns=FAIL_COLUMNS), label="未通过的题目", interactive=False, wrap=True,
                            elem_id="pq-eval-failures", max_height=480)

    def run_it(p, u, s, progress=gr.Progress()):
        return run_eval(service, p, u, s, progress)

    go.click(run_it, [path, upload, skip], [summary, metrics, per_type, failures], api_name="evaluate",
             concurrency_limit=1, concurrency_id="eval")
    return Page()

