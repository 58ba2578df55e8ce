"""Refit the answerability model (answer/answerability.json) from the DEV split of the blind test sets.

    python -m eval.fit_answerability --testset SET.jsonl [SET2.jsonl …] [--home DIR [--home DIR2 …]]
        [--tuning-home DIR] [--files-from ../shared/corpus-dc] [--out answer/answerability.json]
        [--records CACHE.json] [--search] [--rule cost|floor] [--compare answer/answerability.json]

Each --testset is asked in the knowledge base of the --home at its position (default POLICYQA_HOME), as `eval run`
builds it for that set (its documents are ingested there, idempotently); the project's own tuning set in
--tuning-home (eval.answerability_records). Every dev question is asked twice (within its document, and with no
document filter); every candidate sentence the answerer considered is labelled positive when the question is
answerable and the sentence states (part of) its `gold_quote`. A logistic regression ranks the candidates; a second
one decides whether the chosen candidate answers, from its features, its probability and its margin over the
runner-up — computed by answer.answerability.decision_options, the function answer.decide uses. Both are
cross-validated with each document in one fold (doc_folds), so no document is scored by a model that saw it. The
regularisation, the decision's feature set and how many of the best-ranked sentences it weighs are DEFAULT_CONFIG,
or with --search the ones whose out-of-fold probabilities best separate answerable from unanswerable questions
(`separation`); the threshold is chosen on those probabilities by --rule (`choose_threshold`). `held_out` then makes
the same choice without each fold and scores it on that fold — the estimate of how the decision transfers to
documents it never saw — per fold, by document and by question set; the figures go into the model file
(`fitted.held_out`); --compare MODEL scores a model file (the committed one) on the same records
(eval.answerability_compare, `fitted.compared`). Only `split == "dev"` items are read, less the batches held back as a
transfer check (eval.held_back; `--hold-back`); the test split is never touched. Measurements:
docs/answerability-transfer.md.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from eval import held_back

ROOT = Path(__file__).resolve().parent.parent


def _options(rec: dict, probs: np.ndarray, ranked: int = 1) -> list[tuple[int, float]]:
    """The options answer.decide weighs, with their runner-ups: the same function (answer.answerability)."""
    from answer.answerability import decision_options
    eligible = rec.get("eligible", [True] * len(probs))
    return decision_options([float(p) for p in probs], eligible, rec["structured"], not rec["first_refused"], ranked)


# The bars of issue 10 (answerable refused ≤ 0.05, unanswerable refused ≥ 0.85).
ALLOWED_FALSE_REFUSALS, ALLOWED_MISSED_REFUSALS = 0.05, 0.15
MIN_REFUSAL = 1 - ALLOWED_MISSED_REFUSALS


def rates(records, p_answer, thr: float, right=None) -> dict[str, float]:
    """What the decision does at `thr`: answered right (answerable, the chosen sentence states it), refusal
    accuracy (unanswerable refused), false refusals (answerable refused). `right`: per record, whether the option
    that decides states the answer (default: each record's `chosen_right`)."""
    right = [r.get("chosen_right", False) for r in records] if right is None else right
    ans = [(p, ok) for r, p, ok in zip(records, p_answer, right) if r["answerable"]]
    una = [p for r, p in zip(records, p_answer) if not r["answerable"]]
    mean = lambda v: float(np.mean(v)) if len(v) else 0.0  # noqa: E731
    return {"answer_accuracy_proxy": mean([p >= thr and ok for p, ok in ans]),
            "refusal_accuracy": mean([p < thr for p in una]), "false_refusals": mean([p < thr for p, _ in ans])}


def cost(r: dict[str, float]) -> float:
    """Each kind of error as a share of what the contract allows; the worse of the two counts."""
    return max(r["false_refusals"] / ALLOWED_FALSE_REFUSALS, (1 - r["refusal_accuracy"]) / ALLOWED_MISSED_REFUSALS)


# How a threshold is chosen from out-of-fold probabilities. "cost": the least `cost` (balances the two bars).
# "floor": the lowest threshold that still refuses MIN_REFUSAL of the unanswerable questions — the fewest false
# refusals that keep the refusal bar (both fall as the threshold falls). Which one transfers to unseen documents is
# judged by held_out(), each fold's threshold chosen on the other folds.
RULES = ("cost", "floor")


def choose_threshold(records, p_answer, right=None, rule: str = "cost") -> tuple[float, dict[str, float]]:
    """The threshold `rule` picks, with its rates; ties to the lower threshold."""
    rows = [(t, rates(records, p_answer, t, right)) for t in (round(float(t), 2) for t in np.arange(0.05, 0.96, 0.01))]
    if rule == "floor":
        ok = [row for row in rows if row[1]["refusal_accuracy"] >= MIN_REFUSAL]
        if ok:
            return ok[0]
        return max(rows, key=lambda row: (row[1]["refusal_accuracy"], -row[0]))
    return min(rows, key=lambda row: (cost(row[1]), row[0]))


def separation(records, p) -> float:
    """How well the out-of-fold probabilities separate answerable from unanswerable questions (ROC AUC): the
    model is chosen by it (--search), with no threshold in it: at a threshold, the rates of ~65 unanswerable
    questions a fold swing by a question or two, and choosing among 90 models by them picked 3 to 5 different
    models in 5 folds (grouped CV on the 946 dev questions; docs/answerability-transfer.md)."""
    from sklearn.metrics import roc_auc_score
    y = [r["answerable"] for r in records]
    return float(roc_auc_score(y, p)) if 0 < sum(y) < len(y) else 0.5


def _lr(C, weight=None, signed=None):
    """The logistic regression both stages fit; with `signed` (the features' names) the weights of
    eval.fit_answerability_signs.SIGNS keep their known sign (--signs)."""
    if signed is not None:
        from eval.fit_answerability_signs import SignedLogisticRegression
        return SignedLogisticRegression(signed, C=C, class_weight=weight)
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, max_iter=3000, fit_intercept=False, class_weight=weight)


