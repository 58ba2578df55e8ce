"""The library bench (`python -m eval bench`, issue 11): a bare pypdf pass against the app's ingest of the
whole library corpus (../shared/corpus-dc), questions without a document filter at 1, 10 and all documents (each
in a fresh process). Users asking through the served UI during an ingest: bench_users.py."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .bench import REPO_DIR, _timed, bench_server, rss_mb, temp_home
from .bench_report import library_budgets
from settings import shared_corpus

# ------------------------------------------------------------------------------------------- library
# A library of hundreds of policies (../shared/corpus-dc): ingest against a bare pypdf pass measured in the
# same run, then questions without a document filter at 1, 10 and all documents, each in a fresh process.

# No document filter. Targets, bureaus, bureau → measures, documents or cities named in the question,
# an enterprise and a general question; they are about dev documents of corpus-dc (never a test-split document:
# tests/test_no_test_documents.py checks the titles) but work on any library.
LIBRARY_QUESTIONS = (
    "到2025年单位地区生产总值能耗下降多少？",
    "到2030年非化石能源消费比重达到多少？",
    "内蒙古自治区“十四五”电力发展规划中风电装机目标是多少？",  # 574 (its 2025 capacity targets are per source)
    "贵州省深入开展公共机构绿色低碳引领行动促进碳达峰实施方案有哪些目标？",  # 582
    "浙江省绿色低碳工业园区建设有哪些要求？",
    "市发改委牵头负责哪些举措？",
    "交通领域由哪个部门牵头？",
    "市生态环境局负责哪些工作？",
    "数据中心电能利用效率要达到多少？",
    "林业碳汇如何开发和交易？",
    "我们是化工企业，有哪些要求？",
    "深圳市对绿色低碳产业项目的扶持金额是多少？",  # 309
)

def default_library_dir() -> Path:
    """The library corpus (settings.shared_corpus)."""
    return shared_corpus("corpus-dc")


def library_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")


def bare_pypdf_pass(files: Sequence[Path]) -> dict:
    """The reference: every page's text with pypdf, one process, no checks, nothing stored."""
    from pypdf import PdfReader

    t0 = time.perf_counter()
    pages, failed = 0, 0
    for f in files:
        try:
            reader = PdfReader(str(f))
            if reader.is_encrypted:
                reader.decrypt("")
            for page in reader.pages:
                page.extract_text()
                pages += 1
        except Exception:
            failed += 1
    return {"files": len(files), "pages": pages, "failed": failed, "seconds": round(time.perf_counter() - t0, 2)}


def _app_env(home: Path, **extra: str) -> dict:
    env = {**os.environ, "POLICYQA_HOME": str(home), "GRADIO_ANALYTICS_ENABLED": "False", **extra}
    env.pop("POLICYQA_LLM_BASE_URL", None)  # the budgets are for the extractive path
    env.pop("POLICYQA_LLM_MODEL", None)
    return env


