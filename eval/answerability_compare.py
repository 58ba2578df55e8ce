"""A fitted answerability model's own decision on the records eval.fit_answerability collects, beside a refit:
`python -m eval.fit_answerability --compare answer/answerability.json …` writes it into the refit's file
(`fitted.compared`). The committed model was fitted on some question sets only; on the others its figures are held
out, as the refit's are by document — the two are compared on those sets (docs/answerability-transfer.md)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from eval.fit_answerability import _rounded, rates


def decided(records, mdl) -> tuple[np.ndarray, np.ndarray]:
    """A fitted model's own decision on the records, as answer.decide takes it (its ranker, the options of
    answer.answerability.decision_options, its decider; composition aside): per record the rating of the option that
    decides (0 when a handler's refusal stands or nothing is eligible) and whether that option states the answer."""
    from answer.answerability import Candidate, decision_options, refusal_stands

    p, right = np.zeros(len(records)), np.zeros(len(records), dtype=bool)
    for n, r in enumerate(records):
        cands = [Candidate("", 0, "", x=x) for x in r["X"]]
        for c in cands:
            c.prob = mdl.prob(c.x)
        eligible = r.get("eligible", [True] * len(cands))
        for i, runner in decision_options([c.prob for c in cands], eligible, r["structured"],
                                          not r["first_refused"], mdl.ranked):
            if refusal_stands(r["first_refused"], r["X"][i]):
                continue  # the handler's refusal stands against this option (answer.decide)
            a = mdl.answerable(cands[i], runner, r["first_refused"])
            if a > p[n]:
                p[n], right[n] = a, bool(r["y"][i])
    return p, right


def compared(records, path: Path, held: dict) -> dict:
    """The model file at `path` (the committed one) on the same records, per question set and mode, at its own
    threshold; on the sets it was not fitted on (its `fitted.testset` and `tuning_set`) that is a held-out figure,
    and `unseen` sets it beside the refit's held-out figure (`held`, by document) on the same sets — the refit is
    worth keeping only if that falls (docs/answerability-transfer.md)."""
    from answer.answerability import AnswerabilityModel

    mdl = AnswerabilityModel.load(path)
    fitted = mdl.meta.get("fitted", {})
    seen = {Path(n).stem for n in f"{fitted.get('testset', '')} {fitted.get('tuning_set', '')}".split()}
    p, right = decided(records, mdl)
    groups = sorted({r["group"] for r in records})
    unseen = [g for g in groups if g not in seen]

    def part(keep) -> dict[str, float]:
        idx = [i for i, r in enumerate(records) if keep(r)]
        return _rounded(rates([records[i] for i in idx], p[idx], mdl.threshold, right[idx]))

    out = {"model": path.name, "threshold": mdl.threshold, "fitted_on": sorted(seen),
           **{g: part(lambda r, g=g: r["group"] == g) for g in groups},
           "scoped": part(lambda r: r["scoped"]), "no_scope": part(lambda r: not r["scoped"])}
    if unseen:
        mine = np.zeros(len(records), dtype=bool)
        mine[[i for i, r in enumerate(records) if r["group"] in unseen]] = True
        out["unseen"] = {"sets": unseen, "compared": part(lambda r: r["group"] in unseen),
                         "refit_held_out": _rounded(rates([r for r, m in zip(records, mine) if m],
                                                          held["answered"][mine].astype(float), 0.5,
                                                          held["right"][mine]))}
    return out
