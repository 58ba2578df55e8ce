"""The evaluation report: a console table, a markdown file and PNG charts written beside it.

Charts use matplotlib's Agg canvas directly (no pyplot, no global backend switch). CJK labels are drawn
with Noto Sans CJK when installed; otherwise every label is made ASCII, so no glyph renders as a box.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .metrics import Metrics

CJK_FONT_PATHS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc"),
)

# (label, Metrics field, is a rate)
ROWS: tuple[tuple[str, str, bool], ...] = (
    ("questions", "n", False),
    ("accuracy (all items)", "accuracy", True),
    ("answer accuracy", "answer_accuracy", True),
    ("refusal accuracy", "refusal_accuracy", True),
    ("false-refusal rate", "false_refusal_rate", True),
    ("hit@1", "hit_at_1", True),
    ("hit@3", "hit_at_3", True),
    ("hit@5", "hit_at_5", True),
    ("recall@3", "recall_at_3", True),
    ("MRR", "mrr", True),
    ("cites a gold measure", "cited_gold", True),
    ("citation validity", "citation_validity", True),
    ("numeric faithfulness", "numeric_faithfulness", True),
    ("latency p50 (ms)", "latency_p50_ms", False),
    ("latency p95 (ms)", "latency_p95_ms", False),
)
CHART_METRICS = (
    ("accuracy", "accuracy"),
    ("hit@1", "hit_at_1"),
    ("hit@3", "hit_at_3"),
    ("citations valid", "citation_validity"),
    ("figures faithful", "numeric_faithfulness"),
)


def fmt(value: Any, rate: bool = True) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{value:.3f}" if rate else f"{value:.1f}"


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(s))
    return fill + s if right else s + fill


def format_metrics(metrics: Metrics, baseline: Any = None) -> str:
    """A plain-text table: one row per metric, columns overall and per question type."""
    types = list(metrics.per_type)
    header = ["metric", "overall", *types]
    rows = [header]
    for label, name, rate in ROWS:
        rows.append([label, fmt(getattr(metrics, name), rate),
                     *(fmt(getattr(metrics.per_type[t], name), rate) for t in types)])
    if baseline is not None:
        for k in ("hit_at_1", "hit_at_3"):
            label = f"baseline {k.replace('_at_', '@')}"
            rows.append([label, fmt(getattr(baseline, k)),
                         *(fmt(baseline.per_type.get(t, {}).get(k)) for t in types)])
    widths = [max(_width(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for j, r in enumerate(rows):
        lines.append("  ".join(_pad(c, widths[i], right=i > 0) for i, c in enumerate(r)))
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ markdown


def md_escape(text: str, limit: int | None = None) -> str:
    """Document text as inert markdown: one line, ASCII markup characters backslash-escaped."""
    text = re.sub(r"\s*\n\s*", " / ", str(text)).strip()
    if limit and len(text) > limit:
        text = text[:limit] + "…"
    return re.sub(r"([\\`*_\[\]<>|#{}!~])", r"\\\1", text)


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _measures(keys: Sequence[tuple[str | None, int | None]], doc_ids: Sequence[str], titles: dict) -> str:
    """Measure numbers; a unit of another document than the item's is shown with that document's title."""
    shown = []
    for d, no in dict.fromkeys(keys):
        shown.append(str(no) if (not doc_ids or d in doc_ids) else f"{titles.get(d, d)}:{no}")
    return ", ".join(shown) or "none"


def markdown(result: Any, thresholds: dict[str, dict[str, float]] | None = None,
             charts: Sequence[Path] = (), title: str = "Evaluation report") -> str:
    """The report text for a runner.RunResult."""
    m: Metrics = result.metrics
    b = result.baseline
    meta = result.meta
    minimum = (thresholds or {}).get("min", {})
    maximum = (thresholds or {}).get("max", {})
    lines = [f"# {title}", ""]
    lines += [
        f"- test set: `{meta.get('testset', '?')}` — {m.n} questions "
        f"({m.n_answerable} answerable, {m.n_unanswerable} unanswerable), {len(m.per_type)} types",
        f"- run: {meta.get('started', '?')}, {meta.get('seconds', '?')} s; questions asked "
        f"{'within their document (--doc)' if meta.get('scope_doc') else 'over the whole knowledge base'}; "
        f"retrieval metrics from {meta.get('retrieval_source', '?')}",
        "",
        "## Overall",
        "",
    ]
    rows = []
    for label, name, rate in ROWS:
        value = getattr(m, name)
        bound, status = "", ""
        if name in minimum:
            bound = f"≥ {minimum[name]}"
            status = "pass" if value is not None and value >= minimum[name] else "**FAIL**"
        elif name in maximum:
            bound = f"≤ {maximum[name]}"
            status = "pass" if value is not None and value <= maximum[name] else "**FAIL**"
        rows.append([label, fmt(value, rate), bound, status])
    lines += _md_table(["metric", "value", "threshold", "status"], rows)

    splits = sorted({r.item.split for r in result.items if r.item.split})
    if splits:
        from .metrics import aggregate

        lines += ["", "## Per split (by document: tune on dev, report test)", ""]
        per = {sp: aggregate([r.score for r in result.items if r.item.split == sp], per_type=False)
               for sp in splits}
        rows = [[label, *(fmt(getattr(per[sp], name), rate) for sp in splits)] for label, name, rate in ROWS]
        lines += _md_table(["metric", *splits], rows)

    lines += ["", "## Per question type", ""]
    cols = [r for r in ROWS if r[1] != "n"]
    rows = [[md_escape(t), str(pm.n), *(fmt(getattr(pm, name), rate) for _, name, rate in cols)]
            for t, pm in m.per_type.items()]
    lines += _md_table(["type", "n", *(label for label, _, _ in cols)], rows)

    lines += ["", "## Baseline vs ours (retrieval)", ""]
    if b is None:
        lines.append("Baseline not computed (run without --no-baseline to include it).")
    else:
        lines.append(
            f"Baseline: the document text cut into {b.chunk_size}-character chunks with {b.overlap} "
            f"overlap ({b.n_chunks} chunk(s)), vector search only with the same encoder; a hit when one "
            f"of the top-k chunks overlaps a gold measure (generous: k chunks may span more than k "
            f"measures). Ours: the top-k measures from the service's retrieval. Baseline query p50: "
            f"{fmt(b.latency_p50_ms, False)} ms."
        )
        lines.append("")
        rows = [["overall", str(b.n), fmt(b.hit_at_1), fmt(m.hit_at_1), fmt(b.hit_at_3), fmt(m.hit_at_3)]]
        for t, pm in m.per_type.items():
            bt = b.per_type.get(t)
            if bt:
                rows.append([md_escape(t), str(bt["n"]), fmt(bt["hit_at_1"]), fmt(pm.hit_at_1),
                             fmt(bt["hit_at_3"]), fmt(pm.hit_at_3)])
        lines += _md_table(["type", "n", "baseline hit@1", "ours hit@1", "baseline hit@3", "ours hit@3"], rows)

    lines += ["", "## Latency", "",
              f"Wall time of `service.ask` per question: p50 {fmt(m.latency_p50_ms, False)} ms, "
              f"p95 {fmt(m.latency_p95_ms, False)} ms (per type in the table above)."]

    if charts:
        lines += ["", "## Charts", ""]
        lines += [f"![{c.stem}]({c.name})" for c in charts]

    failures = result.failures
    lines += ["", f"## Failing questions ({len(failures)} of {m.n})", ""]
    if not failures:
        lines.append("None.")
    titles = meta.get("doc_titles", {})
    for r in failures:
        it, s, rec = r.item, r.score, r.record
        reasons = s.reasons()
        cited = [(c.get("doc_id"), c.get("measure_no")) for c in rec.get("citations") or []]
        expected = (
            "refusal" if not it.answerable else
            ("must contain " + "、".join(f"「{md_escape(t)}」" for t in it.must_contain)
             if it.must_contain else "an answer (no required terms)")
        )
        gold = ", ".join(map(str, it.gold_measures)) or "none"
        lines += [
            f"### {md_escape(it.id)} · {md_escape(it.type)} — {md_escape('; '.join(reasons))}",
            "",
            f"- question: {md_escape(it.question)}" + (f" (doc: {md_escape(it.doc)})" if it.doc else ""),
            f"- expected: {expected}; gold measures: {gold}",
            f"- returned: {'error' if s.error else 'refused' if s.refused else 'answered'}; cited measures: "
            f"{md_escape(_measures(cited, r.doc_ids, titles))}; top-3 retrieved: "
            f"{md_escape(_measures(r.ranked[:3], r.doc_ids, titles))}",
            f"- answer: {md_escape(rec.get('answer') or '', 400) or '(empty)'}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


# ------------------------------------------------------------------------------------------- charts


def cjk_font() -> Path | None:
    """The first installed Noto Sans CJK font file, or None."""
    return next((p for p in CJK_FONT_PATHS if p.exists()), None)


def _slug(name: str, i: int) -> str:
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
    return slug if slug and slug.isascii() else f"type{i + 1}"


def _label(text: str, ascii_only: bool, fallback: str) -> str:
    return fallback if ascii_only and not text.isascii() else text


def render_charts(metrics: Metrics, baseline: Any, out_dir: Path, stem: str) -> list[Path]:
    """One PNG per question type (its metrics as bars, baseline hit@1/@3 beside ours) and one overview
    PNG (accuracy and hit@3 per type). Returns the files written."""
    from matplotlib import font_manager, rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    rc: dict[str, Any] = {"axes.unicode_minus": False}
    if font:
        font_manager.fontManager.addfont(str(font))
        rc["font.family"] = [font_manager.FontProperties(fname=str(font)).get_name(), "DejaVu Sans"]
    ascii_only = font is None
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(fig: Figure, path: Path) -> None:
        FigureCanvasAgg(fig)
        fig.savefig(path, dpi=110)
        written.append(path)

    with rc_context(rc):
        types = list(metrics.per_type.items())
        for i, (t, pm) in enumerate(types):
            labels = [lab for lab, _ in CHART_METRICS]
            values = [getattr(pm, name) for _, name in CHART_METRICS]
            colors = ["#3b78b0"] * len(values)
            bt = (baseline.per_type.get(t) if baseline is not None else None) or {}
            if bt:
                labels += ["baseline hit@1", "baseline hit@3"]
                values += [bt.get("hit_at_1"), bt.get("hit_at_3")]
                colors += ["#9a9a9a"] * 2
            fig = Figure(figsize=(7.5, 3.8))
            ax = fig.add_subplot()
            bars = ax.bar(range(len(values)), [v or 0 for v in values], color=colors)
            for bar, v in zip(bars, values):
                ax.text(bar.get_x() + bar.get_width() / 2, (v or 0) + 0.02, "n/a" if v is None else f"{v:.2f}",
                        ha="center", fontsize=8)
            ax.set_xticks(range(len(values)), labels, rotation=20, fontsize=8)
            ax.set_ylim(0, 1.15)
            ax.set_title(f"{_label(t, ascii_only, f'type {i + 1}')} (n={pm.n})")
            fig.tight_layout()
            save(fig, out_dir / f"{stem}_{_slug(t, i)}.png")

        if types:
            fig = Figure(figsize=(max(6.0, 1.3 * len(types) + 2), 4.0))
            ax = fig.add_subplot()
            series = [("accuracy", [pm.accuracy for _, pm in types], "#3b78b0"),
                      ("hit@3", [pm.hit_at_3 for _, pm in types], "#5aa469")]
            if baseline is not None:
                series.append(("baseline hit@3",
                               [(baseline.per_type.get(t) or {}).get("hit_at_3") for t, _ in types], "#9a9a9a"))
            width = 0.8 / len(series)
            for j, (name, vals, color) in enumerate(series):
                xs = [x + (j - (len(series) - 1) / 2) * width for x in range(len(types))]
                ax.bar(xs, [v or 0 for v in vals], width=width, color=color, label=name)
                for x, v in zip(xs, vals):
                    if v is None:
                        ax.text(x, 0.02, "n/a", ha="center", fontsize=7, rotation=90)
            ax.set_xticks(range(len(types)),
                          [_label(t, ascii_only, f"type {i + 1}") for i, (t, _) in enumerate(types)], fontsize=8)
            ax.set_ylim(0, 1.3)
            ax.legend(fontsize=8, loc="upper center", ncol=len(series), frameon=False)
            ax.set_title("accuracy and hit@3 per question type")
            fig.tight_layout()
            save(fig, out_dir / f"{stem}_overview.png")
    return written


def write_report(result: Any, path: str | Path, thresholds: dict[str, dict[str, float]] | None = None) -> list[Path]:
    """Write the markdown report and its charts (beside it, named after it); return every file written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    charts = render_charts(result.metrics, result.baseline, path.parent, path.stem)
    path.write_text(markdown(result, thresholds, charts), encoding="utf-8")
    return [path, *charts]
