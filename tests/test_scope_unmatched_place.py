"""A question naming only a place the library has no document of (retrieval.scope.asked): every document is another
place's, so the place features favour none and the softmax picks by text alone. The whole library answers — unless a
document whose own text names the place reaches the model's threshold (the national 化纤 guide's 新疆 and 贵州 bases):
that document is the scope. A place named beside 国家, or every place asked its own answer (各地…分别), read on a second
library with no document of 广州 (moved from tests/test_scope.py). Real PDFs of ../shared/corpus-dc, the shipped model."""
from __future__ import annotations

import numpy as np
import pytest

from retrieval.scope import FEATURES, across_places, decide, features, model
from retrieval.scope_places import named_places
from tests.conftest import corpus_dc_file, doc_titled, scope_library, scope_of, service_of


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    # 46 工业和信息化部、国家发展和改革委员会关于化纤工业高质量发展的指导意见 (national; its text names 新疆, 贵州 …),
    # 417 郑州 and 451 德州's “十四五” 生态环境保护 plans: no document of 新疆, 贵州 or 广州.
    yield from service_of(tmp_path_factory, "unmatched-place", [corpus_dc_file(n) for n in ("46", "417", "451")])


def test_a_document_naming_the_place_in_its_text_is_the_scope_when_the_model_is_sure(svc):
    lib, _ = scope_library(svc)
    guide = doc_titled(svc, "化纤")
    q = "在新疆建设化纤产业基地有哪些要求？"
    x = features(q, lib)
    assert (x[:, FEATURES.index("other_place_named")] == 1.0).all()  # 新疆: no document of it in the library
    assert named_places(lib.tokenize(q)) == ["新疆"]
    naming = lib.naming(["新疆"])
    assert [d for d, n in zip(lib.ids, naming) if n] == [guide]  # only the guide's text names 新疆
    p = model().probs(x)
    assert p[lib.ids.index(guide)] >= model().threshold
    assert scope_of(svc, q) == [guide]


def test_no_document_naming_the_place_leaves_the_whole_library(svc):
    lib, _ = scope_library(svc)
    q = "广州到2025年PM2.5年均浓度要降到多少？"
    assert not lib.naming(named_places(lib.tokenize(q))).any()
    # the text alone would pick a city's plan (郑州's or 德州's PM2.5 target); neither is 广州's
    p = model().probs(features(q, lib))
    assert float(np.max(p)) > 0.5
    assert scope_of(svc, q) is None


@pytest.fixture(scope="module")
def no_guangzhou(tmp_path_factory):
    """Two city plans (郑州, 德州) and two national plans of ../shared/corpus-dc; no document of 广州."""
    yield from service_of(tmp_path_factory, "no-guangzhou", [corpus_dc_file(n) for n in ("417", "451", "171", "42")])


def test_a_place_the_library_has_no_document_of_still_counts_as_named(no_guangzhou):
    svc = no_guangzhou
    shown, _ = scope_library(svc)
    col = {name: i for i, name in enumerate(FEATURES)}
    places = [FEATURES.index(f) for f in ("place_named", "national_asked_national", "national_no_place_named",
                                          "other_place_named")]
    national = {c.doc_id for c in shown.cards if c.national}
    assert len(national) == 2 and len(shown.ids) == 4
    # No place named: the national plans lean ahead.
    x = features("到2025年城镇新建建筑中绿色建筑占比要达到多少？", shown)
    assert {d for d, v in zip(shown.ids, x[:, col["national_no_place_named"]]) if v} == national
    # 广州 named, no document of it: not a question naming no place (no lift for the national plans), and
    # clearly local, so every document — 郑州's, 德州's and the national ones — is another place's: the place
    # features are the same for all, and the library has nothing of 广州: the whole library, not the national
    # building plan the text alone would choose.
    q = "广州到2025年城镇新建建筑中绿色建筑占比要达到多少？"
    x = features(q, shown)
    assert not x[:, col["national_no_place_named"]].any()
    assert x[:, col["other_place_named"]].tolist() == [1.0] * 4
    assert (x[:, places] == x[0, places]).all()
    assert scope_of(svc, q) is None
    # The same place beside 国家: the national documents are not another place's; the two cities' are.
    x = features("国家对广州城镇新建建筑中绿色建筑占比有什么要求？", shown)
    assert {d for d, v in zip(shown.ids, x[:, col["other_place_named"]]) if not v} == national
    # The whole library answers it: per document, or an honest refusal; never one document's answer alone.
    ans = svc.ask(q)
    assert ans.refused or len({c.doc_id for c in ans.citations}) > 1
    # A place the library has keeps its document.
    zhengzhou = next(c.doc_id for c in shown.cards if "郑州" in c.places)
    assert scope_of(svc, "郑州到2025年PM2.5年均浓度要降到多少？") == [zhengzhou]


def test_a_question_asking_every_place_its_own_answer_keeps_the_whole_library(no_guangzhou):
    svc = no_guangzhou
    shown, _ = scope_library(svc)
    zhengzhou, dezhou = (next(c.doc_id for c in shown.cards if p in c.places) for p in ("郑州", "德州"))
    q = "各地PM2.5年均浓度目标分别是多少？"
    # The model alone picks 郑州's plan by its text, though 德州's states the same target; 各地…分别 asks each
    # place's own: the whole library.
    assert decide(shown.ids, model().probs(features(q, shown)), model().threshold) == [zhengzhou]
    assert across_places(q, shown) and scope_of(svc, q) is None
    assert dezhou in shown.ids  # the other place's plan the single scope would have left out
    # A place named, its districts addressed (郑州各区…分别): the place's reading stands.
    assert not across_places("郑州各区的PM2.5年均浓度目标分别是多少？", shown)
    assert scope_of(svc, "郑州各区的PM2.5年均浓度目标分别是多少？") == [zhengzhou]
