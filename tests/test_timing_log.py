"""timing_log: per-request lines and spans written by the server, read back and split by the users bench."""
from __future__ import annotations

import os
import threading
import time

import timing_log
from eval.bench_users import span_summary, split_latency


def test_nothing_is_written_without_the_setting(monkeypatch):
    monkeypatch.delenv(timing_log.ENV, raising=False)
    written = []
    monkeypatch.setattr(timing_log, "_append", lambda path, line: written.append(line))
    with timing_log.timed("r1"), timing_log.span("chroma-add"):
        pass
    assert written == []


def test_an_unwritable_log_does_not_break_the_work_it_times(tmp_path, monkeypatch):
    monkeypatch.setenv(timing_log.ENV, str(tmp_path / "no-such-folder" / "timing.jsonl"))
    with timing_log.timed("r1"), timing_log.span("chroma-add"):
        done = True
    assert done


def test_requests_and_spans_are_logged_and_split(tmp_path, monkeypatch):
    log = tmp_path / "timing.jsonl"
    monkeypatch.setenv(timing_log.ENV, str(log))
    samples = []
    for i in range(20):
        marks = {"id": f"r{i}", "sent": time.perf_counter()}
        with timing_log.timed(f"r{i}"):
            sum(range(20000))  # some CPU inside the handler
        if i == 19:  # the slowest: a span runs between its handler's end and its answer being read
            with timing_log.span("chroma-add", units=3):
                time.sleep(0.05)
        marks["done"] = time.perf_counter()
        samples.append(marks)
    with timing_log.timed(None):  # a request without an id is not logged
        pass
    requests, spans = timing_log.read_log(log)
    assert sorted(requests) == sorted(f"r{i}" for i in range(20))
    assert requests["r0"]["end"] >= requests["r0"]["start"] and requests["r0"]["cpu_s"] >= 0
    assert [s["units"] for s in spans["chroma-add"]] == [3]
    # the ingest child inherits the setting: a span says which process and thread ran it
    assert spans["chroma-add"][0]["pid"] == os.getpid()
    assert spans["chroma-add"][0]["thread"] == threading.current_thread().name
    split = split_latency(samples, requests)
    assert split["joined"] == 20 and split["slow_n"] == 1
    slow = split["slowest_5pct_median_ms"]
    assert slow["delivery"] >= 50  # the span ran after the handler ended, before the client's done mark
    assert slow["total"] >= slow["to_handler"] + slow["handler"]
    summary = span_summary(spans["chroma-add"], samples, samples[0]["sent"])
    assert summary["n"] == 1 and summary["slowest_5pct_overlapping"] == "1/1" and summary["max_s"] >= 0.05


def test_run_queue_wait_is_read_for_this_thread():
    waits = []
    t = threading.Thread(target=lambda: waits.append(timing_log.run_delay_s()))
    t.start()
    t.join()
    assert waits[0] is None or waits[0] >= 0.0


def test_long_garbage_collections_are_logged_as_spans(tmp_path, monkeypatch):
    import gc

    log = tmp_path / "timing.jsonl"
    monkeypatch.setenv(timing_log.ENV, str(log))
    before = list(gc.callbacks)
    try:
        assert timing_log.watch_gc(min_s=0.0)
        cycles = []
        for _ in range(1000):  # garbage only the cyclic collector frees
            a: list = []
            a.append(a)
            cycles.append(a)
        del cycles, a
        # a collection while this thread writes a line (holding the log's lock) must not wait for that lock
        done = threading.Event()

        def collect_while_writing():
            with timing_log._lock:
                gc.collect()
            done.set()

        threading.Thread(target=collect_while_writing, daemon=True).start()
        assert done.wait(30)
        with timing_log.span("after"):  # the next line written carries the collections noted
            pass
    finally:
        gc.callbacks[:] = before
    _, spans = timing_log.read_log(log)
    assert spans["gc-2"][-1]["collected"] >= 1000 and spans["gc-2"][-1]["end"] >= spans["gc-2"][-1]["start"]


def test_garbage_collections_are_not_watched_without_the_setting(monkeypatch):
    import gc

    monkeypatch.delenv(timing_log.ENV, raising=False)
    before = list(gc.callbacks)
    assert not timing_log.watch_gc()
    assert gc.callbacks == before
