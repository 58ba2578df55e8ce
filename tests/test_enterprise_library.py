"""An industry question over many documents: the most relevant ones answer in full, the others are named."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from answer.structure import most_relevant_documents
from tests.conftest import CORPUS, service_of


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    yield from service_of(tmp_path_factory, "enterprise-library", [CORPUS])


def test_the_best_ranked_documents_answer_and_the_rest_are_named(library):
    docs = sorted(library.catalog.documents.values(), key=lambda d: d.doc_id)[:4]
    groups = {}
    for n, d in enumerate(docs):  # document n has n + 1 matching sentences, under two kinds
        m = d.measures[0]
        groups.setdefault("obligation" if n % 2 else "target", []).extend([(d, m, m.text)] * (n + 1))
    hits = [SimpleNamespace(doc_id=docs[2].doc_id), SimpleNamespace(doc_id=docs[0].doc_id)]
    kept, others = most_relevant_documents(groups, hits, 2)
    assert {t[0].doc_id for items in kept.values() for t in items} == {docs[2].doc_id, docs[0].doc_id}
    assert [d.doc_id for d in others] == [docs[3].doc_id, docs[1].doc_id]  # then by how many sentences match
    assert most_relevant_documents(groups, hits, 4) == (groups, [])  # few enough: all answer