# The decision's feature sets, chosen by cross-validation: every ranking feature and the three decision ones;
# the short list (coverage, encoder similarity, carries the asked fact, retrieval rank and score, scope)
# with them; or fewer still (the short list without the relative score, the structured flag, asks_specific,
# years_missing and scope_absent), in case fewer features transfer better to documents the fit never saw.
DECISION_SETS = {
    "all": None,
    "short": ("bias", "cov_full", "cov_sentence", "vector_sim", "has_vector", "carried_share", "asks_specific",
              "rank_recip", "rel_score", "structured", "scope_absent", "scope_unused", "years_missing",
              "prob", "margin", "first_refused"),
    "minimal": ("bias", "cov_full", "cov_sentence", "vector_sim", "has_vector", "carried_share", "rank_recip",
                "scope_unused", "prob", "margin", "first_refused"),
}


# How many of the best-ranked eligible sentences the decision weighs (answer.answerability.decision_options): the
# ranker's first only, or its second and third too — chosen with C and the feature set by cross-validation.
RANKED_OPTIONS = (1, 2, 3)
# Regularisation and the decision's class weights. Measured on the 946 dev questions (grouped CV, either fusion):
# of C 0.03-3 and class weights as counted or balanced, the best-separating decisions all had C = 0.03, weights as
# counted (balanced: AUC 0.9785 against 0.9792; C 0.3: 0.9771); the grid keeps C near there.
CS = (0.01, 0.03, 0.1, 0.3)
WEIGHTS = (None,)
# Without --search the model is this one (C, decision set, ranked options, class weights), the committed model's
# choice, and only the threshold is chosen: held out by document on the 946 dev questions and the own set it refused
# 0.030 of the answerable ones (refusal of the unanswerable 0.895) against 0.037 (0.889) for the 36 of --search
# chosen by `separation` — every choice made on the data is one more thing to overfit.
DEFAULT_CONFIG = (0.3, "short", 2, None)


def doc_folds(records, folds: int = 5, key: str = "doc") -> dict[str, int]:
    """Each document (or, key="group", each question set) in one fold, the folds about equal in records: the
    largest first, each into the fold with fewest so far. Stage 1, stage 2 and the held-out check use the same."""
    from collections import Counter
    counts = Counter(r[key] or "" for r in records)
    load, out = [0] * folds, {}
    for d in sorted(counts, key=lambda d: (-counts[d], d)):
        f = min(range(folds), key=lambda i: (load[i], i))
        out[d], load[f] = f, load[f] + counts[d]
    return out


