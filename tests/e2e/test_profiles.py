"""dim_persons against an independent pandas computation from staging and dim_identities."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.e2e.expected import (
    REPORTING_CURRENCY,
    completed_orders,
    expected_as_of_date,
    person_of,
)
from tests.support import BuiltWarehouse

SESSION_TIMEOUT = pd.Timedelta(minutes=30)  # var session_timeout_minutes


@pytest.fixture(scope="module")
def tables(defective_warehouse: BuiltWarehouse) -> dict[str, pd.DataFrame]:
    queries = {
        "users": "select * from analytics.dim_persons",
        "identities": "select identifier_key, identifier_type, identifier_value, person_id"
        " from pii.dim_identities",
        "orders": "select * from staging.stg_crm__orders",
        "currencies": "select * from reference.currencies",
        "tracking_plan": "select * from reference.tracking_plan",
        "tracks": "select message_id, anonymous_id, user_id, event_name, event_at, is_bot"
        " from staging.stg_segment__tracks",
        "pages": "select message_id, anonymous_id, user_id, viewed_at as event_at, is_bot"
        " from staging.stg_segment__pages",
    }
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        return {name: con.execute(sql).fetchdf() for name, sql in queries.items()}


def expected_orders(tables) -> pd.DataFrame:
    """Completed orders up to the as-of date per person, revenue in the reporting currency."""
    as_of_date = expected_as_of_date(tables["tracks"], tables["pages"])
    orders = completed_orders(
        tables["orders"], tables["identities"], tables["currencies"], as_of_date
    )
    return orders.groupby("person_id").agg(orders=("revenue", "size"), revenue=("revenue", "sum"))


def expected_sessions(tables) -> pd.Series:
    """Sessionize the site events of people (bots left out) independently and count sessions
    per person."""
    plan = tables["tracking_plan"]
    email_events = set(plan.loc[plan["event_category"] == "email", "event_name"])
    tracks = tables["tracks"]
    events = pd.concat(
        [tracks[~tracks["event_name"].isin(email_events)], tables["pages"]], ignore_index=True
    )
    events = events[~events["is_bot"]]
    events["owner"] = events["anonymous_id"].map(lambda v: f"a:{v}", na_action="ignore")
    events["owner"] = events["owner"].fillna("u:" + events["user_id"].astype("string"))
    events = events.sort_values(["owner", "event_at", "message_id"], ignore_index=True)
    gap = events.groupby("owner")["event_at"].diff()
    events["session"] = (gap.isna() | (gap > SESSION_TIMEOUT)).cumsum()
    # A session belongs to its first user_id's person, else to its device's person.
    sessions = events.groupby("session").agg(
        anonymous_id=("anonymous_id", "first"), user_id=("user_id", "first")
    )
    identities = tables["identities"]
    person = person_of(identities, "user_id", sessions["user_id"]).fillna(
        person_of(identities, "anonymous_id", sessions["anonymous_id"])
    )
    assert person.notna().all()
    return person.value_counts()


def test_one_row_per_person_of_dim_identities(tables):
    users = tables["users"]
    assert users["person_id"].is_unique
    assert set(users["person_id"]) == set(tables["identities"]["person_id"])


def test_as_of_date_is_the_latest_event_date(tables):
    expected = expected_as_of_date(tables["tracks"], tables["pages"])
    assert set(pd.to_datetime(tables["users"]["as_of_date"])) == {expected}


def test_is_known_means_an_email_or_a_user_id(tables):
    identities = tables["identities"]
    known = set(
        identities.loc[identities["identifier_type"].isin(["email", "user_id"]), "person_id"]
    )
    users = tables["users"].set_index("person_id")
    assert users["is_known"].to_dict() == {person: person in known for person in users.index}


def test_orders_and_revenue_match_the_crm(tables):
    expected = expected_orders(tables)
    users = tables["users"].set_index("person_id")
    orders = expected["orders"].reindex(users.index, fill_value=0)
    revenue = expected["revenue"].reindex(users.index, fill_value=0.0)
    pd.testing.assert_series_equal(users["orders"], orders, check_names=False, check_dtype=False)
    pd.testing.assert_series_equal(
        users["revenue"].astype(float), revenue, check_names=False, atol=1e-3, rtol=0
    )
    assert expected["orders"].sum() > 100
    assert (expected["revenue"] > 0).all()
    # currencies other than the reporting one are converted
    assert set(tables["orders"]["currency_code"]) - {REPORTING_CURRENCY}


def test_sessions_match_an_independent_sessionization(tables):
    expected = expected_sessions(tables)
    users = tables["users"].set_index("person_id")
    sessions = expected.reindex(users.index, fill_value=0)
    pd.testing.assert_series_equal(
        users["sessions"], sessions, check_names=False, check_dtype=False
    )
    assert sessions.sum() > 1000
