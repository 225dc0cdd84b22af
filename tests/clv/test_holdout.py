"""Validation on held-out time, on orders simulated from known parameters."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest

from tests.clv.simulation import TRUE_BGNBD, simulate_orders

CALIBRATION_END = datetime.date(2025, 12, 31)


@pytest.fixture(scope="module")
def validation(clv) -> dict:
    orders = simulate_orders(17, 8000, CALIBRATION_END, 730)
    return clv.validate_holdout(orders, CALIBRATION_END, 180)


def test_holdout_fit_recovers_the_simulation(validation):
    assert validation["status"] == "fitted"
    assert validation["customers"] == 8000
    for name, truth in TRUE_BGNBD.items():
        assert validation["params"][name] == pytest.approx(truth, rel=0.25), name


def test_model_predicts_holdout_purchases_and_value_in_aggregate(validation):
    assert abs(validation["purchases"]["model"]["aggregate_error"]) < 0.05
    assert abs(validation["value"]["model"]["aggregate_error"]) < 0.08


def test_model_beats_the_same_rate_baseline_per_customer(validation):
    for measure in ("purchases", "value"):
        model, baseline = validation[measure]["model"], validation[measure]["baseline"]
        assert model["mean_absolute_error"] < baseline["mean_absolute_error"], measure
        assert model["correlation"] > baseline["correlation"], measure
        assert model["correlation"] > 0.5, measure


def test_mean_predictions_follow_actuals_at_every_calibration_frequency(validation):
    table = validation["by_repeat_purchase_days"]
    assert table.index.tolist() == list(range(8))
    assert table["customers"].sum() == validation["customers"]
    assert np.allclose(table["model"], table["actual"], rtol=0.2, atol=0.05)


def test_holdout_counts_only_customers_and_purchase_days_of_the_periods(clv):
    orders = pd.DataFrame(
        {
            "person_id": pd.Series(["a", "a", "a", "a", "b", "c"], dtype="string"),
            "ordered_at": pd.to_datetime(
                [
                    "2025-12-01 10:00",
                    "2026-01-10 10:00",
                    "2026-01-10 18:00",  # same day: one purchase
                    "2026-07-15 10:00",  # after the 180-day holdout
                    "2025-12-31 23:59",
                    "2026-01-02 10:00",  # first purchase in the holdout: not a customer
                ]
            ),
            "order_total": [10.0, 20.0, 5.0, 99.0, 7.0, 8.0],
        }
    )
    result = clv.validate_holdout(orders, CALIBRATION_END, 180, min_repeat_customers=0)
    assert result["customers"] == 2
    assert result["holdout_purchases_per_customer"] == pytest.approx(0.5)  # a: 1, b: 0
    predicted = result["status"] in ("fitted", "fitted_mean_spend")
    assert not predicted or result["purchases"]["model"]["total_actual"] == 1


def test_holdout_without_a_spend_model_still_measures_purchases(clv):
    """Every purchase worth the same: Gamma-Gamma cannot be fitted, BG/NBD can, and its
    purchase predictions are validated like a full fit's."""
    orders = simulate_orders(17, 3000, CALIBRATION_END, 730).assign(order_total=50.0)
    # one order a day: orders of one day are one purchase, and two would make it worth 100
    days = orders.assign(day=orders["ordered_at"].dt.date)
    orders = orders[~days.duplicated(["person_id", "day"])]
    result = clv.validate_holdout(orders, CALIBRATION_END, 180)
    assert result["status"] == "fitted_mean_spend"
    assert abs(result["purchases"]["model"]["aggregate_error"]) < 0.1


def test_too_few_repeat_customers_are_reported_not_raised(clv):
    orders = simulate_orders(3, 40, CALIBRATION_END, 60)
    result = clv.validate_holdout(orders, CALIBRATION_END, 180)
    assert result["status"] == "insufficient_data"
    assert "purchases" not in result