def _stage1(records, C, fold_of, key, cache, signed=False):
    """Ranking probabilities of every candidate, once per C and folds: `oof`, each fold's from a ranker fitted
    without it; and per fold f, `inner[f]`, every other fold g's from a ranker fitted without f and g — the inputs
    stage 2 of fold f learns from, so that no label of f reaches the decision that scores f (the other folds'
    out-of-fold probabilities come from rankers that saw f)."""
    tag = (C, key, tuple(sorted(fold_of.items())), signed)
    if tag not in cache:
        from answer.answerability import FEATURES
        lr = lambda: _lr(C, signed=FEATURES if signed else None)  # noqa: E731
        X = np.array([x for r in records for x in r["X"]], dtype=float)
        y = np.array([v for r in records for v in r["y"]], dtype=int)
        fold = np.array([fold_of[r[key] or ""] for r in records for _ in r["X"]])
        folds = sorted(set(fold))
        oof = np.zeros(len(y))
        for f in folds:
            oof[fold == f] = lr().fit(X[fold != f], y[fold != f]).predict_proba(X[fold == f])[:, 1]
        inner = {}
        for f in folds:
            inner[f] = oof.copy()
            for g in folds:
                if g != f:
                    train = (fold != f) & (fold != g)
                    inner[f][fold == g] = lr().fit(X[train], y[train]).predict_proba(X[fold == g])[:, 1]
        cache[tag] = (oof, inner, X, y)
    return cache[tag]


def _decision_rows(records, probs, ranked: int, keep) -> tuple[list, list, list, list, list]:
    """Stage 2's rows for the records `keep` admits, from candidate probabilities `probs`: one row per option
    (answer.answerability.decision_options), with its label, its record, whether it is the first option, and which
    candidate it is."""
    from answer.answerability import decision_features, refusal_stands

    Z, yz, owner, first, opt, k = [], [], [], [], [], 0
    for n, r in enumerate(records):
        pr = probs[k: k + len(r["X"])]
        k += len(r["X"])
        if not keep(n):
            continue
        # An option a handler's refusal stands against never reaches the decision (answer.decide): no row.
        opts = [(i, runner) for i, runner in _options(r, pr, ranked) if not refusal_stands(r["first_refused"], r["X"][i])]
        for j, (i, runner) in enumerate(opts):
            Z.append(decision_features(r["X"][i], float(pr[i]), float(pr[i] - runner), r["first_refused"]))
            yz.append(int(r["answerable"] and r["y"][i]))
            owner.append(n)
            first.append(j == 0)
            opt.append(i)
    return Z, yz, owner, first, opt


def fit(records, C: float = 1.0, decision_set: str = "all", ranked: int = 1, weight=None, fold_of=None,
        key: str = "doc", cache=None, final: bool = True, signs: str = "") -> dict:
    """Stage 1 ranks candidates (is this sentence the answer?); stage 2 decides on the options (the best-ranked
    sentences and the handler's quote: which answers, if either?). Both cross-validated over `fold_of` (by document,
    or by question set); returns per record the out-of-fold probability of the option that decides (`oof`) and
    whether that option states the answer (`right`), and with `final` both models fitted on all the records.
    `signs`: "decision" (the decision stage) or "both" (the ranker too) fitted with the known signs (SIGNS)."""
    from answer.answerability import DECISION_NAMES

    names = DECISION_SETS[decision_set] or DECISION_NAMES
    cols = [DECISION_NAMES.index(n) for n in names]
    fold_of = fold_of or doc_folds(records, key=key)
    oof, inner, X, y = _stage1(records, C, fold_of, key, {} if cache is None else cache, signs == "both")
    signed = names if signs else None
    rec_fold = [fold_of[r[key] or ""] for r in records]
    p, right = np.zeros(len(records)), np.zeros(len(records), dtype=bool)
    # Stage 2 learns from one row per record, the option answer.answerability.choose takes (the first); it is
    # then asked about every option, as answer.decide asks it, and the option it rates higher decides.
    for f in sorted(set(rec_fold)):
        Z, yz, _, first, _ = _decision_rows(records, inner[f], ranked, lambda n: rec_fold[n] != f)
        Z, yz, first = np.array(Z)[:, cols], np.array(yz), np.array(first)
        model = _lr(C, weight, signed).fit(Z[first], yz[first])
        Zt, _, owner, _, opt = _decision_rows(records, oof, ranked, lambda n: rec_fold[n] == f)
        if not Zt:
            continue
        pz = model.predict_proba(np.array(Zt)[:, cols])[:, 1]
        # Per record: the option rated higher decides; nothing eligible is a refusal without a decision.
        for i, n in enumerate(owner):
            if pz[i] > p[n]:  # the first option rated highest (a probability is > 0)
                p[n], right[n] = pz[i], bool(records[n]["y"][opt[i]])
    out = {"config": (C, decision_set, ranked, weight), "oof": p, "right": right, "names": names,
           "candidates": len(y), "positives": int(y.sum())}
    if final:
        Z, yz, _, first, _ = _decision_rows(records, oof, ranked, lambda n: True)
        Z, yz, first = np.array(Z)[:, cols], np.array(yz), np.array(first)
        from answer.answerability import FEATURES
        out["ranker"] = _lr(C, signed=FEATURES if signs == "both" else None).fit(X, y)
        out["decider"] = _lr(C, weight, signed).fit(Z[first], yz[first])
    return out


