"""Title words over the whole library (retrieval/naming.py), on the real primary and national documents: a word of a
document's title counts for the document, not for the units that restate the title."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval import naming
from retrieval.index import SearchIndex
from settings import Settings
from tests.test_retrieval_support import national_doc, primary_doc, use_embeddings


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    idx = SearchIndex(Settings(home=tmp_path_factory.mktemp("naming")), use_embeddings())
    idx.add_many([primary_doc(), national_doc()])
    return idx


def test_a_title_word_counts_alike_for_every_unit_of_the_document_it_names(index):
    r = index.retriever()
    cat = r._catalog()
    snap = cat.snap
    tokens = index.tokenizer.tokenize("连云港的举措对高校有哪些支持？")
    named = [t for t in tokens if t in cat.title_tokens["lyg"]]
    assert "连云港" in named  # the primary document's title names the city
    plain = snap.scores(tokens)
    got = naming.as_naming(plain, tokens, lambda t: snap.scores([t]), cat.doc_col, cat.title_docs,
                           len(cat.doc_codes), credit="max")
    lyg = cat.doc_col == cat.doc_codes["lyg"]
    others = snap.scores([t for t in tokens if t not in named])
    # within the named document: the other words rank the units, the title words add one constant
    shift = got[lyg] - others[lyg]
    assert np.allclose(shift, shift[0], atol=1e-4) and shift[0] > 0
    assert np.argmax(got[lyg]) == np.argmax(others[lyg])
    # "none" drops the title words within their document (the scoped rule, document by document); "off" is plain BM25
    none = naming.as_naming(plain, tokens, lambda t: snap.scores([t]), cat.doc_col, cat.title_docs,
                            len(cat.doc_codes), credit="none")
    assert np.allclose(none[lyg], others[lyg], atol=1e-4)
    assert naming.as_naming(plain, tokens, lambda t: snap.scores([t]), cat.doc_col, cat.title_docs,
                            len(cat.doc_codes), credit="off") is plain


def test_unscoped_question_naming_a_document_ranks_its_measures_as_a_scoped_one(index):
    r = index.retriever()
    q = "连云港的举措对高校有哪些支持？"
    scoped = [m.unit.measure_no for m in r.run_measures(q, top_k=2, doc_id="lyg")]
    unscoped = r.run_measures(q, top_k=2)
    assert all(m.doc_id == "lyg" for m in unscoped)  # the title still names the document
    assert {m.unit.measure_no for m in unscoped} == set(scoped) == {16, 17}  # the two measures that name 高校
