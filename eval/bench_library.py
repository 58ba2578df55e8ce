"""The library bench (`python -m eval bench`, issue 11): a bare pypdf pass against the app's ingest of the
whole library corpus (../shared/corpus-dc), questions without a document filter at 1, 10 and all documents (each
in a fresh process), and users asking through the served UI's /ask API during an ingest."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .bench import BENCH_QUESTIONS, REPO_DIR, _free_port, _timed, bench_server, rss_mb, stop, temp_home
from .bench_report import library_budgets
from .metrics import percentile
from settings import shared_corpus
from timing_log import read_log

# ------------------------------------------------------------------------------------------- library
# A library of hundreds of policies (../shared/corpus-dc): ingest against a bare pypdf pass measured in the
# same run, then questions without a document filter at 1, 10 and all documents, each in a fresh process.

# No document filter. Targets, bureaus, bureau → measures, documents or cities named in the question,
# an enterprise and a general question; they are about documents of corpus-dc but work on any library.
LIBRARY_QUESTIONS = (
    "到2025年单位地区生产总值能耗下降多少？",
    "到2030年非化石能源消费比重达到多少？",
    "天津市电力发展“十四五”规划中可再生能源装机目标是多少？",
    "上海市公共机构绿色低碳循环发展行动方案有哪些目标？",
    "浙江省绿色低碳工业园区建设有哪些要求？",
    "市发改委牵头负责哪些举措？",
    "交通领域由哪个部门牵头？",
    "市生态环境局负责哪些工作？",
    "数据中心电能利用效率要达到多少？",
    "林业碳汇如何开发和交易？",
    "我们是化工企业，有哪些要求？",
    "深圳市对工业碳达峰项目的扶持金额是多少？",
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


# ------------------------------------------------------------------------------------ users during an ingest

def ask_api(base: str, question: str, timeout: float = 60.0, rid: str | None = None,
            marks: dict | None = None) -> dict:
    """One question through the UI's /ask API (the ask --json object). With `rid`, the request carries it as
    X-Request-Id (the server's timing log, timing_log.py); `marks` receives the client's clock readings: sent,
    posted (the event id returned) and done (the answer read), on time.perf_counter like the server's."""
    headers = {"Content-Type": "application/json", **({"X-Request-Id": rid} if rid else {})}
    marks = {} if marks is None else marks
    marks["sent"] = time.perf_counter()
    req = urllib.request.Request(f"{base}/gradio_api/call/ask", data=json.dumps({"data": [question, None]}).encode(),
                                 headers=headers, method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        event = json.loads(resp.read())["event_id"]
    marks["posted"] = time.perf_counter()
    with urllib.request.urlopen(f"{base}/gradio_api/call/ask/{event}", timeout=timeout) as resp:
        body = resp.read().decode("utf-8", "replace")
    marks["done"] = time.perf_counter()
    if "event: complete" not in body:
        raise RuntimeError(f"/ask did not complete: {body[-300:]}")
    data = [line[len("data:"):].strip() for line in body.splitlines() if line.startswith("data:")][-1]
    return json.loads(data)[0]


def _ms(xs: Sequence[float], q: float) -> float | None:
    return round(percentile(list(xs), q) * 1000, 1) if xs else None


def split_latency(samples: Sequence[dict], server: dict[str, dict], t0: float = 0.0) -> dict:
    """Where the time of questions went, from the client's marks joined with the server's timing log:
    `to_handler` (sent → handler start: HTTP, Gradio's queue, the thread pool), `handler` (its wall time) split
    into `cpu`, `run_queue` (runnable, waiting for a core) and `other` (sleeping: the GIL, locks), and
    `delivery` (handler end → the client has read the answer: Gradio's result stream). Medians over all
    questions and over the slowest 5 % (those at or above the p95)."""
    rows = []
    for s in samples:
        t = server.get(s["id"])
        if not t:
            continue
        handler = t["end"] - t["start"]
        runq = t["runq_s"] if t["runq_s"] is not None else 0.0
        rows.append({"at": s["sent"] - t0, "total": s["done"] - s["sent"], "to_handler": t["start"] - s["sent"], "handler": handler,
                     "cpu": t["cpu_s"], "run_queue": runq, "other": max(0.0, handler - t["cpu_s"] - runq),
                     "delivery": s["done"] - t["end"]})
    if not rows:
        return {"joined": 0}
    cut = percentile([r["total"] for r in rows], 95)
    slow = [r for r in rows if r["total"] >= cut]
    keys = ("total", "to_handler", "handler", "cpu", "run_queue", "other", "delivery")
    return {"joined": len(rows), "slow_n": len(slow),
            "median_ms": {k: _ms([r[k] for r in rows], 50) for k in keys},
            "slowest_5pct_median_ms": {k: _ms([r[k] for r in slow], 50) for k in keys},
            "p95_ms": {k: _ms([r[k] for r in rows], 95) for k in keys},
            "slow_sent_at_s": sorted(round(r["at"], 1) for r in slow)}


def span_summary(spans: Sequence[dict], samples: Sequence[dict], t0: float) -> dict:
    """The server's spans of one kind (e.g. its writes to Chroma): count, total and longest seconds, when they
    started, and the share of the slowest 5 % of questions whose time overlapped one."""
    if not spans:
        return {"n": 0}
    totals = sorted(s["done"] - s["sent"] for s in samples)
    cut = percentile(totals, 95) if totals else float("inf")
    slow = [s for s in samples if s["done"] - s["sent"] >= cut]
    hit = sum(any(s["sent"] < sp["end"] and s["done"] > sp["start"] for sp in spans) for s in slow)
    return {"n": len(spans), "total_s": round(sum(sp["end"] - sp["start"] for sp in spans), 1),
            "max_s": round(max(sp["end"] - sp["start"] for sp in spans), 2),
            "at_s": [round(sp["start"] - t0, 1) for sp in spans][:40],
            "slowest_5pct_overlapping": f"{hit}/{len(slow)}"}


def probe_loop(base: str, stop: "threading.Event", out: list, every_s: float = 0.1) -> None:
    """GET a trivial route (/gradio_api/app_id: no queue, one thread-pool hop) every `every_s` until `stop`:
    (sent, seconds) per probe. Seconds here are the server's event loop and thread pool, not Gradio's queue."""
    while not stop.is_set():
        t = time.perf_counter()
        try:
            urllib.request.urlopen(f"{base}/gradio_api/app_id", timeout=60).read()
            out.append((t, time.perf_counter() - t))
        except OSError:
            out.append((t, float("nan")))
        time.sleep(every_s)


def probe_summary(probes: Sequence[tuple[float, float]], t0: float) -> dict:
    ok = [d for _, d in probes if d == d]
    return {"n": len(probes), "p50_ms": _ms(ok, 50), "p95_ms": _ms(ok, 95), "max_ms": _ms(ok, 100),
            "over_1s_at_s": [round(t - t0, 1) for t, d in probes if d == d and d > 1.0][:40]}


def bench_users_during_ingest(settings: Any, corpus: Path | None = None, users: int = 10, files: int = 100,
                              quiet_s: float = 8.0, think_s: float = 1.0) -> dict:
    """`users` threads ask through the served UI's /ask API (no document filter) while the same server ingests
    `files` PDFs of the library uploaded through its 文件 page: latency of every question, errors, ingest time.
    Each user waits 0.5-1.5 × `think_s` after an answer, and starts at a random moment: ten users asking at the
    same instant queue behind each other in the one Python process (the GIL), whatever Gradio's concurrency.
    The smallest files of the corpus are used, to keep the bench short."""

    from gradio_client import Client, handle_file

    corpus = corpus or default_library_dir()
    chosen = sorted(library_files(corpus), key=lambda p: p.stat().st_size)[:files]
    questions = BENCH_QUESTIONS[:4] + LIBRARY_QUESTIONS[:4]
    with temp_home("policyqa-bench-users-") as home:
        port = _free_port()
        timing_log = home / "bench-timing.jsonl"
        env = _app_env(home, POLICYQA_HOST="127.0.0.1", POLICYQA_PORT=str(port), POLICYQA_TIMING_LOG=str(timing_log))
        base = f"http://127.0.0.1:{port}"
        log_path = home / "bench-server.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO_DIR, env=env, stdout=log,
                                    stderr=subprocess.STDOUT)
            try:
                t0 = time.perf_counter()
                while True:
                    if proc.poll() is not None:
                        raise RuntimeError(f"the server exited: {log_path.read_text('utf-8', 'replace')[-500:]}")
                    if time.perf_counter() - t0 > 300:
                        raise TimeoutError("the server did not start")
                    try:
                        urllib.request.urlopen(base + "/", timeout=2).read()
                        break
                    except OSError:
                        time.sleep(0.2)
                for q in questions:
                    ask_api(base, q)  # warm
                latencies: list[float] = []
                samples: list[dict] = []  # client marks of the questions asked during the ingest
                quiet: list[float] = []  # before the ingest starts: the same users, nothing else running
                errors: list[str] = []
                done = threading.Event()
                ingesting = threading.Event()

                def user(k: int) -> None:
                    import random

                    rng = random.Random(k)
                    time.sleep(rng.uniform(0, think_s))  # independent users: not all asking at the same instant
                    i = k
                    while not done.is_set():
                        t = time.perf_counter()
                        during = ingesting.is_set()
                        marks = {"id": f"u{k}-{i}"}
                        try:
                            ask_api(base, questions[i % len(questions)], rid=marks["id"], marks=marks)
                            (latencies if during else quiet).append((time.perf_counter() - t) * 1000)
                            if during:
                                samples.append(marks)
                        except Exception as e:  # every failure counts
                            errors.append(f"{type(e).__name__}: {e}"[:200])
                        i += 1
                        time.sleep(rng.uniform(0.5, 1.5) * think_s)  # a user reads the answer

                threads = [threading.Thread(target=user, args=(k,), daemon=True) for k in range(users)]
                client = Client(base, verbose=False)
                for t in threads:
                    t.start()
                time.sleep(quiet_s)
                ingesting.set()
                t_ingest = time.perf_counter()
                probes: list = []
                prober = threading.Thread(target=probe_loop, args=(base, done, probes), daemon=True)
                prober.start()
                try:
                    client.predict([handle_file(str(p)) for p in chosen], api_name="/ingest")
                finally:
                    ingest_s = time.perf_counter() - t_ingest
                    done.set()
                    for t in threads:
                        t.join(60)
                docs = json.loads(subprocess.run(
                    [sys.executable, "-c", "import json; from settings import Settings; from knowledge.store import "
                     "KnowledgeStore; print(len(KnowledgeStore(Settings().db_path).documents()))"],
                    cwd=REPO_DIR, env=env, capture_output=True, text=True, timeout=120).stdout.strip() or "0")
                mem = rss_mb(proc.pid)
                requests, spans = read_log(timing_log)
                split = split_latency(samples, requests, t_ingest)
                for name, kind in sorted(spans.items()):  # chroma-add, catalog-reload, bm25-load … by process
                    for where, mine in (("", [s for s in kind if s.get("pid", proc.pid) == proc.pid]),
                                        ("_child", [s for s in kind if s.get("pid", proc.pid) != proc.pid])):
                        if mine:
                            split[name.replace("-", "_") + where] = span_summary(mine, samples, t_ingest)
                split["probe_app_id"] = probe_summary(probes, t_ingest)
            finally:
                stop(proc, 15)
                keep = os.environ.get("POLICYQA_BENCH_LOGS")  # a folder: keep the server's logs for a closer look
                if keep:
                    Path(keep).mkdir(parents=True, exist_ok=True)
                    for f in (timing_log, log_path):
                        if f.exists():
                            shutil.copy(f, Path(keep) / f.name)
    return {"users": users, "think_s": think_s, "files": len(chosen), "documents_after": docs,
            "ingest_s": round(ingest_s, 1),
            "questions": len(latencies), "errors": len(errors), "error_examples": errors[:3],
            "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
            "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
            "max_ms": round(max(latencies), 1) if latencies else None, "server_rss_mb": mem["tree_rss_mb"],
            "quiet_p50_ms": round(percentile(quiet, 50), 1) if quiet else None,
            "quiet_p95_ms": round(percentile(quiet, 95), 1) if quiet else None, "where": split}
