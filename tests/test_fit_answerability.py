"""How eval.fit_answerability chooses the answer-or-refuse decision and estimates its transfer to documents it never
saw: folds by document, threshold rules, held-out choice. Pure: records in the shape `collect` writes, real sklearn."""
from __future__ import annotations

import numpy as np
import pytest

from answer.answerability import FEATURES
from eval import fit_answerability as F


def _records(n_docs: int = 6, per_doc: int = 12, seed: int = 0) -> list[dict]:
    """Records as `collect` writes them: each question's candidates with their features and labels. An answerable
    question's gold sentence has higher coverage; unanswerable questions have none."""
    rng = np.random.default_rng(seed)
    cov, carried = FEATURES.index("cov_full"), FEATURES.index("carried_share")
    out = []
    for d in range(n_docs):
        for q in range(per_doc):
            answerable = q % 4 != 0
            X, y = [], []
            for c in range(5):
                x = [0.0] * len(FEATURES)
                x[0] = 1.0
                gold = answerable and c == 0
                x[cov] = float(rng.uniform(0.6, 1.0) if gold else rng.uniform(0.0, 0.7))
                x[carried] = float(gold or rng.random() < 0.3)
                X.append(x)
                y.append(int(gold))
            out.append({"id": f"d{d}-{q}", "doc": f"doc{d}", "group": f"set{d % 2}", "answerable": answerable,
                        "scoped": q % 2 == 0, "first_refused": False, "X": X, "y": y,
                        "structured": [False] * 5, "eligible": [True] * 5})
    return out


def test_each_document_is_in_one_fold_and_the_folds_are_about_equal():
    recs = _records(n_docs=7) + [{**r, "doc": "big"} for r in _records(n_docs=2)]  # one document of 24 records
    folds = F.doc_folds(recs, folds=5)
    assert set(folds) == {r["doc"] for r in recs} and set(folds.values()) == set(range(5))
    sizes = [sum(folds[r["doc"]] == f for r in recs) for f in range(5)]
    assert max(sizes) == 24 and min(sizes) >= 12  # the big document alone in its fold, the others spread
    by_set = F.doc_folds(recs, folds=2, key="group")
    assert by_set == {"set0": 0, "set1": 1} or by_set == {"set0": 1, "set1": 0}


def test_the_floor_rule_takes_the_lowest_threshold_that_keeps_the_refusal_bar():
    """`floor`: of the thresholds refusing at least 85% of the unanswerable questions, the lowest — the fewest
    false refusals that keep that bar; `cost` weighs the false refusals against the bar's slack and refuses more."""
    records = [{"answerable": True, "chosen_right": True}] * 40 + [{"answerable": False}] * 20
    p = [0.9] * 38 + [0.3, 0.35] + [0.1] * 16 + [0.2, 0.25, 0.4, 0.6]
    thr, r = F.choose_threshold(records, p, rule="floor")
    assert thr == 0.21 and r["refusal_accuracy"] == pytest.approx(0.85) and r["false_refusals"] == 0.0
    thr_cost, r_cost = F.choose_threshold(records, p, rule="cost")
    assert thr_cost == 0.26 and r_cost["refusal_accuracy"] == pytest.approx(0.9) and r_cost["false_refusals"] == 0.0
    # The bar out of reach: the threshold that refuses most
    thr, r = F.choose_threshold([{"answerable": False}] * 2, [0.99, 0.2], rule="floor")
    assert r["refusal_accuracy"] == pytest.approx(0.5) and thr == 0.21


def test_each_fold_is_scored_with_a_threshold_chosen_without_it():
    recs = [{"doc": "a", "answerable": a, "scoped": True} for a in (True,) * 10 + (False,) * 10]
    recs += [{"doc": "b", "answerable": a, "scoped": False} for a in (True,) * 10 + (False,) * 10]
    # In document a the answerable ones score 0.8 and the others 0.3; in b, 0.5 and 0.2. Each alone is separated
    # perfectly, but a is scored at b's threshold (0.21), which answers all of a's unanswerable ones.
    oof = np.array([0.8] * 10 + [0.3] * 10 + [0.5] * 10 + [0.2] * 10)
    fit = {"config": (1.0, "all", 1, None), "oof": oof, "right": np.array([True] * 40)}
    held = F.held_out(recs, [fit], {"a": 0, "b": 1}, rule="cost")
    thresholds = {row["fold"]: row["threshold"] for row in held["per_fold"]}
    assert thresholds == {0: 0.21, 1: 0.31}
    assert held["per_fold"][0]["refusal_accuracy"] == 0.0 and held["per_fold"][1]["refusal_accuracy"] == 1.0
    assert held["pooled"]["refusal_accuracy"] == pytest.approx(0.5) and held["pooled"]["false_refusals"] == 0.0
    assert held["scoped"]["refusal_accuracy"] == 0.0 and held["no_scope"]["refusal_accuracy"] == 1.0


