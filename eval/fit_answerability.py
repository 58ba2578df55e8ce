"""Refit the answerability model (answer/answerability.json) from the DEV split of the blind test set.

    POLICYQA_HOME=DIR python -m eval.fit_answerability [--testset eval/testsets/blind.jsonl]
        [--files-from ../shared/corpus-dc] [--out answer/answerability.json]

Every dev question is asked twice (within its document, and with no document filter); every candidate
sentence the answerer considered is labelled positive when the question is answerable and the sentence
states (part of) its `gold_quote`. A logistic regression is fitted on the candidates; its out-of-fold
probabilities (GroupKFold by document, so no document is scored by a model that saw it) choose the threshold
that maximises the share of questions decided right (answered from a gold sentence, or refused when
unanswerable). Only `split == "dev"` items are read; the test split is never touched.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def collect(service, items, doc_map) -> list[dict]:
    """One record per (item, mode): the candidates' features and labels, and what the handler answered."""
    from answer import answerability as A
    from answer import decide

    records = []
    for item in items:
        doc_ids = doc_map.get(item.doc, ()) if item.doc else ()
        for scoped in (True, False):
            decide.COLLECTOR = []
            try:
                service.ask(item.question, doc=doc_ids[0] if (scoped and doc_ids) else None)
            finally:
                got, decide.COLLECTOR = decide.COLLECTOR, None
            if not got:
                continue  # a structured route (listing, counting, enterprise): not decided by the model
            g = got[-1]
            cands = g["candidates"]
            labels = [int(item.answerable and A.gold_match(c.sentence, item.gold_quote or "", item.must_contain))
                      for c in cands]
            records.append({"id": item.id, "doc": item.doc or "", "answerable": item.answerable, "scoped": scoped,
                            "first_refused": g["first"].refused,
                            "X": [c.x for c in cands], "y": labels,
                            "structured": [c.structured for c in cands],
                            "eligible": [c.eligible for c in cands]})
    return records


def _options(rec: dict, probs: np.ndarray) -> list[tuple[int, float]]:
    """Mirror of answer.decide: the candidates the decision weighs — the one answer.answerability.choose takes
    (the structured handler's quote when it ranks about as well as the best sentence), then the best-ranked
    eligible sentence when it is another — each with the probability of the best other candidate (the runner-up)."""
    from answer.answerability import STRUCTURED_SLACK
    probs = np.where(np.array(rec.get("eligible", [True] * len(probs))), probs, -1.0)
    best = int(np.argmax(probs))
    if probs[best] < 0:
        return []
    chosen = [best]
    st = [i for i, s in enumerate(rec["structured"]) if s and probs[i] >= 0]
    if not rec["first_refused"] and st:
        s = max(st, key=lambda i: probs[i])
        if s != best and probs[s] >= probs[best] - STRUCTURED_SLACK:
            chosen.insert(0, s)  # choose() takes it: the first option

    def runner(i):
        others = [p for j, p in enumerate(probs) if j != i and p >= 0]
        return max(others) if others else 0.0
    return [(i, runner(i)) for i in chosen]


def choose_threshold(records, p_answer, min_refusal: float = 0.85) -> tuple[float, float, float, float]:
    """The threshold that answers most answerable questions right while refusing at least `min_refusal`
    of the unanswerable ones (the issue's bar); without such a threshold, the best balanced one."""
    ans = [i for i, r in enumerate(records) if r["answerable"]]
    una = [i for i, r in enumerate(records) if not r["answerable"]]
    rows = []
    for thr in np.arange(0.05, 0.96, 0.01):
        right = [(p >= thr and r["answerable"] and r["chosen_right"]) or (p < thr and not r["answerable"])
                 for r, p in zip(records, p_answer)]
        a, u = np.mean([right[i] for i in ans]), np.mean([right[i] for i in una])
        rows.append((float(round(thr, 2)), float(0.5 * (a + u)), float(a), float(u)))
    ok = [r for r in rows if r[3] >= min_refusal]
    return max(ok, key=lambda r: (r[2], -r[0])) if ok else max(rows, key=lambda r: r[1])


def _lr(C):
    from sklearn.linear_model import LogisticRegression
    return LogisticRegression(C=C, max_iter=3000, fit_intercept=False)


