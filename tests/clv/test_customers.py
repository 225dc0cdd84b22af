"""From orders to one row per customer: the summary, the statuses and the edge cases."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tests.clv.simulation import simulate_orders

AS_OF = datetime.date(2026, 3, 31)
PREDICTIONS = [
    "probability_alive",
    "predicted_purchases_12_months",
    "predicted_average_order_value",
    "predicted_clv_12_months",
]


def output_dtypes(clv) -> dict:
    """The dtype each output column must have: a summary column keeps the summary's."""
    dtypes = {
        **clv.SUMMARY_DTYPES,
        "as_of_date": pd.ArrowDtype(pa.date32()),
        **dict.fromkeys(PREDICTIONS, "float64"),
        "clv_model_status": "string",
    }
    return {column: dtypes[column] for column in clv.OUTPUT_COLUMNS}


def orders(*rows: tuple[str, str, float]) -> pd.DataFrame:
    person, at, total = zip(*rows, strict=True) if rows else ((), (), ())
    return pd.DataFrame(
        {
            "person_id": pd.Series(person, dtype="string"),
            "ordered_at": pd.Series(pd.to_datetime(list(at)), dtype="datetime64[us]"),
            "order_total": pd.Series(total, dtype="float64"),
        }
    )


@pytest.fixture(scope="module")
def simulated_orders() -> pd.DataFrame:
    data = simulate_orders(21, 3000, AS_OF, 730)
    return data[data["ordered_at"] < pd.Timestamp(AS_OF) + pd.Timedelta(days=1)]


def test_summary_counts_purchase_days_and_measures_weeks_on_the_day_grid(clv):
    summary = clv.summarize_customers(
        orders(
            ("b", "2026-03-03 08:00", 10.0),
            ("a", "2026-01-06 23:59", 20.0),
            ("a", "2026-01-06 00:01", 5.0),  # same day: one purchase day worth 25
            ("a", "2026-01-20 12:00", 40.0),
            ("a", "2026-02-03 09:00", 60.0),
            ("a", "2026-02-03 09:00", 0.0),  # identical timestamp, still a second order
        ),
        AS_OF,
    ).set_index("person_id")
    a, b = summary.loc["a"], summary.loc["b"]
    assert (a["orders"], a["purchase_days"], a["repeat_purchase_days"]) == (5, 3, 2)
    assert a["recency_weeks"] == pytest.approx(28 / 7)  # 6 Jan to 3 Feb
    assert a["tenure_weeks"] == pytest.approx(84 / 7)  # 6 Jan to 31 Mar
    assert a["clv_to_date"] == pytest.approx(125.0)
    assert a["average_order_value"] == pytest.approx(25.0)
    assert a["repeat_purchase_day_value"] == pytest.approx(50.0)  # (40 + 60) / 2, first day out
    assert (b["repeat_purchase_days"], b["recency_weeks"]) == (0, 0.0)
    assert b["tenure_weeks"] == pytest.approx(28 / 7)
    assert np.isnan(b["repeat_purchase_day_value"])
    assert list(summary.index) == ["a", "b"]


def test_orders_after_the_as_of_date_are_left_out(clv):
    data = orders(("a", "2026-03-01 10:00", 5.0), ("a", "2026-04-01 00:00", 7.0))
    summary = clv.summarize_customers(data, AS_OF)
    assert summary[["orders", "clv_to_date"]].values.tolist() == [[1, 5.0]]
    assert clv.summarize_customers(orders(("late", "2026-04-02 10:00", 1.0)), AS_OF).empty


def test_timestamps_with_a_time_zone_count_on_utc_days(clv):
    data = orders(("a", "2026-03-01 12:00", 1.0), ("a", "2026-03-02 12:00", 1.0))
    data["ordered_at"] = pd.Series(
        pd.to_datetime(["2026-03-01 23:30", "2026-03-02 01:30"]).tz_localize("Europe/Paris")
    )  # 22:30 and 00:30 UTC: two UTC days
    summary = clv.summarize_customers(data, AS_OF)
    assert summary["purchase_days"].tolist() == [2]


def test_no_customers_give_no_rows_with_the_output_types(clv):
    result = clv.customers_clv(orders(), AS_OF, 365)
    assert result.empty
    assert result.dtypes.to_dict() == output_dtypes(clv)


def test_one_time_buyers_only_give_insufficient_data_and_no_predictions(clv):
    data = orders(*[(f"p{i}", f"2026-01-{1 + i % 28:02d} 10:00", 10.0 + i) for i in range(200)])
    result = clv.customers_clv(data, AS_OF, 365)
    assert len(result) == 200
    assert set(result["clv_model_status"]) == {"insufficient_data"}
    assert result[PREDICTIONS].isna().all().all()
    assert (result["orders"] == 1).all() and result["clv_to_date"].notna().all()


def test_a_single_customer_gets_a_row_without_a_fit(clv):
    data = orders(("solo", "2025-06-01 10:00", 30.0), ("solo", "2025-09-01 10:00", 50.0))
    result = clv.customers_clv(data, AS_OF, 365)
    assert result["person_id"].tolist() == ["solo"]
    assert result["clv_model_status"].tolist() == ["insufficient_data"]
    assert result.loc[0, "repeat_purchase_days"] == 1
    assert result.dtypes.to_dict() == output_dtypes(clv)