def ingest_subprocess(home: Path, paths: Sequence[Path], timeout_s: float = 3600.0) -> dict:
    """`python app.py ingest PATHS` into `home` in a child process: wall time, the peak resident memory of the
    process tree (sampled every 0.2 s: the app and its PDF workers) and of the app process itself."""
    import threading

    home.mkdir(parents=True, exist_ok=True)
    log_path = home / "bench-ingest.log"
    with open(log_path, "wb") as log:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "app.py", "ingest", *map(str, paths)], cwd=REPO_DIR,
                                env=_app_env(home), stdout=log, stderr=subprocess.STDOUT)
        peak = {"tree": 0.0}
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak["tree"] = max(peak["tree"], rss_mb(proc.pid)["tree_rss_mb"])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            done.set()
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log_path.read_text("utf-8", "replace")[-800:]
        raise RuntimeError(f"app.py ingest exited with {proc.returncode}:\n{tail}")
    summary = next((line for line in log_path.read_text("utf-8", "replace").splitlines()
                    if line.startswith("ingested ")), "")
    return {"seconds": round(seconds, 2), "peak_tree_rss_mb": round(peak["tree"], 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "summary": summary}


PROBE = """
import json, os, sys, time
spawned = float(os.environ["BENCH_SPAWNED"])
sys.path.insert(0, os.getcwd())
from eval.bench_library import library_probe
print("BENCH-RESULT " + json.dumps(library_probe(spawned, int(os.environ["BENCH_REPS"]))), flush=True)
"""


def library_probe(spawned: float, reps: int) -> dict:
    """Runs in a fresh process on an existing home: first answer after start, then warm ask latency of
    LIBRARY_QUESTIONS (no document filter) and resident memory."""
    from settings import Settings

    from service import PolicyService

    svc = PolicyService(Settings(llm_base_url=None, llm_model=None))
    try:
        svc.warmup()  # what `python app.py` does before it listens
        ready_s = time.time() - spawned
        t0 = time.perf_counter()
        first = svc.ask(LIBRARY_QUESTIONS[0])
        first_ms = (time.perf_counter() - t0) * 1000
        first_s = time.time() - spawned
        for q in LIBRARY_QUESTIONS:  # warm-up
            svc.ask(q)
        per_question: dict[str, float] = {}

        def ask(q: str) -> None:
            t0 = time.perf_counter()
            svc.ask(q)
            per_question[q] = max(per_question.get(q, 0.0), (time.perf_counter() - t0) * 1000)

        timed = _timed(ask, reps, LIBRARY_QUESTIONS)
        slowest = sorted(per_question.items(), key=lambda kv: -kv[1])[:3]
        mem = rss_mb(os.getpid())
        return {"documents": len(svc.documents()), "units": sum(d.measures for d in svc.documents()),
                "ready_s": round(ready_s, 2), "first_answer_ms": round(first_ms, 1),
                "first_answer_s": round(first_s, 2), "first_refused": first.refused, "ask": timed,
                "slowest": [{"question": q, "max_ms": round(ms, 1)} for q, ms in slowest],
                "rss_mb": mem["rss_mb"], "peak_rss_mb": mem["peak_rss_mb"]}
    finally:
        svc.close()


def probe_home(home: Path, reps: int = 3, timeout_s: float = 900.0) -> dict:
    env = _app_env(home, BENCH_SPAWNED=repr(time.time()), BENCH_REPS=str(reps))
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO_DIR, env=env, capture_output=True,
                         text=True, timeout=timeout_s)
    line = next((x for x in out.stdout.splitlines() if x.startswith("BENCH-RESULT ")), None)
    if out.returncode != 0 or line is None:
        raise RuntimeError(f"library probe failed ({out.returncode}): {(out.stderr or out.stdout)[-800:]}")
    return json.loads(line[len("BENCH-RESULT "):])


def _has_library(home: Path) -> bool:
    return (home / "knowledge.sqlite3").is_file() and (home / "bench-ingest.json").is_file()


def bench_library(settings: Any, corpus: Path | None = None, sizes: Sequence[int | None] = (1, 10, None),
                  home: Path | None = None, reps: int = 3, ingest: bool = True, server: bool = True,
                  log: Callable[[str], None] = lambda s: None) -> dict:
    """The library bench. `home` keeps the whole-library knowledge base between runs: when it holds one
    from an earlier run (and ingest is False or it is complete), the big ingest is not repeated and its
    recorded timing is reported. Sizes 1 and 10 use the first files of the corpus in name order."""
    corpus = corpus or default_library_dir()
    if not corpus.is_dir():
        raise FileNotFoundError(f"library corpus not found: {corpus} (choose one with --library)")
    files = library_files(corpus)
    out: dict[str, Any] = {"corpus": str(corpus), "files": len(files), "sizes": []}
    keep = home is not None
    big = home or Path(tempfile.mkdtemp(prefix="policyqa-bench-library-"))
    try:
        if ingest and not _has_library(big):
            log(f"bench: library: bare pypdf pass over {len(files)} PDFs …")
            bare = bare_pypdf_pass(files)
            log(f"bench: library: ingest of {len(files)} PDFs …")
            run = ingest_subprocess(big, [corpus])
            record = {"bare_pypdf": bare, "ingest": run, "ratio": round(run["seconds"] / bare["seconds"], 2),
                      "measured_at": time.strftime("%Y-%m-%d %H:%M:%S")}
            (big / "bench-ingest.json").write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
            out["ingest"] = {**record, "reused": False}
        elif _has_library(big):
            out["ingest"] = {**json.loads((big / "bench-ingest.json").read_text(encoding="utf-8")), "reused": True}
        else:
            raise FileNotFoundError(f"no library home to reuse at {big}; run once without skipping the ingest")
        for size in sizes:
            if size is None or size >= len(files):
                log(f"bench: library: questions on all {len(files)} files …")
                probe = probe_home(big, reps)
                probe["files"] = len(files)
            else:
                with temp_home(f"policyqa-bench-{size}-") as small:
                    log(f"bench: library: ingest and questions on {size} file(s) …")
                    run = ingest_subprocess(small, files[:size])
                    probe = probe_home(small, reps)
                    probe["files"] = size
                    probe["ingest_s"] = run["seconds"]
            out["sizes"].append(probe)
        if server:
            log("bench: library: cold start of python app.py on the whole library …")
            out["server"] = bench_server(settings, home=big, questions=LIBRARY_QUESTIONS)
    finally:
        if not keep:
            shutil.rmtree(big, ignore_errors=True)
    out["budgets"] = library_budgets(out)
    return out