def test_a_documents_out_of_fold_probabilities_do_not_depend_on_its_own_labels():
    """Both stages are fitted without the fold being scored: relabelling one document's candidates changes no
    out-of-fold probability in its fold."""
    recs = _records()
    folds = F.doc_folds(recs, folds=3)
    before = F.fit(recs, 0.3, "short", 2, fold_of=folds, final=False)
    flipped = [{**r, "y": [1 - v for v in r["y"]]} if r["doc"] == "doc0" else r for r in recs]
    after = F.fit(flipped, 0.3, "short", 2, fold_of=folds, final=False)
    same_fold = np.array([folds[r["doc"]] == folds["doc0"] for r in recs])
    assert np.allclose(before["oof"][same_fold], after["oof"][same_fold])
    assert not np.allclose(before["oof"][~same_fold], after["oof"][~same_fold])
    assert F.separation(recs, before["oof"]) > 0.8  # the gold sentence's coverage separates them


def test_the_default_fit_is_the_committed_models_choice():
    """Without --search the model is DEFAULT_CONFIG — the committed model's C, decision features and options."""
    from answer import answerability as A
    m = A.model()
    C, dset, ranked, _ = F.DEFAULT_CONFIG
    assert m.meta["fitted"]["C"] == C and m.ranked == ranked
    assert tuple(m.meta["decision_features"]) == F.DECISION_SETS[dset]


def test_a_model_file_is_compared_on_the_sets_it_never_saw(tmp_path):
    """--compare: the committed model decides the records as answer.decide would (a handler's refusal for a word
    nowhere in scope stands: rated 0), and on the sets it was not fitted on its figures sit beside the refit's
    held-out ones on the same sets."""
    import json

    from answer import answerability as A
    from eval.answerability_compare import compared, decided

    recs = _records()
    absent, cov = FEATURES.index("scope_absent"), FEATURES.index("cov_full")
    # every candidate lacks a word the scope uses as well as the one it never uses (scope_unused 0 here): it stands
    stands = {**recs[1], "first_refused": True,
              "X": [[*x[:absent], 1.0, *x[absent + 1:]] for x in recs[1]["X"]]}
    for x in stands["X"]:
        x[cov] = min(x[cov], 0.9)
    recs[1] = stands
    meta = json.loads(A.MODEL_PATH.read_text(encoding="utf-8"))
    meta["fitted"] = {**meta["fitted"], "testset": "set0", "tuning_set": ""}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(meta), encoding="utf-8")
    p, right = decided(recs, A.AnswerabilityModel.load(path))
    assert p[1] == 0.0 and (p[[0, *range(2, len(recs))]] > 0).all()
    # the gold sentence (candidate 0) is the one the decision takes for most answerable records
    assert right[[r["answerable"] for r in recs]].mean() > 0.8
    held = {"answered": np.array([r["answerable"] for r in recs]), "right": np.array([True] * len(recs))}
    out = compared(recs, path, held)
    assert out["fitted_on"] == ["set0"] and out["unseen"]["sets"] == ["set1"]
    assert out["unseen"]["refit_held_out"] == {"answer_accuracy_proxy": 1.0, "refusal_accuracy": 1.0,
                                               "false_refusals": 0.0}
    assert out["unseen"]["compared"] == out["set1"] and out["threshold"] == meta["threshold"]


def test_a_refit_on_one_blind_set_and_the_tuning_set_completes(tmp_path):
    """Two question sets (one blind set's dev items and the own tuning set): the by-set transfer check needs three —
    stage 2 of a fold learns from the sets other than it and another — so it is left out, and the model is written."""
    import json

    recs = _records()
    cache, out = tmp_path / "records.json", tmp_path / "model.json"
    cache.write_text(json.dumps(recs), encoding="utf-8")
    assert len({r["group"] for r in recs}) == 2
    assert F.main(["--records", str(cache), "--out", str(out), "--tuning-set", ""]) == 0
    d = json.loads(out.read_text(encoding="utf-8"))
    assert len(d["coef"]) == len(FEATURES) and 0 < d["threshold"] < 1
    assert set(d["fitted"]["held_out"]) == {"by_document"}


def test_the_decision_learns_from_the_options_a_refusal_for_an_unused_word_gives_way_to():
    """As answer.decide weighs them: a handler's refusal for a word the scope never uses stands against an option that
    lacks another word too (no row), not against one that lacks only the unused word (a row, as any option)."""
    from answer.answerability import DECISION_NAMES

    absent, cov, unused = (FEATURES.index(n) for n in ("scope_absent", "cov_full", "scope_unused"))
    rec = {**_records()[1], "first_refused": True}
    rec["X"] = [list(x) for x in rec["X"]]
    for x in rec["X"]:
        x[absent], x[unused], x[cov] = 1.0, 0.25, 0.5
    probs = np.array([0.9, 0.1, 0.1, 0.1, 0.1])
    assert F._decision_rows([rec], probs, 1, lambda n: True)[0] == []
    rec["X"][0][cov] = 0.75  # the best-ranked one lacks only the unused word
    Z = F._decision_rows([rec], probs, 1, lambda n: True)[0]
    assert len(Z) == 1 and Z[0][DECISION_NAMES.index("first_refused")] == 1.0
