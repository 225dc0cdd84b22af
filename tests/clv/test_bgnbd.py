"""BG/NBD: likelihood, fit, P(alive) and the conditional expectation of purchases."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, special

from tests.clv.simulation import TRUE_BGNBD, simulate_bgnbd

# Fader, Hardie & Lee (2005), CDNOW: fitted parameters and a customer with x = 2, t_x = 30.43,
# T = 38.86 weeks who is expected to make 1.226 purchases in the next 39 weeks.
CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def textbook_expectation(params, t, x, t_x, T):
    """FHL 2005 eq. 10 as printed (overflows for large x, T or t)."""
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))
    hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
    numerator = (a + b + x - 1) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp)
    return numerator / (1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))


def integral_expectation(params, t, x, t_x, T):
    """The same expectation by quadrature: P(alive) times the mean over the posterior of an
    active customer (lambda ~ Gamma(r + x, alpha + T), p ~ Beta(a, b + x)) of the purchases
    (1 - exp(-lambda p t)) / p, with lambda integrated out in closed form."""
    r, alpha, a, b = (params[k] for k in ("r", "alpha", "a", "b"))

    def purchases(p):
        if p == 0:
            return (r + x) * t / (alpha + T)
        return -np.expm1(-(r + x) * np.log1p(p * t / (alpha + T))) / p

    def tail(p):  # (1 - p)^(b + x - 1): the Beta weight without p^(a - 1)
        return np.exp((b + x - 1) * np.log1p(-p)) if p < 1 else 0.0

    # The Beta(a, b + x) mass sits below `split` (it narrows as x grows): integrate there with
    # the p^(a - 1) singularity as a weight, and the negligible rest plainly.
    split = min(1.0, 60 * (a + 1) / (b + x))
    near, _ = integrate.quad(
        lambda p: purchases(p) * tail(p), 0, split, weight="alg", wvar=(a - 1, 0), limit=200
    )
    far = 0.0
    if split < 1:
        far, _ = integrate.quad(lambda p: purchases(p) * tail(p) * p ** (a - 1), split, 1)
    value = (near + far) / special.beta(a, b + x)
    alive = 1 / (1 + (x > 0) * a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    return alive * value


def one(values) -> np.ndarray:
    return np.atleast_1d(np.asarray(values, dtype=float))


def test_expectation_reproduces_the_published_cdnow_example(clv):
    expected = clv.bgnbd_expected_purchases(CDNOW, 39, one(2), one(30.43), one(38.86))
    assert expected[0] == pytest.approx(1.226, abs=5e-4)


@pytest.mark.parametrize(
    ("x", "t_x", "T", "t"),
    [(0, 0, 38.86, 39), (1, 2, 3, 52), (5, 30, 38, 39), (20, 30, 38, 52), (2, 1, 1, 200)],
)
def test_expectation_equals_the_textbook_formula_where_it_is_finite(clv, x, t_x, T, t):
    ours = clv.bgnbd_expected_purchases(CDNOW, t, one(x), one(t_x), one(T))[0]
    assert ours == pytest.approx(textbook_expectation(CDNOW, t, x, t_x, T), rel=1e-9)


@pytest.mark.parametrize(
    ("params", "x", "t_x", "T", "t"),
    [
        (CDNOW, 3, 20, 40, 52),
        (CDNOW, 150, 200, 208, 52),
        (CDNOW, 400, 515, 520, 520),
        (CDNOW, 300, 50, 52, 520),
        (CDNOW, 3000, 1000, 1000, 5200),
        (TRUE_BGNBD, 0, 0, 0, 52),
        (TRUE_BGNBD, 60, 100, 300, 52),
        ({"r": 2.0, "alpha": 0.5, "a": 3.0, "b": 40.0}, 800, 780, 780, 104),
    ],
)
def test_expectation_matches_the_posterior_integral_even_for_heavy_buyers(
    clv, params, x, t_x, T, t
):
    ours = clv.bgnbd_expected_purchases(params, t, one(x), one(t_x), one(T))[0]
    assert np.isfinite(ours)
    assert ours == pytest.approx(integral_expectation(params, t, x, t_x, T), rel=1e-6)


def test_textbook_formula_breaks_where_ours_does_not(clv):
    """Why the folded hypergeometric form is used: the printed one gives nan or inf here."""
    with np.errstate(all="ignore"):
        assert not np.isfinite(textbook_expectation(CDNOW, 5200, 3000, 1000, 1000))
    assert np.isfinite(clv.bgnbd_expected_purchases(CDNOW, 5200, one(3000), one(1000), one(1000)))


def test_probability_alive_is_one_without_repeat_purchases(clv):
    alive = clv.bgnbd_probability_alive(CDNOW, np.zeros(3), np.zeros(3), one([0, 10, 500]))
    assert np.array_equal(alive, np.ones(3))


def test_probability_alive_rises_with_recency_and_falls_with_tenure(clv):
    t_x = np.linspace(0.5, 52, 50)
    by_recency = clv.bgnbd_probability_alive(CDNOW, np.full(50, 3.0), t_x, np.full(50, 52.0))
    assert np.all(np.diff(by_recency) > 0)
    T = np.linspace(10, 200, 50)
    by_tenure = clv.bgnbd_probability_alive(CDNOW, np.full(50, 3.0), np.full(50, 10.0), T)
    assert np.all(np.diff(by_tenure) < 0)
    assert np.all((by_recency > 0) & (by_recency <= 1) & (by_tenure > 0) & (by_tenure <= 1))
    # A customer who just bought is the more likely alive the more they bought.
    by_frequency = clv.bgnbd_probability_alive(CDNOW, one([1, 5, 20]), one([52] * 3), one([52] * 3))
    assert np.all(np.diff(by_frequency) > 0)


def test_expected_purchases_grow_with_horizon_and_recency(clv):
    horizons = [
        clv.bgnbd_expected_purchases(CDNOW, t, one(3), one(20), one(40))[0]
        for t in range(1, 300, 10)
    ]
    assert np.all(np.diff(horizons) > 0)
    t_x = np.linspace(1, 40, 40)
    by_recency = clv.bgnbd_expected_purchases(CDNOW, 52, np.full(40, 3.0), t_x, np.full(40, 40.0))
    assert np.all(np.diff(by_recency) > 0)


def test_log_likelihood_gradient_matches_finite_differences(clv):
    rng = np.random.default_rng(3)
    data = simulate_bgnbd(rng, TRUE_BGNBD, rng.uniform(10, 80, 300))
    log_params = np.log([0.7, 3.0, 1.3, 2.0])
    _, grad = clv._bgnbd_terms(log_params, data["x"], data["t_x"], data["T"], gradient=True)
    step = 1e-6
    for i in range(4):
        e = np.eye(4)[i] * step
        up = clv._bgnbd_terms(log_params + e, data["x"], data["t_x"], data["T"])[0].sum()
        down = clv._bgnbd_terms(log_params - e, data["x"], data["t_x"], data["T"])[0].sum()
        assert grad[i].sum() == pytest.approx((up - down) / (2 * step), rel=1e-5, abs=1e-6)


def test_fit_recovers_the_parameters_of_simulated_customers(clv):
    rng = np.random.default_rng(11)
    data = simulate_bgnbd(rng, TRUE_BGNBD, rng.uniform(26, 104, 20_000))
    fit = clv.fit_bgnbd(data["x"], data["t_x"], data["T"])
    assert fit.converged, fit.message
    for name, truth in TRUE_BGNBD.items():
        assert fit.params[name] == pytest.approx(truth, rel=0.12), name
    at_truth = clv.bgnbd_log_likelihood(TRUE_BGNBD, data["x"], data["t_x"], data["T"]).sum()
    assert fit.log_likelihood >= at_truth
    assert fit.log_likelihood == pytest.approx(
        clv.bgnbd_log_likelihood(fit.params, data["x"], data["t_x"], data["T"]).sum(), rel=1e-12
    )


def test_fit_fails_cleanly_when_nobody_repeats(clv):
    zeros = np.zeros(100)
    fit = clv.fit_bgnbd(zeros, zeros, np.full(100, 52.0))
    assert not fit.converged
    assert fit.params is None
    assert "bound" in fit.message
