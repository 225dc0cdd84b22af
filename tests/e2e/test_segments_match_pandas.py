"""Every shipped segment, built by dbt on generated data, has exactly the members that an
independent pandas evaluation of its rule finds (tests/segments/pandas_rules.py)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.segments.pandas_rules import Inputs, evaluate, shipped_definitions
from tests.support import BuiltWarehouse

pytestmark = pytest.mark.slow

DEFINITIONS = shipped_definitions()


def naive_utc(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, utc=True).dt.tz_localize(None)


@pytest.fixture(scope="module")
def warehouse(defective_warehouse: BuiltWarehouse):
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:

        def read(sql: str) -> pd.DataFrame:
            return con.execute(sql).fetchdf()

        def run_sql(expression: str) -> set[str]:
            sql = f"select person_id from analytics.dim_persons as users where {expression}"
            return set(read(sql)["person_id"])

        events = read("select * from intermediate.int_events_mapped_to_persons")
        orders = read("select * from intermediate.int_completed_orders_filtered")
        inputs = Inputs(
            users=read("select * from analytics.dim_persons"),
            events=events.assign(event_at=naive_utc(events["event_at"])),
            orders=orders.assign(ordered_at=naive_utc(orders["ordered_at"])),
            as_of_ends_at=naive_utc(
                read("select as_of_ends_at from intermediate.int_persons_profiled")["as_of_ends_at"]
            ).iloc[0],
            definitions=DEFINITIONS,
            run_sql=run_sql,
        )
        qualified = {
            name: set(read(f"select person_id from segments.segment_{name}")["person_id"])
            for name in DEFINITIONS
        }
        yield inputs, qualified


def test_every_shipped_segment_is_compared():
    assert len(DEFINITIONS) >= 27, sorted(DEFINITIONS)


def test_most_segments_have_members(warehouse):
    _inputs, qualified = warehouse
    empty = sorted(name for name, people in qualified.items() if not people)
    assert len(empty) <= 2, f"segments without members make a vacuous comparison: {empty}"


@pytest.mark.parametrize("segment_name", sorted(DEFINITIONS))
def test_sql_members_equal_pandas_members(warehouse, segment_name: str):
    inputs, qualified = warehouse
    expected = evaluate(DEFINITIONS[segment_name]["rule"], inputs)
    actual = qualified[segment_name]
    only_sql, only_pandas = sorted(actual - expected), sorted(expected - actual)
    assert not only_sql and not only_pandas, (
        f"{len(only_sql)} only in SQL (e.g. {only_sql[:3]}), "
        f"{len(only_pandas)} only in pandas (e.g. {only_pandas[:3]})"
    )