def test_identical_timestamps_are_one_purchase_day(clv):
    same = "2026-02-01 12:00"
    data = orders(*[(f"p{i % 50}", same, 20.0) for i in range(150)])
    result = clv.customers_clv(data, AS_OF, 365)
    assert (result["orders"] == 3).all() and (result["purchase_days"] == 1).all()
    assert set(result["clv_model_status"]) == {"insufficient_data"}


def test_just_enough_repeat_customers_are_fitted_and_one_fewer_are_not(clv, simulated_orders):
    summary = clv.summarize_customers(simulated_orders, AS_OF)
    repeaters = int((summary["repeat_purchase_days"] > 0).sum())
    assert clv.fit_clv(summary, min_repeat_customers=repeaters).status == "fitted"
    assert clv.fit_clv(summary, min_repeat_customers=repeaters + 1).status == "insufficient_data"


def test_without_a_spend_model_a_purchase_is_worth_the_shrunk_mean_spend(clv, simulated_orders):
    """Every purchase has the same value: Gamma-Gamma has no optimum (p runs off), so BG/NBD
    still predicts purchases and each is worth the (shrunk) mean spend of its purchase days
    (50 per order, 100 on the rare days with two orders)."""
    constant = simulated_orders.assign(order_total=50.0)
    result = clv.customers_clv(constant, AS_OF, 365)
    assert set(result["clv_model_status"]) == {"fitted_mean_spend"}
    assert result[PREDICTIONS].notna().all().all()
    value = result["predicted_average_order_value"]
    assert value.between(50.0, 100.0).all() and value.median() < 51.0
    one_time = result["repeat_purchase_days"] == 0
    assert result.loc[one_time, "predicted_average_order_value"].nunique() == 1
    assert np.allclose(
        result["predicted_clv_12_months"], value * result["predicted_purchases_12_months"]
    )
    fitted = clv.customers_clv(simulated_orders, AS_OF, 365)
    pd.testing.assert_series_equal(
        result["predicted_purchases_12_months"], fitted["predicted_purchases_12_months"]
    )


def test_a_failed_purchase_fit_keeps_the_rows_and_nulls_the_predictions(clv):
    """Sixty customers who all repeat on a regular schedule: BG/NBD finds no optimum."""
    rows = []
    for i in range(60):
        rows += [(f"p{i}", "2025-06-01 10:00", 50.0)]
        rows += [
            (f"p{i}", f"2025-{7 + k:02d}-{1 + i % 9:02d} 10:00", 50.0) for k in range(1 + i % 4)
        ]
    result = clv.customers_clv(orders(*rows), AS_OF, 365)
    assert len(result) == 60
    assert set(result["clv_model_status"]) == {"fit_failed"}
    assert result[PREDICTIONS].isna().all().all()


def test_shrunk_mean_spend_weighs_the_population_mean_as_one_purchase(clv):
    x, m = np.array([0.0, 1.0, 3.0]), np.array([np.nan, 80.0, 20.0])
    assert np.allclose(clv.shrunk_mean_spend(40.0, x, m), [40.0, 60.0, 25.0])


def test_fitted_predictions_are_consistent(clv, simulated_orders):
    result = clv.customers_clv(simulated_orders, AS_OF, 365)
    assert set(result["clv_model_status"]) == {"fitted"}
    assert result.dtypes.to_dict() == output_dtypes(clv)
    assert result[PREDICTIONS].notna().all().all()
    assert result["probability_alive"].between(0, 1).all()
    one_time = result["repeat_purchase_days"] == 0
    assert (result.loc[one_time, "probability_alive"] == 1).all()
    assert result.loc[one_time, "predicted_average_order_value"].nunique() == 1
    assert np.allclose(
        result["predicted_clv_12_months"],
        result["predicted_purchases_12_months"] * result["predicted_average_order_value"],
    )
    longer = clv.customers_clv(simulated_orders, AS_OF, 730)
    assert (longer["predicted_purchases_12_months"] > result["predicted_purchases_12_months"]).all()


def test_same_orders_in_another_order_give_identical_rows(clv, simulated_orders):
    shuffled = simulated_orders.sample(frac=1.0, random_state=5).reset_index(drop=True)
    first = clv.customers_clv(simulated_orders, AS_OF, 365)
    pd.testing.assert_frame_equal(first, clv.customers_clv(shuffled, AS_OF, 365), check_exact=True)


def test_non_finite_predictions_are_published_as_a_failed_fit(clv, simulated_orders):
    summary = clv.summarize_customers(simulated_orders, AS_OF)
    broken = {"r": 0.5, "alpha": float("nan"), "a": 0.8, "b": 2.5, "p": 6.0, "q": 4.0, "gamma": 30}
    result = clv.predict_clv(summary, clv.ClvFit("fitted", "converged", params=broken), 365)
    assert set(result["clv_model_status"]) == {"fit_failed"}
    assert result[PREDICTIONS].isna().all().all()


def test_an_error_while_fitting_is_a_failed_fit_not_a_failed_build(
    clv, simulated_orders, monkeypatch
):
    def overflow(*args):
        raise FloatingPointError("overflow")

    monkeypatch.setattr(clv, "fit_bgnbd", overflow)
    result = clv.customers_clv(simulated_orders, AS_OF, 365)
    assert set(result["clv_model_status"]) == {"fit_failed"}
    assert result[PREDICTIONS].isna().all().all()
