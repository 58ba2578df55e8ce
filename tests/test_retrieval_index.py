"""SearchIndex: Chroma and BM25 in step through add / remove / re-add, failures, other processes, server."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval.index import SearchIndex
from retrieval.units import units_for
from settings import Settings
from tests.test_retrieval_support import chroma_server, national_doc, primary_doc, use_embeddings


def _ids(idx: SearchIndex):
    d = idx.doc_ids()
    assert d.consistent, d
    return d.lexical


@pytest.mark.slow
def test_remove_and_readd_keep_the_stores_in_step(tmp_path):
    settings = Settings(home=tmp_path / "home")
    idx = SearchIndex(settings, use_embeddings())
    assert _ids(idx) == set()
    n = idx.add(primary_doc())
    assert n == len(units_for(primary_doc())) == idx.vector.count() == len(idx.lexical)
    assert _ids(idx) == {"lyg"}
    assert idx.remove("lyg") == n
    assert _ids(idx) == set() and idx.retriever().run("碳普惠") == []
    idx.add(primary_doc())
    idx.add(primary_doc())  # re-adding the same document replaces it, nothing doubles
    assert _ids(idx) == {"lyg"} and idx.vector.count() == len(idx.lexical) == n
    assert idx.retriever().run_measures("碳普惠平台用户要达到多少人？", top_k=1)[0].unit.measure_no == 14
    # a new process (a new SearchIndex on the same home) sees the same index
    again = SearchIndex(settings, use_embeddings())
    assert _ids(again) == {"lyg"} and again.lexical.units == idx.lexical.units


def test_a_failed_update_leaves_neither_store_with_the_document(tmp_path):
    idx = SearchIndex(Settings(home=tmp_path / "home"), use_embeddings())
    idx.add(primary_doc())
    units = units_for(national_doc())
    with pytest.raises(ValueError, match="shape"):
        idx.add_units(units, np.zeros((len(units) - 1, 512), dtype=np.float32))
    assert _ids(idx) == {"lyg"}


def test_an_index_saved_by_another_process_is_picked_up(tmp_path):
    settings = Settings(home=tmp_path / "home")
    reader = SearchIndex(settings, use_embeddings())
    r = reader.retriever()
    assert r.run("碳普惠") == []
    writer = SearchIndex(settings, use_embeddings())
    writer.add(primary_doc())
    assert r.run_measures("碳普惠", top_k=1)[0].unit.measure_no == 14
    assert reader.lexical.generation == writer.lexical.generation


def test_user_dictionary_and_reset(tmp_path):
    idx = SearchIndex(Settings(home=tmp_path / "home"), use_embeddings())
    idx.add(primary_doc())
    assert idx.user_dictionary(["加快人行通道"]) == 1
    unit = next(u for u in idx.units("lyg") if u.measure_no == 8 and not u.is_sentence)
    assert "加快人行通道" in idx.lexical.tokens_of(unit.unit_id)
    assert idx.user_dictionary(["加快人行通道"]) == 0
    idx.reset()
    assert _ids(idx) == set() and idx.vector.count() == 0


@pytest.mark.slow
def test_chroma_server_end_to_end(tmp_path):
    """The deployment path: `chroma run`, POLICYQA_CHROMA_URL, index the primary doc, ask, remove, stop."""
    with chroma_server(tmp_path / "server-data") as url:
        settings = Settings(home=tmp_path / "home", chroma_url=url)
        idx = SearchIndex(settings, use_embeddings())
        assert idx.vector.server_mode
        idx.add(primary_doc())
        assert _ids(idx) == {"lyg"}
        r = idx.retriever()
        assert r.run_measures("营运交通工具单位换算周转量碳排放强度", top_k=1)[0].unit.measure_no == 8
        assert r.run_measures("公家单位买车要买多少电车？", top_k=1, doc_id="lyg")[0].unit.measure_no == 15
        assert {h.unit.measure_no for h in r.run("目标", top_k=10, bureau="市交通局")} == {8}
        idx.remove("lyg")
        assert _ids(idx) == set()


def test_measure_vectors_are_the_mean_of_their_sentence_vectors():
    from retrieval.prepared import embed_units

    emb = use_embeddings()
    units = units_for(primary_doc())[:12]
    vectors = embed_units(emb, units)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    for i, u in enumerate(units):
        kids = [j for j, w in enumerate(units) if w.is_sentence and w.measure_key == u.measure_key]
        if u.is_sentence or not kids:
            assert np.allclose(vectors[i], emb.encode([u.embed_text])[0], atol=1e-5)
        else:
            mean = vectors[kids].mean(axis=0)
            assert np.allclose(vectors[i], mean / np.linalg.norm(mean), atol=1e-6)


@pytest.mark.slow
def test_searches_during_updates_never_fail(tmp_path):
    """Gradio serves questions from threads while an ingest replaces a document."""
    import threading

    idx = SearchIndex(Settings(home=tmp_path / "home"), use_embeddings())
    idx.add(primary_doc())
    r = idx.retriever()
    errors: list[BaseException] = []
    results: list[int] = []
    stop = threading.Event()

    def ask():
        while not stop.is_set():
            try:
                got = r.run_measures("碳普惠平台用户要达到多少人？", top_k=1)
                results.append(got[0].unit.measure_no if got else 0)
            except BaseException as e:  # noqa: BLE001 - the test reports it
                errors.append(e)
                return

    t = threading.Thread(target=ask)
    t.start()
    try:
        for _ in range(2):
            idx.remove("lyg")
            idx.add(primary_doc())
    finally:
        stop.set()
        t.join(30)
    assert not errors, errors
    assert results and set(results) <= {14, 0}  # the right measure, or nothing while it was removed
    assert _ids(idx) == {"lyg"}


def test_the_vector_weight_setting_switches_the_vector_search_off(tmp_path, monkeypatch):
    """POLICYQA_VECTOR_WEIGHT=0 (the experiment of docs/ingest-cpu.md): ranked by BM25 alone, no cosine scores."""
    settings = Settings(home=tmp_path / "home")
    SearchIndex(settings, use_embeddings()).add(primary_doc())
    both = SearchIndex(settings, use_embeddings()).retriever().run_measures("碳普惠平台用户要达到多少人？", top_k=3)
    assert any(h.vector_score is not None for h in both)
    monkeypatch.setenv("POLICYQA_VECTOR_WEIGHT", "0")
    off = SearchIndex(Settings(home=tmp_path / "home"), use_embeddings())
    hits = off.retriever().run_measures("碳普惠平台用户要达到多少人？", top_k=3)
    assert off.retriever().weights == (0.0, 1.0)
    assert hits[0].unit.measure_no == 14 and all(h.vector_score is None for h in hits)
    with pytest.raises(ValueError, match="POLICYQA_VECTOR_WEIGHT"):
        SearchIndex(Settings(home=tmp_path / "home"), use_embeddings()).retriever(weights=(0.5, 1.0))
    monkeypatch.setenv("POLICYQA_VECTOR_WEIGHT", "-1")
    with pytest.raises(ValueError):
        Settings(home=tmp_path / "home")
