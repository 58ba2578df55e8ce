"""The benchmarks' budgets and output (`python -m eval bench`): SPEC's budgets checked against the measured
figures, the text summary, and the library bench's markdown table and PNG chart. The measuring is in
eval/bench.py and eval/bench_library.py."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

# SPEC budgets: (result path, comparison, bound, label)
BUDGETS = (
    (("retrieval", "p50_ms"), "<=", 10.0, "retrieval p50, bundled corpus (ms)"),
    (("ask", "p95_ms"), "<=", 100.0, "extractive ask p95 (ms)"),
    (("retrieval_10k", "p50_ms"), "<=", 30.0, "retrieval p50, 10,000 units (ms)"),
    (("ingest", "seconds"), "<=", 30.0, "ingest of the development corpus (s)"),
    (("server", "rss_mb"), "<=", 700.0, "server resident memory (MB)"),
    (("server", "cold_start_s"), "<=", 15.0, "cold start of python app.py (s)"),
)

LIBRARY_BUDGETS = (
    (("ask", "p50_ms"), 20.0, "ask p50, whole library (ms)"),
    (("ask", "p95_ms"), 100.0, "ask p95, whole library (ms)"),
    (("first_answer_ms",), 2000.0, "first answer once started, whole library (ms)"),
    (("rss_mb",), 2048.0, "resident memory after questions, whole library (MB)"),
)


def check_budgets(result: dict) -> list[dict]:
    """Each SPEC budget with its measured value and whether it is met (None when not measured)."""
    out = []
    for (section, key), op, bound, label in BUDGETS:
        value = (result.get(section) or {}).get(key)
        ok = None if value is None else (value <= bound if op == "<=" else value >= bound)
        out.append({"budget": label, "value": value, "bound": f"{op} {bound:g}", "ok": ok})
    return out


def format_bench(result: dict) -> str:
    c = result["cores"]
    lines = [f"cores: {c['usable']} usable of {c['cpu_count']}", ""]
    width = max(len(b["budget"]) for b in result["budgets"])
    for b in result["budgets"]:
        status = "not measured" if b["ok"] is None else ("ok" if b["ok"] else "OVER BUDGET")
        value = "—" if b["value"] is None else f"{b['value']:g}"
        lines.append(f"{b['budget']:<{width}}  {value:>8}  (budget {b['bound']})  {status}")
    if "retrieval" in result:
        lines.append("")
        lines.append(f"retrieval p95 {result['retrieval']['p95_ms']} ms; ask p50 {result['ask']['p50_ms']} ms")
    if "ingest" in result:
        i = result["ingest"]
        lines.append(f"ingest: {i['documents']} documents, {i['pages']} pages, {i['pages_per_s']} pages/s "
                     f"({i['seconds_with_startup']} s with service start-up); {i['summary']}")
    if "retrieval_10k" in result and not result["retrieval_10k"].get("available", True):
        lines.append(f"10k retrieval: not available — {result['retrieval_10k']['reason']}")
    elif "retrieval_10k" in result:
        lines.append(f"10k retrieval: p95 {result['retrieval_10k']['p95_ms']} ms "
                     f"(index built in {result['retrieval_10k']['build_s']} s)")
    if "server" in result:
        s = result["server"]
        lines.append(f"server: first page after {s['cold_start_s']} s, first answer after {s['first_answer_s']} s "
                     f"from spawn; RSS {s['at_start']['tree_rss_mb']} MB after start, "
                     f"{s['after_asks']['tree_rss_mb']} MB after warm-up ({s['warm_up']})")
    if "library" in result:
        lines += ["", format_library(result["library"])]
    if "users" in result:
        u = result["users"]
        ok = u["errors"] == 0 and u["p95_ms"] is not None and u["p95_ms"] <= 300
        lines += ["", f"{u['users']} users (reading {u.get('think_s')} s between questions) asking through /ask "
                      f"during a {u['files']}-file ingest through the UI "
                      f"({u['ingest_s']} s): {u['questions']} questions, {u['errors']} errors, p50 {u['p50_ms']} ms, "
                      f"p95 {u['p95_ms']} ms (budget 300), max {u['max_ms']} ms (before the ingest: p50 "
                      f"{u['quiet_p50_ms']} ms, p95 {u['quiet_p95_ms']} ms); server {u['server_rss_mb']} MB "
                      f"— {'ok' if ok else 'OVER BUDGET'}"]
    for name, err in result["errors"].items():
        lines.append(f"error in {name}: {err}")
    return "\n".join(lines)


def _dig(d: dict, path: Sequence[str]) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def library_budgets(out: dict) -> list[dict]:
    """Each library budget with its measured value (the whole library: the last size) and whether it is met."""
    whole = out["sizes"][-1] if out["sizes"] else {}
    budgets = [
        {"budget": label, "value": _dig(whole, path), "bound": f"<= {bound:g}",
         "ok": None if _dig(whole, path) is None else _dig(whole, path) <= bound}
        for path, bound, label in LIBRARY_BUDGETS]
    ing = out.get("ingest") or {}
    if ing:
        budgets.append({"budget": "library ingest / bare pypdf pass", "value": ing.get("ratio"),
                        "bound": "<= 1.2", "ok": ing.get("ratio") is not None and ing["ratio"] <= 1.2})
        peak = ing["ingest"]["peak_tree_rss_mb"]
        budgets.append({"budget": "library ingest peak memory (MB)", "value": peak, "bound": "<= 2048",
                        "ok": peak <= 2048})
    if "server" in out:
        cold = out["server"]["cold_start_s"]
        budgets.append({"budget": "cold start, whole library (s)", "value": cold, "bound": "<= 15",
                        "ok": cold <= 15})
    return budgets


def library_table(lib: dict) -> str:
    """Markdown: one row per library size."""
    rows = ["| documents (files) | units | start-up (spawn → ready) | first answer once started | ask p50 | ask p95 "
            "| ask max | CPU per ask | resident memory |",
            "|---|---|---|---|---|---|---|---|---|"]
    for s in lib.get("sizes", []):
        a = s["ask"]
        cpu = f"{a['cpu_ms']} ms" if a.get("cpu_ms") is not None else "–"  # older results did not record it
        rows.append(f"| {s['documents']} ({s['files']}) | {s['units']} | {s['ready_s']} s | {s['first_answer_ms']} ms "
                    f"| {a['p50_ms']} ms | {a['p95_ms']} ms | {a['max_ms']} ms | {cpu} | {s['rss_mb']} MB |")
    return "\n".join(rows)


def library_chart(lib: dict, path: Path) -> Path:
    """PNG: ask p50/p95 and first answer against the number of documents."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = lib.get("sizes", [])
    docs = [s["documents"] for s in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    left.plot(docs, [s["ask"]["p50_ms"] for s in sizes], "o-", label="ask p50")
    left.plot(docs, [s["ask"]["p95_ms"] for s in sizes], "s-", label="ask p95")
    left.axhline(20, color="tab:blue", ls=":", lw=1, label="p50 budget 20 ms")
    left.axhline(100, color="tab:orange", ls=":", lw=1, label="p95 budget 100 ms")
    left.set_xscale("log")
    left.set_xlabel("documents in the library")
    left.set_ylabel("ms, no document filter")
    left.legend(fontsize=7)
    right.plot(docs, [s["first_answer_ms"] / 1000 for s in sizes], "o-", color="tab:green",
               label="first answer once started")
    right.plot(docs, [s["ready_s"] for s in sizes], "s-", color="tab:gray", label="start-up (spawn → ready)")
    right.axhline(2, color="tab:green", ls=":", lw=1, label="first answer budget 2 s")
    right.set_xscale("log")
    right.set_xlabel("documents in the library")
    right.set_ylabel("s")
    right.legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def format_library(lib: dict) -> str:
    lines = [f"library: {lib['corpus']} ({lib['files']} PDFs)"]
    ing = lib.get("ingest")
    if ing:
        run, bare = ing["ingest"], ing["bare_pypdf"]
        lines.append(f"ingest {run['seconds']} s against a bare single-process pypdf pass of {bare['seconds']} s "
                     f"({bare['pages']} pages) = {ing['ratio']}x; peak memory {run['peak_tree_rss_mb']} MB "
                     f"(process tree; app alone {run['peak_rss_mb']} MB); {run['summary']}"
                     + (f" [reused: measured {ing.get('measured_at')}]" if ing.get("reused") else ""))
    lines.append(library_table(lib))
    for s in lib.get("sizes", []):
        slow = "; ".join(f"{x['max_ms']} ms {x['question']}" for x in s.get("slowest", []))
        lines.append(f"  {s['documents']} documents: slowest {slow}")
    if "server" in lib:
        sv = lib["server"]
        lines.append(f"server on the library: first page after {sv['cold_start_s']} s, first answer through the UI "
                     f"after {sv['first_answer_s']} s (the first question itself {sv.get('first_ask_ms')} ms); "
                     f"RSS {sv['rss_mb']} MB")
    width = max((len(b["budget"]) for b in lib.get("budgets", [])), default=0)
    for b in lib.get("budgets", []):
        status = "not measured" if b["ok"] is None else ("ok" if b["ok"] else "OVER BUDGET")
        value = "—" if b["value"] is None else f"{b['value']:g}"
        lines.append(f"{b['budget']:<{width}}  {value:>8}  (budget {b['bound']})  {status}")
    return "\n".join(lines)
