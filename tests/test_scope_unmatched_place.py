"""A question naming only a place the library has no document of (retrieval.scope.asked): every document is another
place's, so the place features favour none and the softmax picks by text alone. The whole library answers — unless a
document whose own text names the place reaches the model's threshold (the national 化纤 guide's 新疆 and 贵州 bases):
that document is the scope. Real PDFs of ../shared/corpus-dc, the shipped model."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval.scope import FEATURES, features, model
from retrieval.scope_places import named_places
from tests.conftest import corpus_dc_file, doc_titled, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 46 工业和信息化部、国家发展和改革委员会关于化纤工业高质量发展的指导意见 (national; its text names 新疆, 贵州 …),
    # 417 郑州 and 451 德州's “十四五” 生态环境保护 plans: no document of 新疆, 贵州 or 广州.
    yield from service_of(tmp_path_factory, "unmatched-place", [corpus_dc_file(n) for n in ("46", "417", "451")])


def _library(svc):
    from retrieval.scope_library import library

    lexical = svc.index.retriever().lexical
    return library(list(svc.catalog.documents.values()), lexical.snapshot(), lexical.tokenizer.tokenize)


def _scope(svc, question):
    return svc._scope(question, None, svc.catalog)


def test_a_document_naming_the_place_in_its_text_is_the_scope_when_the_model_is_sure(svc):
    lib = _library(svc)
    guide = doc_titled(svc, "化纤")
    q = "在新疆建设化纤产业基地有哪些要求？"
    x = features(q, lib)
    assert (x[:, FEATURES.index("other_place_named")] == 1.0).all()  # 新疆: no document of it in the library
    assert named_places(lib.tokenize(q)) == ["新疆"]
    naming = lib.naming(["新疆"])
    assert [d for d, n in zip(lib.ids, naming) if n] == [guide]  # only the guide's text names 新疆
    p = model().probs(x)
    assert p[lib.ids.index(guide)] >= model().threshold
    assert _scope(svc, q) == [guide]


def test_no_document_naming_the_place_leaves_the_whole_library(svc):
    lib = _library(svc)
    q = "广州到2025年PM2.5年均浓度要降到多少？"
    assert not lib.naming(named_places(lib.tokenize(q))).any()
    # the text alone would pick a city's plan (郑州's or 德州's PM2.5 target); neither is 广州's
    p = model().probs(features(q, lib))
    assert float(np.max(p)) > 0.5
    assert _scope(svc, q) is None
