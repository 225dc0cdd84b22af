"""The dbt entry point, model(dbt, session), with stand-ins for dbt's ref and config."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from tests.clv.simulation import simulate_orders
from tests.dbt_python_models import FakeDbt

AS_OF = datetime.date(2026, 3, 31)


def warehouse_tables(orders: pd.DataFrame) -> dict[str, pd.DataFrame]:
    as_of = pd.DataFrame(
        {
            "as_of_date": [AS_OF],
            "as_of_ends_at": [pd.Timestamp(AS_OF) + pd.Timedelta(days=1)],
        }
    )
    counted = pd.DataFrame(
        {
            "order_id": [f"o{i}" for i in range(len(orders))],
            "person_id": orders["person_id"].astype(object),
            "ordered_at": orders["ordered_at"],
            "order_total_reporting": orders["order_total"],
        }
    )
    return {"int_persons_profiled": as_of, "int_completed_orders_filtered": counted}


@pytest.fixture(scope="module")
def counted_orders() -> pd.DataFrame:
    data = simulate_orders(4, 1500, AS_OF, 730)
    return data[data["ordered_at"] < pd.Timestamp(AS_OF) + pd.Timedelta(days=1)].reset_index(
        drop=True
    )


def test_model_values_every_counted_order_of_every_customer(clv, counted_orders):
    """int_completed_orders_filtered (unit-tested in dbt) decides which orders count; the model
    takes all of them, a first order in the as-of date's last minute included."""
    tables = warehouse_tables(counted_orders)
    newcomer = pd.DataFrame(
        {
            "order_id": ["x1"],
            "person_id": ["newcomer"],
            "ordered_at": pd.to_datetime(["2026-03-31 23:59"]).astype("datetime64[us]"),
            "order_total_reporting": [12.5],
        }
    )
    tables["int_completed_orders_filtered"] = pd.concat(
        [tables["int_completed_orders_filtered"], newcomer], ignore_index=True
    )
    result = clv.model(FakeDbt(tables, {"clv_horizon_days": "365"}), None)
    with_newcomer = pd.concat(
        [counted_orders, pd.DataFrame({"person_id": ["newcomer"], "order_total": [12.5]})]
    )
    expected = with_newcomer.groupby("person_id")["order_total"].agg(["size", "sum"])
    assert result["person_id"].tolist() == sorted(expected.index)
    by_person = result.set_index("person_id")
    assert by_person["orders"].tolist() == expected["size"].tolist()
    assert by_person["clv_to_date"].to_numpy() == pytest.approx(expected["sum"].to_numpy())
    assert by_person.loc["newcomer", "tenure_weeks"] == 0
    assert set(result["clv_model_status"]) == {"fitted"}
    assert set(result["as_of_date"]) == {AS_OF}


def test_model_reads_the_horizon_from_config_meta(clv, counted_orders):
    tables = warehouse_tables(counted_orders)
    year = clv.model(FakeDbt(tables, {"clv_horizon_days": "365"}), None)
    half = clv.model(FakeDbt(tables, {"clv_horizon_days": 182}), None)
    direct = clv.customers_clv(counted_orders, AS_OF, 182)
    pd.testing.assert_series_equal(
        half["predicted_purchases_12_months"], direct["predicted_purchases_12_months"]
    )
    assert (half["predicted_clv_12_months"] < year["predicted_clv_12_months"]).all()


def test_model_without_the_horizon_in_meta_stops_with_a_clear_error(clv, counted_orders):
    with pytest.raises(ValueError, match="clv_horizon_days"):
        clv.model(FakeDbt(warehouse_tables(counted_orders), {}), None)
