"""Title words over the whole library (retrieval/naming.py), on the real primary and national documents: a word of a
document's title counts for the document, not for the units that restate the title."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval import naming
from retrieval.hits import Filters
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


def test_a_place_in_the_title_counts_in_every_form_it_goes_by(tmp_path):
    # The real primary document under a title written for this test that writes its city short (连云港) while the
    # question writes it whole (连云港市): scoped to the document the place still names it, not the measure asked.
    doc = primary_doc("short")
    doc.title = "连云港绿色转型政策举措"
    idx = SearchIndex(Settings(home=tmp_path / "home"), use_embeddings())
    idx.add(doc)
    r = idx.retriever()
    cat = r._catalog()
    assert {"连云港", "连云港市"} <= cat.title_tokens["short"]
    assert "连云港市" not in idx.tokenizer.tokenize(doc.title)  # the gap: the title's own tokens lack the full form
    q = "连云港市的举措对高校有哪些支持？"
    tokens = idx.tokenizer.tokenize(q)
    assert "连云港市" in tokens
    assert r._without_title_words(tokens, Filters(doc_id="short")) == ["高校", "支持"]
    assert {m.unit.measure_no for m in r.run_measures(q, top_k=2, doc_id="short")} == {16, 17}
    # over the whole library the full form names the document too
    assert cat.doc_codes["short"] in set(cat.title_docs["连云港市"].tolist())
