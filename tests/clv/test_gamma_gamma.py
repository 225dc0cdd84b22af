"""Gamma-Gamma: likelihood, fit and the conditional expectation of spend."""

from __future__ import annotations

import numpy as np
import pytest

from tests.clv.simulation import TRUE_GAMMA_GAMMA, simulate_spend

# Fader & Hardie (2013), CDNOW: p = 6.25, q = 3.74, gamma = 15.44.
CDNOW = {"p": 6.25, "q": 3.74, "gamma": 15.44}


def simulated(seed: int, customers: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    purchases = rng.integers(1, 12, customers)
    values = simulate_spend(rng, TRUE_GAMMA_GAMMA, purchases)
    return purchases.astype(float), np.array([v.mean() for v in values])


def test_expected_value_is_the_population_mean_without_repeat_purchases(clv):
    mean = CDNOW["p"] * CDNOW["gamma"] / (CDNOW["q"] - 1)
    value = clv.gamma_gamma_expected_value(CDNOW, np.zeros(2), np.array([np.nan, 80.0]))
    assert value == pytest.approx([mean, mean])


def test_expected_value_moves_from_the_population_mean_to_the_customer_mean(clv):
    population = CDNOW["p"] * CDNOW["gamma"] / (CDNOW["q"] - 1)
    x = np.array([1.0, 2, 5, 20, 1000])
    high = clv.gamma_gamma_expected_value(CDNOW, x, np.full(5, 100.0))
    low = clv.gamma_gamma_expected_value(CDNOW, x, np.full(5, 10.0))
    assert np.all(np.diff(high) > 0) and np.all(high > population) and np.all(high < 100)
    assert np.all(np.diff(low) < 0) and np.all(low < population) and np.all(low > 10)
    assert high[-1] == pytest.approx(100, rel=0.01)


def test_log_likelihood_gradient_matches_finite_differences(clv):
    x, m = simulated(5, 300)
    log_params = np.log([3.0, 2.5, 0.8])
    scaled = m / np.median(m)
    _, grad = clv._gamma_gamma_terms(log_params, x, scaled, gradient=True)
    step = 1e-6
    for i in range(3):
        e = np.eye(3)[i] * step
        up = clv._gamma_gamma_terms(log_params + e, x, scaled)[0].sum()
        down = clv._gamma_gamma_terms(log_params - e, x, scaled)[0].sum()
        assert grad[i].sum() == pytest.approx((up - down) / (2 * step), rel=1e-5, abs=1e-6)


def test_log_likelihood_is_a_density_of_the_mean_spend(clv):
    """Integrates to 1 over m for a fixed x (so fitted log-likelihoods are comparable)."""
    m = np.linspace(1e-6, 2000, 400_001)
    for x in (1.0, 4.0):
        density = np.exp(clv.gamma_gamma_log_likelihood(CDNOW, np.full(len(m), x), m))
        assert np.trapezoid(density, m) == pytest.approx(1.0, abs=1e-4)


def test_fit_recovers_the_parameters_of_simulated_customers(clv):
    x, m = simulated(7, 40_000)
    fit = clv.fit_gamma_gamma(x, m)
    assert fit.converged, fit.message
    for name, truth in TRUE_GAMMA_GAMMA.items():
        assert fit.params[name] == pytest.approx(truth, rel=0.1), name
    p, q, gamma = (fit.params[k] for k in ("p", "q", "gamma"))
    truth = TRUE_GAMMA_GAMMA["p"] * TRUE_GAMMA_GAMMA["gamma"] / (TRUE_GAMMA_GAMMA["q"] - 1)
    assert p * gamma / (q - 1) == pytest.approx(truth, rel=0.02)  # the population mean spend
    assert fit.log_likelihood >= clv.gamma_gamma_log_likelihood(TRUE_GAMMA_GAMMA, x, m).sum()
    assert fit.log_likelihood == pytest.approx(
        clv.gamma_gamma_log_likelihood(fit.params, x, m).sum(), rel=1e-12
    )


def test_fit_does_not_depend_on_the_currency_unit(clv):
    x, m = simulated(8, 2000)
    in_units, in_cents = clv.fit_gamma_gamma(x, m), clv.fit_gamma_gamma(x, m * 100)
    assert in_cents.params["p"] == pytest.approx(in_units.params["p"], rel=1e-6)
    assert in_cents.params["q"] == pytest.approx(in_units.params["q"], rel=1e-6)
    assert in_cents.params["gamma"] == pytest.approx(in_units.params["gamma"] * 100, rel=1e-6)


def test_fit_fails_cleanly_when_every_purchase_has_the_same_value(clv):
    fit = clv.fit_gamma_gamma(np.repeat([1.0, 2, 3, 4], 20), np.full(80, 50.0))
    assert not fit.converged
    assert fit.message == "every mean spend is the same"
    assert fit.params is None
