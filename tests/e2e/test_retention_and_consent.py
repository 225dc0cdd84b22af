"""Retention and analytics consent: the warehouse refreshed with a 7-day event window, a 30-day
history window and require_analytics_consent. Events received before the window leave every
event table (and are counted as excluded by the reconciliation tests, which still pass), history
rows older than the history window go, each deletion is logged, and persons without analytics
consent have no behavioural data left."""

from __future__ import annotations

import datetime
import json
import shutil

import duckdb
import pytest

from tests.support import BuiltWarehouse, run_dbt

pytestmark = pytest.mark.slow

EVENT_DAYS, HISTORY_DAYS = 7, 30
EVENT_TABLES = [
    "staging.base_segment__tracks",
    "staging.base_segment__pages",
    "staging.base_segment__identifies",
    "intermediate.int_events_sessionized",
    "intermediate.int_events_mapped_to_persons",
]
# closed history older than the window, planted before the refresh
OLD_HISTORY = [
    "insert into analytics.fct_segment_membership_history select segment_name, person_id, "
    "date '2025-01-01', date '2025-02-01', false, false, timestamp '2025-02-01' "
    "from analytics.fct_segment_memberships limit 3",
    "insert into analytics.fct_rfm_scores "
    "select * replace (date '2025-01-01' as as_of_date) from analytics.fct_rfm_scores limit 3",
]


def scalar(con, sql: str):
    return con.execute(sql).fetchone()[0]


@pytest.fixture(scope="module")
def refreshed(defective_warehouse: BuiltWarehouse, tmp_path_factory):
    path = tmp_path_factory.mktemp("retention") / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, path)
    with duckdb.connect(str(path)) as con:
        # the window ends where the table received last ends (late events run on after it)
        now = min(scalar(con, f"select max(received_at) from {t}") for t in EVENT_TABLES)
        before = {t: scalar(con, f"select count(*) from {t}") for t in EVENT_TABLES}
        for sql in OLD_HISTORY:
            con.execute(sql)
    cutoff = now - datetime.timedelta(days=EVENT_DAYS)
    variables = {
        "event_retention_days": EVENT_DAYS,
        "history_retention_days": HISTORY_DAYS,
        "retention_now": now.isoformat(),
        "require_analytics_consent": True,
    }
    result = run_dbt(
        ["build", "--vars", json.dumps(variables)], defective_warehouse.data_dir / "raw", path
    )
    return {"path": path, "cutoff": cutoff, "before": before, "result": result}


def test_the_refresh_passes_every_test_including_reconciliation(refreshed):
    result = refreshed["result"]
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]


def test_events_received_before_the_window_leave_every_event_table(refreshed):
    with duckdb.connect(str(refreshed["path"]), read_only=True) as con:
        for table in EVENT_TABLES:
            oldest = scalar(con, f"select min(received_at) from {table}")
            assert oldest >= refreshed["cutoff"], table
            left = scalar(con, f"select count(*) from {table}")
            assert 0 < left < refreshed["before"][table], table


def test_sessions_cut_short_by_the_window_are_rebuilt_from_the_events_left(refreshed):
    with duckdb.connect(str(refreshed["path"]), read_only=True) as con:
        oldest, sessions = con.execute(
            "select min(first_received_at), count(*) from intermediate.int_sessions_aggregated"
        ).fetchone()
        sessions_of_events_left = scalar(
            con, "select count(distinct session_id) from intermediate.int_events_sessionized"
        )
        cut_short_kept = scalar(
            con,
            """
            select count(*)
            from intermediate.int_sessions_aggregated as sessions
            inner join (
                select session_id, min(event_number_in_session) as first_event_left
                from intermediate.int_events_sessionized
                group by session_id
            ) as events_left on sessions.session_id = events_left.session_id
            where events_left.first_event_left > 1
            """,
        )
    assert oldest >= refreshed["cutoff"]
    assert sessions == sessions_of_events_left
    assert cut_short_kept > 0


def test_history_older_than_its_window_is_dropped_and_every_deletion_logged(refreshed):
    with duckdb.connect(str(refreshed["path"]), read_only=True) as con:
        assert (
            scalar(
                con,
                "select count(*) from analytics.fct_segment_membership_history "
                "where valid_to < date '2025-06-01'",
            )
            == 0
        )
        assert (
            scalar(
                con,
                "select count(*) from analytics.fct_rfm_scores "
                "where as_of_date < date '2025-06-01'",
            )
            == 0
        )
        logged = dict(
            con.execute(
                "select relation_name, sum(rows_deleted) from pii.deletion_log "
                "where reason = 'retention' group by all"
            ).fetchall()
        )
    assert logged["analytics.fct_segment_membership_history"] == 3
    assert logged["analytics.fct_rfm_scores"] == 3
    assert logged["staging.base_segment__tracks"] > 0


def test_persons_without_analytics_consent_have_no_behavioural_data(refreshed):
    with duckdb.connect(str(refreshed["path"]), read_only=True) as con:
        profiled = con.execute(
            """
            select coalesce(p.is_analytics_consented, false), count(distinct e.person_id)
            from intermediate.int_events_mapped_to_persons as e
            left join intermediate.int_persons_privacy_evaluated as p on e.person_id = p.person_id
            group by all
            """
        ).fetchall()
        without_consent_with_sessions = scalar(
            con,
            """
            select count(*) from analytics.dim_persons as u
            where not u.is_analytics_consented and u.sessions > 0
            """,
        )
        without_consent = scalar(
            con, "select count(*) from analytics.dim_persons where not is_analytics_consented"
        )
    assert dict(profiled).keys() == {True}
    assert without_consent > 0 and without_consent_with_sessions == 0
