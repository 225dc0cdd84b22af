"""RFM scores and lifecycle stages against an independent pandas computation from staging."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.e2e.expected import completed_orders, expected_as_of_date
from tests.support import BuiltWarehouse

RFM_WINDOW = pd.Timedelta(days=365)  # var rfm_window_days
NEW_CUSTOMER_DAYS, LAPSED_DAYS = 30, 180  # vars lifecycle_new_customer_days, lifecycle_lapsed_days


@pytest.fixture(scope="module")
def tables(defective_warehouse: BuiltWarehouse) -> dict[str, pd.DataFrame]:
    queries = {
        "users": "select * from analytics.dim_persons",
        "rfm": "select * from analytics.fct_rfm_scores",
        "segments": "select * from reference.rfm_segments",
        "periods": "select * from analytics.fct_lifecycle_stage_periods",
        "daily": "select * from analytics.fct_lifecycle_stages_daily",
        "identities": "select identifier_key, person_id from pii.dim_identities",
        "orders": "select * from staging.stg_crm__orders",
        "currencies": "select * from reference.currencies",
        "tracks": "select event_at from staging.stg_segment__tracks",
        "pages": "select viewed_at as event_at from staging.stg_segment__pages",
    }
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        return {name: con.execute(sql).fetchdf() for name, sql in queries.items()}


@pytest.fixture(scope="module")
def as_of_date(tables) -> pd.Timestamp:
    return expected_as_of_date(tables["tracks"], tables["pages"])


@pytest.fixture(scope="module")
def orders(tables, as_of_date) -> pd.DataFrame:
    return completed_orders(
        tables["orders"], tables["identities"], tables["currencies"], as_of_date
    )


def quintile_scores(values: pd.Series, better: str, active: pd.Series) -> pd.Series:
    """1 + floor(5 * active customers with a strictly worse value / active customers); 1 for
    customers without an order in the window."""
    ranked = values[active]
    worse = ranked.rank(method="min", ascending=better == "higher") - 1
    scores = (1 + np.floor(5 * worse / len(ranked))).astype(int)
    return scores.reindex(values.index, fill_value=1)


@pytest.fixture(scope="module")
def expected_rfm(orders, as_of_date) -> pd.DataFrame:
    window = orders[orders["ordered_at"] >= as_of_date + pd.Timedelta(days=1) - RFM_WINDOW]
    per_customer = orders.groupby("person_id")["ordered_at"].max().dt.normalize()
    rfm = pd.DataFrame({"recency_days": (as_of_date - per_customer).dt.days})
    rfm["frequency"] = window.groupby("person_id").size().reindex(rfm.index, fill_value=0)
    # the warehouse keeps each order's converted total to 6 decimals (numeric(28, 6))
    revenue = window["revenue"].round(6).groupby(window["person_id"]).sum()
    rfm["monetary"] = revenue.reindex(rfm.index).fillna(0.0).round(6)
    active = rfm["frequency"] > 0
    rfm["recency_score"] = quintile_scores(rfm["recency_days"], "lower", active)
    rfm["frequency_score"] = quintile_scores(rfm["frequency"], "higher", active)
    rfm["monetary_score"] = quintile_scores(rfm["monetary"], "higher", active)
    return rfm


def test_rfm_values_and_scores_match_pandas_for_every_customer(tables, expected_rfm):
    actual = tables["rfm"].set_index("person_id").sort_index()
    expected = expected_rfm.sort_index()
    assert list(actual.index) == list(expected.index)
    assert len(expected) > 300
    for column in ("recency_days", "frequency", "recency_score", "frequency_score"):
        pd.testing.assert_series_equal(
            actual[column], expected[column], check_dtype=False, check_names=False
        )
    pd.testing.assert_series_equal(
        actual["monetary"].astype(float), expected["monetary"], atol=1e-4, rtol=0
    )
    pd.testing.assert_series_equal(
        actual["monetary_score"], expected["monetary_score"], check_dtype=False
    )
    # the generated history spreads customers over the scores of each dimension
    for column in ("recency_score", "frequency_score", "monetary_score"):
        assert actual[column].nunique() >= 3, column
    lapsed = actual["frequency"] == 0
    assert lapsed.any() and (actual.loc[lapsed, "rfm_cell"] == "111").all()


def test_rfm_segments_are_the_first_seed_row_holding_the_cell(tables):
    segments = tables["segments"].sort_values("priority")
    rfm = tables["rfm"]

    def segment_of(row) -> str:
        for seg in segments.itertuples():
            if (
                seg.recency_score_min <= row.recency_score <= seg.recency_score_max
                and seg.frequency_score_min <= row.frequency_score <= seg.frequency_score_max
                and seg.monetary_score_min <= row.monetary_score <= seg.monetary_score_max
            ):
                return seg.rfm_segment
        raise AssertionError(f"no segment for {row}")

    expected = rfm.apply(segment_of, axis=1)
    assert (rfm["rfm_segment"] == expected).all()
    cells = rfm["recency_score"].astype(str) + rfm["frequency_score"].astype(str)
    assert (rfm["rfm_cell"] == cells + rfm["monetary_score"].astype(str)).all()
    assert rfm["rfm_segment"].nunique() >= 6


def test_dim_users_carries_the_rfm_scores_of_its_as_of_date(tables):
    users = tables["users"].set_index("person_id")
    rfm = tables["rfm"].set_index("person_id")
    assert set(rfm["as_of_date"]) == set(users["as_of_date"])
    customers = users[users["rfm_segment"].notna()]
    assert set(customers.index) == set(rfm.index)
    assert (customers["rfm_segment"] == rfm["rfm_segment"].reindex(customers.index)).all()
    assert (customers["rfm_cell"] == rfm["rfm_cell"].reindex(customers.index)).all()
    assert (users.loc[users["orders"] == 0, "rfm_segment"].isna()).all()


def test_lifecycle_stage_of_every_customer_follows_its_orders(tables, orders, as_of_date):
    users = tables["users"].set_index("person_id")
    per_customer = orders.assign(day=orders["ordered_at"].dt.normalize()).groupby("person_id")
    count = per_customer.size()
    first_days = (as_of_date - per_customer["day"].min()).dt.days
    last_days = (as_of_date - per_customer["day"].max()).dt.days
    expected = pd.Series("One-Time Buyer", index=count.index)
    expected[first_days <= NEW_CUSTOMER_DAYS] = "New Customer"
    expected[count >= 2] = "Repeat Buyer or Advocate"
    expected[last_days > LAPSED_DAYS] = "Lapsed"
    actual = (
        users["lifecycle_stage"]
        .reindex(count.index)
        .replace(
            {"Repeat Buyer": "Repeat Buyer or Advocate", "Advocate": "Repeat Buyer or Advocate"}
        )
    )
    pd.testing.assert_series_equal(actual, expected, check_names=False)
    assert expected.nunique() == 4
    non_customers = users.loc[~users.index.isin(count.index), "lifecycle_stage"]
    assert set(non_customers) == {"Anonymous Visitor", "Prospect"}
    known = users.loc[non_customers.index, "is_known"]
    assert ((non_customers == "Prospect") == known).all()


def test_lifecycle_history_has_one_stage_per_person_and_day(tables, as_of_date):
    daily, periods = tables["daily"], tables["periods"]
    assert not daily.duplicated(["person_id", "stage_date"]).any()
    today = daily[pd.to_datetime(daily["stage_date"]) == as_of_date].set_index("person_id")
    users = tables["users"].set_index("person_id")
    assert (today["lifecycle_stage"] == users["lifecycle_stage"].reindex(today.index)).all()
    assert len(today) == users["lifecycle_stage"].notna().sum()
    current = periods[periods["is_current"]]
    assert current["person_id"].is_unique and len(current) == len(today)
    # periods of a person follow each other without gaps or overlaps
    periods = periods.sort_values(["person_id", "valid_from_date"])
    following = periods.groupby("person_id")["valid_from_date"].shift(-1)
    closed = periods["valid_to_date"].notna()
    assert (periods.loc[closed, "valid_to_date"] == following[closed]).all()
    assert (periods["lifecycle_stage"] != periods["previous_stage"]).all()