def fit(records, C: float = 1.0):
    """Stage 1 ranks candidates (is this sentence the answer?); stage 2 decides on the options (the best-ranked
    sentence and the handler's quote: which answers, if either?). Both cross-validated by document; the threshold from stage 2's
    out-of-fold probabilities."""
    from sklearn.model_selection import GroupKFold
    from answer.answerability import decision_features

    from answer.answerability import refusal_stands

    records = [r for r in records if r["X"]]
    X = np.array([x for r in records for x in r["X"]], dtype=float)
    y = np.array([v for r in records for v in r["y"]], dtype=int)
    groups = np.array([r["doc"] or "" for r in records for _ in r["X"]])
    folds = list(GroupKFold(n_splits=5).split(X, y, groups))
    oof = np.zeros(len(y))
    for train, test in folds:
        oof[test] = _lr(C).fit(X[train], y[train]).predict_proba(X[test])[:, 1]
    # Stage 2 learns from one row per record, the option answer.answerability.choose takes (the first); it is
    # then asked about every option, as answer.decide asks it, and the option it rates higher decides.
    Z, yz, gz, owner, first, k = [], [], [], [], [], 0
    for n, r in enumerate(records):
        probs = oof[k: k + len(r["X"])]
        k += len(r["X"])
        r["options"] = []
        # A handler refusal that stands never reaches the decision (answer.decide): refused, no row.
        stands = refusal_stands(r["first_refused"], r["X"][0])
        for j, (i, runner) in enumerate(() if stands else _options(r, probs)):
            r["options"].append(i)
            Z.append(decision_features(r["X"][i], float(probs[i]), float(probs[i] - runner), r["first_refused"]))
            yz.append(int(r["answerable"] and r["y"][i]))
            gz.append(r["doc"] or "")
            owner.append(n)
            first.append(j == 0)
    Z, yz, gz, owner, first = np.array(Z), np.array(yz), np.array(gz), np.array(owner), np.array(first)
    oofz = np.zeros(len(yz))
    for train, test in GroupKFold(n_splits=5).split(Z, yz, gz):
        train = train[first[train]]
        oofz[test] = _lr(C).fit(Z[train], yz[train]).predict_proba(Z[test])[:, 1]
    # Per record: the option rated higher decides; nothing eligible is a refusal without a decision.
    oof2 = np.zeros(len(records))
    for n, r in enumerate(records):
        rows = np.flatnonzero(owner == n)
        r["chosen_right"] = False
        if len(rows):
            best = int(np.argmax(oofz[rows]))
            oof2[n] = oofz[rows[best]]
            r["chosen_right"] = bool(r["y"][r["options"][best]])
    thr, cv, cv_ans, cv_una = choose_threshold(records, oof2)
    ranker = _lr(C).fit(X, y)
    decider = _lr(C).fit(Z[first], yz[first])
    return ranker, decider, thr, {"balanced": cv, "answer_accuracy_proxy": cv_ans, "refusal_accuracy": cv_una}, \
        len(y), int(y.sum())


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m eval.fit_answerability")
    p.add_argument("--testset", type=Path, default=ROOT / "eval/testsets/blind.jsonl")
    p.add_argument("--files-from", type=Path, default=ROOT.parent / "shared/corpus-dc")
    p.add_argument("--out", type=Path, default=ROOT / "answer/answerability.json")
    p.add_argument("--records", type=Path, help="cache of the collected candidates (JSON)")
    p.add_argument("--tuning-set", type=Path, default=ROOT / "eval/testsets/policyqa.jsonl",
                   help="the project's own tuning set (no split: every item is tuning data); '' to skip")
    p.add_argument("--tuning-corpus", type=Path, default=ROOT.parent / "shared/corpus")
    args = p.parse_args(argv)

    from answer.answerability import FEATURES

    if args.records and args.records.exists():
        records = json.loads(args.records.read_text())
    else:
        from answer import answerability
        from errors import ConfigError

        try:
            answerability.model()
        except ConfigError as e:  # refitting is the remedy: collect with the unfitted prior, and say so
            print(f"{e}: collecting candidates with the unfitted prior", file=sys.stderr)
            answerability._MODEL = answerability.AnswerabilityModel()
        from eval.runner import load_testset, resolve_docs
        from service import PolicyService
        from settings import Settings

        items = [it for it in load_testset(args.testset) if it.split == "dev"]
        service = PolicyService(Settings())
        try:
            service.ensure_default_corpus()
            service.ingest(sorted({args.files_from / it.file for it in items if it.file}))
            if str(args.tuning_set) not in ("", ".") and args.tuning_set.exists():
                service.ingest([args.tuning_corpus])
                items += [it for it in load_testset(args.tuning_set) if it.split in ("", "dev")]
            doc_map = resolve_docs(list(service.documents()), items)
            records = collect(service, items, doc_map)
        finally:
            service.close()
        if args.records:
            args.records.write_text(json.dumps(records))
    cs = {}
    for C in (0.1, 1.0, 10.0):
        ranker, decider, thr, cv, n, pos = fit(records, C)
        cs[C] = (cv, ranker, decider, thr, n, pos)
        print(f"C={C}: cross-validated {cv} at threshold {thr}", file=sys.stderr)
    C = max(cs, key=lambda c: (cs[c][0]["refusal_accuracy"] >= 0.85, cs[c][0]["answer_accuracy_proxy"]))
    cv, lr, decider, thr, n, pos = cs[C]
    out = {
        "features": list(FEATURES),
        "coef": [round(float(w), 5) for w in lr.coef_[0]],
        "decision_coef": [round(float(w), 5) for w in decider.coef_[0]],
        "threshold": thr,
        "fitted": {
            "how": "python -m eval.fit_answerability (two logistic regressions: one ranks candidate sentences, one decides on the chosen one "
                   "and, in use, on the best-ranked sentence when that is another; C and the threshold chosen by 5-fold GroupKFold by "
                   "document on the dev split)",
            "testset": str(args.testset.name), "split": "dev",
            "tuning_set": args.tuning_set.name if str(args.tuning_set) not in ("", ".") else "", "C": C,
            "questions": len({r["id"] for r in records}), "records": len(records),
            "candidates": n, "positives": pos,
            "cross_validated": {k: round(v, 4) for k, v in cv.items()},
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
        },
    }
    args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out["fitted"], ensure_ascii=False), file=sys.stderr)
    for f, w in zip(FEATURES, out["coef"]):
        print(f"  {f:22s} {w:+.3f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
