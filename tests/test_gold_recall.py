"""eval.gold_recall: where the gold passage is among what the decision weighs, on a real notice (corpus-dc 375)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from eval import gold_recall as G
from tests.conftest import corpus_dc_file, doc_titled, service_of


def test_cause_classes_in_order_of_where_the_gold_passage_was_found():
    assert G.cause(False, 0, 0, True, True, True, 5) == "undecided"
    assert G.cause(True, 3, 0, True, True, True, 5) == "candidate"
    assert G.cause(True, None, 2, True, True, True, 5) == "spread"  # a unit of the decision's, no one sentence
    assert G.cause(True, None, 5, True, True, True, 5) == "ranked_out"
    assert G.cause(True, None, None, False, True, True, 5) == "not_in_text"
    assert G.cause(True, None, None, True, True, False, 5) == "deep"
    assert G.cause(True, None, None, True, False, False, 5) == "other_document"
    assert G.cause(True, None, None, True, False, True, 5) == "deep"


def test_states_is_the_eval_test_of_a_right_answer_and_holds_the_labelling_one():
    gold = "申请备案的核查机构，应符合《暂行办法》第三十一条规定的条件。"
    assert G._states("应符合《暂行办法》第三十一条规定的条件", gold, ["第三十一条"])
    assert not G._states("应符合《暂行办法》规定的条件", gold, ["第三十一条"])
    # without must_contain items, the gold passage's bigrams (answer.answerability.gold_match)
    assert G._states("申请备案的核查机构应符合《暂行办法》第三十一条规定的条件。", gold, [])
    assert not G._states("核查员应当参加培训。", gold, [])


def test_summary_counts_each_mode_apart():
    recs = [{"scoped": True, "refused": False, "cause_strict": "candidate", "cand_rank_strict": 0, "unit_rank_strict": 0},
            {"scoped": True, "refused": True, "cause_strict": "ranked_out", "cand_rank_strict": None,
             "unit_rank_strict": 7},
            {"scoped": False, "refused": True, "cause_strict": "not_in_text", "cand_rank_strict": None,
             "unit_rank_strict": None}]
    s = G.summary(recs)
    assert s["scoped"]["candidates"] == 0.5 and s["scoped"]["units@5"] == 0.5 and s["scoped"]["units@10"] == 1.0
    assert s["scoped"]["refused"] == {"ranked_out": 1}
    assert s["no_scope"]["candidates"] == 0.0 and s["no_scope"]["refused"] == {"not_in_text": 1}


@pytest.fixture(scope="module")
def svc(tmp_path_factory):
    yield from service_of(tmp_path_factory, "gold_recall", [corpus_dc_file("375")])


def test_record_finds_the_gold_sentence_among_the_candidates_of_a_real_ask(svc):
    doc = doc_titled(svc, "核查机构备案")
    item = SimpleNamespace(id="t-1", doc=doc, question="深圳的核查机构申请备案要符合哪条规定的条件？",
                           gold_quote="申请备案的核查机构，应符合《暂行办法》第三十一条规定的条件",
                           must_contain=["第三十一条"])
    r = G.record(svc, item, (doc,), True, 10)
    assert r["cause_strict"] == "candidate" and r["cand_rank_strict"] is not None
    assert r["unit_rank_strict"] is not None and r["unit_rank_strict"] < 5
    assert r["in_text_strict"] and r["gold_seq"] is not None


def test_record_says_a_passage_the_document_never_states_is_not_in_its_text(svc):
    doc = doc_titled(svc, "核查机构备案")
    item = SimpleNamespace(id="t-2", doc=doc, question="深圳的核查机构申请备案要交多少保证金？",
                           gold_quote="核查机构应缴纳保证金五十万元", must_contain=["保证金五十万元"])
    r = G.record(svc, item, (doc,), True, 10)
    assert not r["in_text_strict"] and r["unit_rank_strict"] is None
    assert r["cause_strict"] in ("not_in_text", "undecided")
