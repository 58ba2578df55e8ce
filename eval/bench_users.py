"""The users bench (issue 11): ten users asking through the served UI's /ask API while the same server ingests
100 PDFs uploaded through its 文件 page; latency of every question, errors, and where the slow ones' time went
(the server's timing log, timing_log.py)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any

from .bench import BENCH_QUESTIONS, REPO_DIR, _free_port, rss_mb, stop, temp_home
from .bench_library import LIBRARY_QUESTIONS, _app_env, default_library_dir, library_files
from .metrics import percentile
from timing_log import read_log


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


def wait_for_writer(home: Path, timeout_s: float = 600.0) -> bool:
    """Wait until no process writes the data home (its write.lock free, write_lock.py); True when free."""
    import write_lock

    return write_lock.wait_free(home, timeout_s)


def server_env(home: Path, port: int, timing_log: Path, uploads: Path) -> dict:
    """The bench server's environment. Its Gradio upload folder is a temporary folder of its own, beside the home:
    Gradio stores an upload at <GRADIO_TEMP_DIR>/<sha256 of the venv's hash seed + the bytes>/<name>, the same path in
    every server of this venv, and the UI's ingest moves its uploads away when it ends (keep_uploads). Another server
    given the same files in the shared /tmp/gradio (a second bench, a test) found them gone: all refused 文件不存在,
    nothing stored (one run of perf12, 2026-12-01). Not inside the home: the app blocks the home from Gradio's file
    routes (ui/web.py blocked_paths), so Gradio refused every upload stored there (InvalidPathError; the bench failed
    from af1b0bf until this was found on 2026-12-01)."""
    return _app_env(home, POLICYQA_HOST="127.0.0.1", POLICYQA_PORT=str(port), POLICYQA_TIMING_LOG=str(timing_log),
                    GRADIO_TEMP_DIR=str(uploads))


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
    with temp_home("policyqa-bench-users-") as home, temp_home("policyqa-bench-uploads-") as uploads:
        port = _free_port()
        timing_log = home / "bench-timing.jsonl"
        env = server_env(home, port, timing_log, uploads)
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
                ingest_call: dict = {"ok": True}
                try:
                    job = client.submit([handle_file(str(p)) for p in chosen], api_name="/ingest")
                    try:
                        job.result()
                    except CancelledError:
                        # gradio_client gave up on the call (its result stream closed before the completion was
                        # read: 4 of 24 runs of 2026-12-01, nothing in the server's log); the server's ingest goes
                        # on. Say so, wait for the ingest child to let go of the home, and keep the questions.
                        ingest_call = {"ok": False, "error": "CancelledError",
                                       "after_s": round(time.perf_counter() - t_ingest, 1),
                                       "status": str(job.status().code)}
                        wait_for_writer(home)
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
    return {"users": users, "think_s": think_s, "files": len(chosen), "documents_after": docs, "ingest_call": ingest_call,
            "ingest_s": round(ingest_s, 1),
            "questions": len(latencies), "errors": len(errors), "error_examples": errors[:3],
            "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
            "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
            "max_ms": round(max(latencies), 1) if latencies else None, "server_rss_mb": mem["tree_rss_mb"],
            "quiet_p50_ms": round(percentile(quiet, 50), 1) if quiet else None,
            "quiet_p95_ms": round(percentile(quiet, 95), 1) if quiet else None, "where": split}
