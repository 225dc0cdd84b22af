"""Summary frames: one aggregate query per table, previous-run comparison from the stored
results."""

from __future__ import annotations

import datetime

import pytest

from orchestration.quality.dialect import for_engine, same_type
from orchestration.quality.frames import (
    change_share,
    columns_frame,
    groups_frame,
    metrics_frame,
    metrics_query,
)
from orchestration.quality.suites import _check
from orchestration.warehouse import connect_file

NOW = datetime.datetime(2026, 10, 31)


def check(column: str, metric: str, compare=None, group_by=None):
    fields = {"metric": column, "sql": metric, "max_value": 0.5, "blocking": False}
    if compare:
        fields["compare"] = compare
    if group_by:
        fields["group_by"] = group_by
    return _check("suite.json: tables[0].checks[0]", "s", 0, fields, {}, {"table": "main.orders"})


@pytest.fixture
def con(tmp_path):
    con = connect_file(tmp_path / "frames.duckdb")
    con.execute(
        "create table orders as select * from (values (1, 10.0, timestamp '2026-10-30 12:00'),"
        " (2, -5.0, timestamp '2026-10-29 00:00')) as t (order_id, total, ordered_at)"
    )
    return con


def test_metrics_of_a_table_come_from_one_aggregate(con):
    checks = [
        check("negative_totals", "count(case when total < 0 then 1 end)"),
        check("hours_old", "({now_epoch} - epoch(max(ordered_at))) / 3600.0"),
    ]
    frame, raw = metrics_frame(con, "main.orders", checks, NOW)
    assert frame.to_dict("records") == [{"negative_totals": 1, "hours_old": 12.0}]
    assert raw == {"negative_totals": 1.0, "hours_old": 12.0}


def test_a_previous_run_comparison_reads_the_last_stored_value(con):
    rows = check("rows_change_share", "count(*)", compare="previous_run")
    frame, raw = metrics_frame(con, "main.orders", [rows], NOW)
    assert frame["rows_change_share"].item() == 0.0  # first run: nothing to compare with
    con.execute(
        "create schema quality; create table quality.check_results as select 's' as suite,"
        " 'main.orders' as table_name, 'rows_change_share' as column_name,"
        " 8.0 as metric_value, timestamp '2026-10-30' as checked_at"
    )
    frame, raw = metrics_frame(con, "main.orders", [rows], NOW)
    assert raw["rows_change_share"] == 2.0
    assert frame["rows_change_share"].item() == pytest.approx(0.75)


def test_change_share_edges():
    assert change_share(None, 5) == 0.0
    assert change_share(0, 0) == 0.0
    assert change_share(0, 3) == 1.0
    assert change_share(4, 5) == pytest.approx(0.25)


def test_the_columns_frame_lists_names_with_types(con):
    assert list(columns_frame(con, "main.orders", [])["column_and_type"]) == [
        "order_id:INTEGER",
        "total:DECIMAL(3,1)",
        "ordered_at:TIMESTAMP",
    ]


def test_a_groups_frame_has_a_row_per_group_each_compared_with_its_previous_value(con):
    share = check("share", "count(*) / 2.0", group_by="total < 0")
    change = check("share_change", "count(*) / 2.0", compare="previous_run", group_by="total < 0")
    frame, raw = groups_frame(con, "main.orders", [share, change], NOW)
    assert frame.to_dict("records") == [
        {"group": "false", "share": 0.5, "share_change": 0.0},
        {"group": "true", "share": 0.5, "share_change": 0.0},
    ]
    assert raw == {
        "share[false]": 0.5,
        "share[true]": 0.5,
        "share_change[false]": 0.5,
        "share_change[true]": 0.5,
    }
    con.execute(
        "create schema quality; create table quality.check_results as select 's' as suite,"
        " 'main.orders' as table_name, 'share_change[true]' as column_name,"
        " 0.25 as metric_value, timestamp '2026-10-30' as checked_at"
    )
    frame, _ = groups_frame(con, "main.orders", [change], NOW)
    # the group seen before doubled; the one never seen has nothing to compare with
    assert dict(zip(frame["group"], frame["share_change"], strict=True)) == {
        "false": 0.0,
        "true": 1.0,
    }


def test_a_suite_written_in_duckdb_sql_reads_as_spark_sql() -> None:
    query = metrics_query(
        "staging.contacts",
        [
            check(
                "bad_phones",
                r"count(case when not regexp_full_match(phone, '\+[0-9]+') then 1 end)",
            ),
            check("hours_old", "({now_epoch} - epoch(max(ordered_at))) / 3600.0"),
            check("quoted", "count(case when name = 'O''Neil' then 1 end)"),
        ],
        NOW,
    )
    spark = for_engine(query, "spark")
    assert r"NOT phone RLIKE '^(?:\\+[0-9]+)$'" in spark
    assert "UNIX_MICROS(MAX(ordered_at)) / CAST(1000000 AS DOUBLE)" in spark
    assert "/ CAST(3600.0 AS DOUBLE)" in spark
    assert r"'O\'Neil'" in spark
    assert "AS `bad_phones`" in spark
    assert for_engine(query, "duckdb") == query


@pytest.mark.parametrize(
    ("suite_type", "engine_type", "same"),
    [
        ("VARCHAR", "string", True),
        ("TIMESTAMP WITH TIME ZONE", "timestamp", True),
        ("TIMESTAMP", "timestamp", False),
        ("BIGINT", "bigint", True),
        ("VARCHAR", "int", False),
    ],
)
def test_suite_types_are_compared_in_the_engine_s_names(suite_type, engine_type, same) -> None:
    assert same_type(suite_type, engine_type, "spark") is same
