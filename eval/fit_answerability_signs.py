"""A logistic regression whose weights keep the signs known before any data is read (`--signs` of
eval.fit_answerability; docs/answerability-transfer.md section 17).

The unconstrained decision stage of the committed model weighs "the asked year is missing from the sentence" and "the
share of the question's words no document in scope uses" POSITIVELY (+0.63, +0.37) and the share of asked kinds the
sentence carries negatively: collinear features settle where the dev rows put them, and on documents nobody fitted
(b18 509-20, 582-20, b16 147-11, b17 579-18) a missing year then raises a weak sentence over a handler's refusal. For a
feature whose direction follows from what it measures, the fit may only give it that sign or zero; the others are free.

The loss is scikit-learn's (LogisticRegression, fit_intercept=False: half the squared weights plus C times the summed,
class-weighted log loss; the bias is a column and penalised as there), minimised by L-BFGS-B with each signed weight
bounded at zero — with every sign free it is scikit-learn's fit (tests/test_fit_answerability_signs.py).
"""
from __future__ import annotations

import numpy as np

# Feature → +1 (can only raise the probability that the candidate answers) or -1 (can only lower it), with the reason.
# Names of answer.answerability.FEATURES and DECISION_EXTRA; a name not here is free (its direction is not known a
# priori: bias, has_vector, asks_specific, structured, n_words, log_length, heading_only, retrieved_sentence — a
# property of the question or of the source whose effect depends on the rest).
SIGNS: dict[str, tuple[int, str]] = {
    "cov_full": (+1, "more of the question's words in the sentence with its titles: more of the question stated"),
    "cov_sentence": (+1, "more of the question's words in the sentence itself"),
    "bigram_overlap": (+1, "more of the question's character pairs in the sentence"),
    "vector_sim": (+1, "the encoder finds question and sentence closer"),
    "rank_recip": (+1, "retrieval ranked the sentence's unit higher"),
    "rel_score": (+1, "retrieval scored the sentence's unit higher relative to the best"),
    "carried_share": (+1, "the sentence carries more of the asked kinds of fact (amount, date, organisation, ...)"),
    "all_covered": (+1, "every word of the question is in the sentence with its titles"),
    "amount_clause_cov": (+1, "the clause around the sentence's figure covers more of the question"),
    "prob": (+1, "the ranker rates the sentence likelier to state the answer"),
    "margin": (+1, "the sentence beats the runner-up by more"),
    "asks_amount_missing": (-1, "an amount is asked and the sentence has none"),
    "asks_date_missing": (-1, "a date is asked and the sentence has none"),
    "asks_org_missing": (-1, "an organisation is asked and the sentence names none"),
    "years_missing": (-1, "the asked year is not in the sentence"),
    "domain_missing": (-1, "a policy term of the question is missing from the sentence"),
    "scope_absent": (-1, "a word of the question is used by no document in scope"),
    "scope_unused": (-1, "a larger share of the question's words is used by no document in scope"),
    "missing_count": (-1, "more of the question's words are missing"),
    "other_year_due": (-1, "the sentence sets a figure for another year than the asked one"),
    "amount_clause_off_topic": (-1, "every figure of the sentence is about another policy term"),
    "missing_beside_list": (-1, "the sentence enumerates siblings of a missing asked word"),
    "first_refused": (-1, "the structured handler refused: the knowledge store has no such fact"),
}


def bounds_for(names) -> list[tuple[float | None, float | None]]:
    """L-BFGS-B bounds per weight: [0, inf) for +1, (-inf, 0] for -1, free otherwise."""
    return [(0.0, None) if SIGNS.get(n, (0,))[0] > 0 else (None, 0.0) if SIGNS.get(n, (0,))[0] < 0
            else (None, None) for n in names]


class SignedLogisticRegression:
    """scikit-learn's LogisticRegression (no intercept, L2) with the weights of SIGNS bounded to their sign; the
    same fit/predict_proba/coef_ surface as the fit tool uses."""

    def __init__(self, names, C: float = 1.0, class_weight=None):
        self.names, self.C, self.class_weight = tuple(names), C, class_weight

    def fit(self, X, y):
        from scipy.optimize import minimize

        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=int)
        if X.shape[1] != len(self.names):
            raise ValueError(f"{X.shape[1]} columns for {len(self.names)} named features")
        sw = np.ones(len(y))
        if self.class_weight == "balanced":
            counts = np.bincount(y, minlength=2)
            sw = len(y) / (2.0 * counts[y])
        s = 2 * y - 1  # labels as ±1

        def loss(w):
            z = s * (X @ w)
            # log(1 + exp(-z)) without overflow, and its derivative -sigmoid(-z)
            lo = np.logaddexp(0.0, -z)
            g = -np.exp(-np.logaddexp(0.0, z))
            return 0.5 * w @ w + self.C * sw @ lo, w + self.C * (X.T @ (sw * g * s))

        res = minimize(loss, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", bounds=bounds_for(self.names),
                       options={"maxiter": 5000, "gtol": 1e-8, "ftol": 1e-12})
        self.coef_ = res.x[None, :]
        self.n_iter_ = res.nit
        return self

    def predict_proba(self, X):
        p = 1 / (1 + np.exp(-np.clip(np.asarray(X, dtype=float) @ self.coef_[0], -30, 30)))
        return np.column_stack([1 - p, p])


def wrong_signs(names, coef) -> list[str]:
    """The weights of a fitted model against their known sign (name and weight), for the report."""
    return [f"{n} {w:+.3f}" for n, w in zip(names, coef) if SIGNS.get(n, (0,))[0] * w < -1e-9]