def held_out(records, fits: list[dict], fold_of: dict[str, int], key: str = "doc", rule: str = "cost") -> dict:
    """Transfer to documents the choice never saw: for each fold, the model (C, feature set, options, class weight;
    by `separation`) and the threshold (by `rule`) are chosen on the other folds' out-of-fold probabilities, then
    applied to the fold. (The other folds' probabilities come from models whose training included this fold's
    records: the choice of model and threshold is held out, the coefficients of those other folds' models are not.)
    Returns the rates per fold, pooled, and per question set and mode, from the pooled held-out decisions."""
    fold = np.array([fold_of[r[key] or ""] for r in records])
    answered = np.zeros(len(records), dtype=bool)
    right = np.zeros(len(records), dtype=bool)
    per_fold = []
    for f in sorted(set(fold)):
        tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        sub = [records[i] for i in tr]
        ft = max(fits, key=lambda ft: separation(sub, ft["oof"][tr]))
        thr, _ = choose_threshold(sub, ft["oof"][tr], ft["right"][tr], rule)
        answered[te], right[te] = ft["oof"][te] >= thr, ft["right"][te]
        r = rates([records[i] for i in te], ft["oof"][te], thr, ft["right"][te])
        per_fold.append({"fold": int(f), "documents": len({records[i][key] for i in te}),
                         "answerable": sum(records[i]["answerable"] for i in te),
                         "unanswerable": sum(not records[i]["answerable"] for i in te),
                         "config": list(ft["config"]), "threshold": thr, **_rounded(r)})

    def part(idx) -> dict[str, float]:
        return _rounded(rates([records[i] for i in idx], answered[idx].astype(float), 0.5, right[idx]))

    everything = np.arange(len(records))
    out = {"rule": rule, "folds_by": key, "pooled": part(everything), "per_fold": per_fold,
           "answered": answered, "right": right}  # per record (not written to the model file)
    for g in sorted({r["group"] for r in records if "group" in r}):
        out[g] = part(np.flatnonzero([r.get("group") == g for r in records]))
    for scoped in (True, False):
        out["scoped" if scoped else "no_scope"] = part(np.flatnonzero([r["scoped"] == scoped for r in records]))
    return out


