"""Speed and memory benchmarks (`python -m eval bench`), measured against SPEC's budgets.

Every bench runs against its own temporary POLICYQA_HOME, so nothing touches the user's data.
The service and the server are imported/spawned lazily; each bench reports its own error instead of
ending the others.
"""
from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .bench_report import check_budgets
from .metrics import percentile
from settings import shared_corpus

REPO_DIR = Path(__file__).resolve().parent.parent

# Questions on the bundled Lianyungang draft, one or more per route of the answerer.
BENCH_QUESTIONS = (
    "到2030年可再生能源装机目标是多少？",
    "到2030年，全市新能源汽车渗透率有什么要求？",
    "交通领域由哪个部门牵头？",
    "市发改委牵头负责哪些举措？",
    "我们是化工企业，有哪些要求？",
    "加快构建新型电力系统的试点园区有哪些？",
    "健全绿色转型财政政策由哪些部门负责？",
    "市城管局参与了哪些举措？",
    "近零碳码头建设有什么安排？",
    "绿色建筑方面有哪些目标？",
    "钢铁企业需要达到什么能效水平？",
    "文件对充电桩建设数量有什么目标？",
)

def default_corpus_dir() -> Path:
    """The development corpus (settings.shared_corpus)."""
    return shared_corpus()


@contextmanager
def temp_home(prefix: str = "policyqa-bench-") -> Iterator[Path]:
    home = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield home
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _settings_for(settings: Any, home: Path, extractive: bool = False) -> Any:
    update: dict[str, Any] = {"home": home}
    if extractive:  # the budget is for the default answer path, without an LLM
        update.update(llm_base_url=None, llm_model=None)
    return settings.model_copy(update=update)


def _service(settings: Any) -> Any:
    from service import PolicyService

    return PolicyService(settings)


def _timed(fn: Callable[[], Any], reps: int, questions=BENCH_QUESTIONS) -> dict:
    """p50/p95 (ms) of calling fn(question) for every question, `reps` times over, and the process's CPU time
    per call (ms): on a shared machine the wall-clock times carry the other jobs' load, CPU time much less."""
    times = []
    cpu0 = time.process_time()
    for _ in range(reps):
        for q in questions:
            t0 = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t0) * 1000.0)
    cpu_ms = (time.process_time() - cpu0) * 1000.0 / max(1, len(times))
    return {"n": len(times), "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
            "max_ms": round(max(times), 2), "cpu_ms": round(cpu_ms, 2)}


# -------------------------------------------------------------------------------------------- benches


def bench_queries(settings: Any, reps: int = 5) -> dict:
    """Warm-process retrieval and extractive-ask latency on the bundled corpus."""
    with temp_home() as home:
        svc = _service(_settings_for(settings, home, extractive=True))
        try:
            t0 = time.perf_counter()
            svc.ensure_default_corpus()
            index_s = time.perf_counter() - t0
            for q in BENCH_QUESTIONS:  # warm-up: lazy models, caches, jieba dictionary
                svc.retrieve(q, top_k=5)
                svc.ask(q)
            retrieval = _timed(lambda q: svc.retrieve(q, top_k=5), reps)
            ask = _timed(svc.ask, reps)
        finally:
            svc.close()
    return {"retrieval": retrieval, "ask": ask, "default_corpus_index_s": round(index_s, 2)}


def bench_ingest(settings: Any, corpus: Path) -> dict:
    """Time to ingest the development corpus into an empty knowledge base, and pages per second."""
    if not corpus.is_dir():
        raise FileNotFoundError(f"development corpus not found: {corpus} (choose one with --corpus)")
    with temp_home() as home:
        t0 = time.perf_counter()
        svc = _service(_settings_for(settings, home))
        try:
            started = time.perf_counter()
            report = svc.ingest([corpus])
            seconds = time.perf_counter() - started
            docs = list(svc.documents())
        finally:
            svc.close()
    pages = sum(int(getattr(d, "pages", 0) or 0) for d in docs)
    return {
        "corpus": str(corpus),
        "files": sum(1 for p in corpus.iterdir() if p.is_file() and p.suffix.lower() in {".pdf", ".txt", ".md", ".docx"}),
        "documents": len(docs),
        "pages": pages,
        "seconds": round(seconds, 2),
        "seconds_with_startup": round(time.perf_counter() - t0, 2),
        "pages_per_s": round(pages / seconds, 1) if seconds > 0 else None,
        "summary": report.summary().splitlines()[0] if hasattr(report, "summary") else str(report)[:200],
    }


