"""The sign-constrained logistic regression of `eval.fit_answerability --signs` (eval/fit_answerability_signs.py)."""
import numpy as np

from answer.answerability import DECISION_NAMES
from eval.fit_answerability import _lr
from eval.fit_answerability_signs import SIGNS, SignedLogisticRegression, bounds_for, wrong_signs


def _data(seed=0, n=600):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = a + 0.3 * rng.normal(size=n)  # collinear with a: the unconstrained fit may give it either sign
    X = np.column_stack([np.ones(n), a, b, rng.normal(size=n)])
    y = (rng.random(n) < 1 / (1 + np.exp(-(0.5 + 2 * a - 0.4 * X[:, 3])))).astype(int)
    return X, y


def test_every_signed_name_is_a_feature_the_models_use():
    assert set(SIGNS) <= set(DECISION_NAMES)
    assert all(sign in (1, -1) and reason for sign, reason in SIGNS.values())


def test_with_every_sign_free_it_is_scikit_learns_fit():
    X, y = _data()
    free = ("bias", "f1", "f2", "f3")  # no name of SIGNS: all free
    assert bounds_for(free) == [(None, None)] * 4
    for C, weight in ((0.3, None), (0.03, "balanced")):
        ours = SignedLogisticRegression(free, C=C, class_weight=weight).fit(X, y)
        theirs = _lr(C, weight).fit(X, y)
        assert np.allclose(ours.coef_, theirs.coef_, atol=1e-3)
        assert np.allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-3)  # scikit-learn stops at tol 1e-4


def test_a_weight_of_known_direction_keeps_its_sign():
    X, y = _data()
    # b (collinear with a, which drives the label) named years_missing: it may only lower the probability
    names = ("bias", "cov_full", "years_missing", "scope_unused")
    free = _lr(1.0).fit(X, y)
    signed = SignedLogisticRegression(names, C=1.0).fit(X, y)
    assert free.coef_[0][2] > 0  # unconstrained, the collinear column takes the positive sign
    assert wrong_signs(names, free.coef_[0]) and not wrong_signs(names, signed.coef_[0])
    assert signed.coef_[0][2] == 0.0 and signed.coef_[0][1] > free.coef_[0][1]  # a takes b's share
    assert signed.coef_[0][3] <= 0.0