def _rounded(d: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in d.items()}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.fit_answerability")
    p.add_argument("--testset", type=Path, nargs="+", default=[ROOT / "eval/testsets/blind.jsonl"],
                   help="blind question sets; their dev items are fitted on")
    p.add_argument("--home", type=Path, action="append", default=[],
                   help="knowledge base per --testset, in order (default POLICYQA_HOME)")
    p.add_argument("--tuning-home", type=Path, help="knowledge base for the tuning set (default: the first --home)")
    p.add_argument("--files-from", type=Path, default=ROOT.parent / "shared/corpus-dc")
    p.add_argument("--out", type=Path, default=ROOT / "answer/answerability.json")
    p.add_argument("--records", type=Path, help="cache of the collected candidates (JSON)")
    p.add_argument("--tuning-set", type=Path, default=ROOT / "eval/testsets/policyqa.jsonl",
                   help="the project's own tuning set (no split: every item is tuning data); '' to skip")
    p.add_argument("--search", action="store_true",
                   help="choose C, the decision's features and ranked options by `separation` "
                        "(default: DEFAULT_CONFIG)")
    p.add_argument("--rule", choices=RULES, default="cost", help="how the threshold is chosen (choose_threshold)")
    p.add_argument("--compare", type=Path,
                   help="a model file (the committed one) scored on the same records (`compared`)")
    p.add_argument("--tuning-corpus", type=Path, default=ROOT.parent / "shared/corpus")
    p.add_argument("--signs", choices=("decision", "both"),
                   help="fit the decision stage (or both stages) with the weights of known direction bounded to their "
                        "sign (eval.fit_answerability_signs.SIGNS); C is then chosen from CS by `separation`")
    held_back.add_argument(p)
    args = p.parse_args(argv)

    from answer.answerability import FEATURES
    from eval.answerability_compare import compared

    if args.records and args.records.exists():
        records = json.loads(args.records.read_text())
    else:
        from eval.answerability_records import collect_all
        records = collect_all(args)
        if args.records:
            args.records.write_text(json.dumps(records))
    records = [{"group": "", **r} for r in records if r["X"]]
    configs = ([(C, d, k, w) for C in CS for d in DECISION_SETS for k in RANKED_OPTIONS for w in WEIGHTS]
               if args.search else [(C, *DEFAULT_CONFIG[1:]) for C in CS] if args.signs else [DEFAULT_CONFIG])
    cache: dict = {}
    by_doc = doc_folds(records)
    fits = [fit(records, *c, fold_of=by_doc, cache=cache, signs=args.signs or "") for c in configs]
    held = {rule: {"by_document": held_out(records, fits, by_doc, "doc", rule)} for rule in RULES}
    sets = len({r["group"] for r in records})
    # The same choice, each question set held out in turn (new documents by other writers, as b7, b8); with two sets
    # there is none: stage 2 of a fold learns from the sets other than it and another, and there are none.
    if sets > 2:
        by_set = doc_folds(records, folds=sets, key="group")
        set_fits = [fit(records, *c, fold_of=by_set, key="group", cache=cache, final=False, signs=args.signs or "")
                    for c in configs]
        for rule in RULES:
            held[rule]["by_set"] = held_out(records, set_fits, by_set, "group", rule)
    for rule in RULES:
        for how, h in held[rule].items():
            print(f"held out ({rule}, {how}): {h['pooled']}", file=sys.stderr)
            for row in h["per_fold"]:
                print(f"  fold {row['fold']}: {row}", file=sys.stderr)
    # The model by its separation, the threshold by `rule`, on the out-of-fold probabilities of all the dev data.
    ft = max(fits, key=lambda ft: separation(records, ft["oof"]))
    thr, cv = choose_threshold(records, ft["oof"], ft["right"], args.rule)
    cv = {**cv, "cost": cost(cv)}
    for scoped in (True, False):  # the hidden check asks without a document filter: report that mode apart
        idx = [i for i, r in enumerate(records) if r["scoped"] == scoped]
        part = rates([records[i] for i in idx], ft["oof"][idx], thr, ft["right"][idx])
        cv.update({f"{'scoped' if scoped else 'no_scope'}_{k}": v for k, v in part.items()})
    C, dset, ranked, weight = ft["config"]
    out = {
        "features": list(FEATURES),
        "coef": [round(float(w), 5) for w in ft["ranker"].coef_[0]],
        "decision_features": list(ft["names"]),
        "decision_coef": [round(float(w), 5) for w in ft["decider"].coef_[0]],
        "threshold": thr,
        "ranked_options": ranked,
        "fitted": {
            "how": "python -m eval.fit_answerability (two logistic regressions: one ranks candidate sentences, one "
                   "decides on the chosen one and, in use, on the best-ranked sentences when they are others; "
                   + ("C, the decision's feature set and the ranked options it weighs chosen by separation, "
                      if args.search else f"the weights of known direction kept to their sign ({args.signs}; "
                      "eval.fit_answerability_signs.SIGNS), C chosen by separation, the rest of DEFAULT_CONFIG, "
                      if args.signs else "C, the decision's feature set and ranked options fixed (DEFAULT_CONFIG), ")
                   + "the threshold chosen on out-of-fold probabilities, 5 folds grouped by document, on the dev "
                   "split, "
                   f"by the rule {args.rule!r}; held_out: the same choice made without each fold, scored on it)",
            "testset": " ".join(sorted({r["group"] for r in records} - {args.tuning_set.stem})), "split": "dev",
            "tuning_set": args.tuning_set.name if str(args.tuning_set) not in ("", ".") else "", "C": C,
            "decision_set": dset, "ranked_options": ranked, "class_weight": weight, "rule": args.rule,
            "signs": args.signs or "", "separation_by_C": {str(f["config"][0]): round(separation(records, f["oof"]), 4)
                                                          for f in fits},
            "questions": len({r["id"] for r in records}), "records": len(records),
            "documents": len({r["doc"] for r in records}),
            "candidates": ft["candidates"], "positives": ft["positives"],
            "separation": round(separation(records, ft["oof"]), 4),
            "cross_validated": _rounded(cv),
            "held_out": {how: {k: v for k, v in h.items() if k not in ("answered", "right")}
                         for how, h in held[args.rule].items()},
            **({"compared": compared(records, args.compare, held[args.rule]["by_document"])}
               if args.compare else {}),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        },
    }
    if args.compare:  # read before --out may overwrite it
        print(f"compared: {json.dumps(out['fitted']['compared'], ensure_ascii=False)}", file=sys.stderr)
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out["fitted"], ensure_ascii=False), file=sys.stderr)
    for f, w in zip(FEATURES, out["coef"]):
        print(f"  {f:22s} {w:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