def bench_10k(settings: Any, reps: int = 5) -> dict:
    """Retrieval p50/p95 on a 10,000-unit knowledge base built by `retrieval.bench`.

    Expected from the retrieval package: `retrieval.bench.build_10k_index(settings, n_units=10_000)`
    returning a search function `f(question) -> hits`, or an object with `.retrieve(question, top_k=5)`
    or `.search(question, top_k=5)`; the index lives under settings.home. Until that exists this bench
    reports "not available".
    """
    try:
        from retrieval import bench as rbench
    except ImportError as e:
        return {"available": False, "reason": f"retrieval.bench not available ({e})"}
    build = getattr(rbench, "build_10k_index", None)
    if build is None:
        return {"available": False, "reason": "retrieval.bench has no build_10k_index(settings, n_units)"}
    with temp_home() as home:
        t0 = time.perf_counter()
        index = build(_settings_for(settings, home), n_units=10_000)
        build_s = time.perf_counter() - t0
        try:
            if callable(index):
                search = index
            elif hasattr(index, "retrieve"):
                search = lambda q: index.retrieve(q, top_k=5)  # noqa: E731
            else:
                search = lambda q: index.search(q, top_k=5)  # noqa: E731
            for q in BENCH_QUESTIONS:
                search(q)
            out = _timed(search, reps)
        finally:
            close = getattr(index, "close", None)
            if callable(close):
                close()
    stats = getattr(index, "stats", None)
    extra = {"build_stats": dataclasses.asdict(stats)} if dataclasses.is_dataclass(stats) else {}
    return {"available": True, "units": 10_000, "build_s": round(build_s, 2), **out, **extra}


# ---------------------------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    """Every descendant of pid (from /proc/*/stat parent ids)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # the command name may contain spaces
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        kids = parents.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def stop(proc: "subprocess.Popen", timeout: float = 10.0) -> None:
    """Stop a child process: SIGTERM, then SIGKILL if it has not exited within `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


def rss_mb(pid: int) -> dict:
    """Resident memory of a process and of its whole tree (MB), and the process's peak (VmHWM)."""
    own = _status_kb(pid, "VmRSS")
    tree = own + sum(_status_kb(p, "VmRSS") for p in _children(pid))
    return {"rss_mb": round(own / 1024, 1), "tree_rss_mb": round(tree / 1024, 1),
            "peak_rss_mb": round(_status_kb(pid, "VmHWM") / 1024, 1)}


def _gradio_ask(base: str, question: str, api_names: Sequence[str] = ("ask", "chat"),
                timeout: float = 60.0) -> str:
    """Ask one question through the UI's Gradio HTTP API; return the endpoint used.

    The first of `api_names` the app exposes is called with the question as its first input and every
    other input at its declared default (the chat history empty, the document filter on all documents).
    """
    with urllib.request.urlopen(f"{base}/gradio_api/info", timeout=timeout) as resp:
        named = json.loads(resp.read()).get("named_endpoints", {})
    name = next((n for n in api_names if f"/{n}" in named), None)
    if name is None:
        raise LookupError(f"the UI exposes none of the API endpoints {', '.join('/' + n for n in api_names)}")
    data: list[Any] = [question]
    for p in named[f"/{name}"].get("parameters", [])[1:]:
        if p.get("parameter_has_default"):
            data.append(p.get("parameter_default"))
        else:
            data.append([] if p.get("component") == "Chatbot" else None)
    req = urllib.request.Request(
        f"{base}/gradio_api/call/{name}", data=json.dumps({"data": data}).encode(),
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        event_id = json.loads(resp.read())["event_id"]
    with urllib.request.urlopen(f"{base}/gradio_api/call/{name}/{event_id}", timeout=timeout) as resp:
        body = resp.read().decode("utf-8", "replace")  # the event stream ends when the call completes
    if "event: error" in body:
        raise RuntimeError(f"/{name} returned an error")
    return name


def bench_server(settings: Any, asks: int = 3, timeout_s: float = 120.0,
                 argv: Sequence[str] | None = None, build_index: bool = True, home: Path | None = None,
                 questions: Sequence[str] | None = None) -> dict:
    """Cold start of `python app.py` on an existing index, and its resident memory.

    The index is built first in this process (the bundled corpus), then the server is spawned with that
    POLICYQA_HOME; cold start is the time until http://127.0.0.1:PORT/ answers. Memory is read from
    /proc just after start and again after a few questions through the UI's API (`/ask`, else `/chat`). argv / build_index exist for testing the harness with a stand-in server.
    """
    with (contextlib.nullcontext(home) if home is not None else temp_home()) as home:
        if build_index and not (home / "knowledge.sqlite3").is_file():
            svc = _service(_settings_for(settings, home))
            try:
                svc.ensure_default_corpus()
            finally:
                svc.close()
        port = _free_port()
        env = {**os.environ, "POLICYQA_HOME": str(home), "POLICYQA_HOST": "127.0.0.1",
               "POLICYQA_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
        base = f"http://127.0.0.1:{port}"
        log_path = home / "bench-server.log"
        with open(log_path, "wb") as log:
            t0 = time.perf_counter()
            proc = subprocess.Popen(list(argv or [sys.executable, "app.py"]), cwd=REPO_DIR, env=env,
                                    stdout=log, stderr=subprocess.STDOUT)
            try:
                while True:
                    if proc.poll() is not None:
                        tail = log_path.read_text("utf-8", "replace")[-800:]
                        raise RuntimeError(f"the server exited with {proc.returncode}:\n{tail}")
                    if time.perf_counter() - t0 > timeout_s:
                        raise TimeoutError(f"the server did not answer on {base} within {timeout_s:.0f} s")
                    try:
                        with urllib.request.urlopen(base + "/", timeout=2) as resp:
                            if resp.status < 500:
                                break
                    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                        time.sleep(0.1)
                cold = time.perf_counter() - t0
                time.sleep(1.0)  # let start-up work that follows the first response settle
                at_start = rss_mb(proc.pid)
                first_answer = first_ask_ms = None
                try:
                    used = []
                    for q in (questions or BENCH_QUESTIONS)[:asks]:
                        t_ask = time.perf_counter()
                        used.append(_gradio_ask(base, q))
                        if first_ask_ms is None:
                            first_ask_ms = round((time.perf_counter() - t_ask) * 1000, 1)
                        # lazy loading (encoder, index) shows up in the first answer, not the first page
                        first_answer = first_answer or round(time.perf_counter() - t0, 2)
                    warm_note = f"{len(used)} questions through /gradio_api/call/{used[-1]}" if used else "none"
                except Exception as e:  # the UI may not expose an endpoint; memory after start still counts
                    warm_note = f"warm-up asks skipped: {type(e).__name__}: {e}"
                after = rss_mb(proc.pid)
            finally:
                stop(proc, 10)
    return {
        "cold_start_s": round(cold, 2),
        "first_answer_s": first_answer,  # from spawn to the first answered question (None: no API)
        "first_ask_ms": first_ask_ms,  # the first question's own latency, once the page is served
        "rss_mb": max(after["tree_rss_mb"], at_start["tree_rss_mb"]),
        "at_start": at_start,
        "after_asks": after,
        "warm_up": warm_note,
    }


def cores() -> dict:
    return {"cpu_count": os.cpu_count(), "usable": len(os.sched_getaffinity(0))}


# ------------------------------------------------------------------------------------------------ all


BENCHES = ("queries", "ingest", "10k", "server", "library", "library-ingest", "library-server", "users")
DEFAULT_LIBRARY_HOME = REPO_DIR / ".policyqa-bench" / "library"


def run_all(settings: Any, corpus: Path | None = None, reps: int = 5, skip: set[str] = frozenset(),
            log: Callable[[str], None] = lambda s: print(s, file=sys.stderr), library: Path | None = None,
            library_home: Path | None = DEFAULT_LIBRARY_HOME, fresh_library: bool = False,
            library_sizes: Sequence[int | None] = (1, 10, None), library_reps: int = 3) -> dict:
    """Run every bench not in `skip` (BENCHES); errors are recorded.

    The library bench ingests ../shared/corpus-dc once into `library_home` and reuses it on later runs
    (its recorded ingest timing is reported, marked reused) unless `fresh_library`; skip
    "library-ingest" to only reuse, "library-server" to leave out the server cold start on it."""
    from .bench_library import bench_library
    from .bench_users import bench_users_during_ingest

    result: dict[str, Any] = {"cores": cores(), "errors": {}}
    if fresh_library and library_home is not None:
        shutil.rmtree(library_home, ignore_errors=True)
    steps = [
        ("queries", lambda: bench_queries(settings, reps)),
        ("ingest", lambda: {"ingest": bench_ingest(settings, corpus or default_corpus_dir())}),
        ("10k", lambda: {"retrieval_10k": bench_10k(settings, reps)}),
        ("server", lambda: {"server": bench_server(settings)}),
        ("library", lambda: {"library": bench_library(
            settings, library, sizes=library_sizes, home=library_home, reps=library_reps,
            ingest="library-ingest" not in skip, server="library-server" not in skip, log=log)}),
        ("users", lambda: {"users": bench_users_during_ingest(settings, library)}),
    ]
    for name, fn in steps:
        if name in skip:
            continue
        log(f"bench: {name} …")
        try:
            result.update(fn())
        except Exception as e:
            result["errors"][name] = f"{type(e).__name__}: {e}"
    result["budgets"] = check_budgets(result)
    return result
