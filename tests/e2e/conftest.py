"""Fixtures of the end-to-end tests that need more than one build."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from tests.e2e.as_of_builds import build, query
from tests.support import BuiltWarehouse


@pytest.fixture(scope="session")
def segment_builds(defective_warehouse: BuiltWarehouse, tmp_path_factory) -> dict:
    """Three builds a week apart (the last on the data's latest date) of a copy of the defective
    warehouse, with each build's segment members and, after the last, the history and
    experiment marts."""
    duckdb_path = tmp_path_factory.mktemp("history") / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    latest = query(duckdb_path, "select as_of_date from intermediate.int_persons_profiled")
    last = pd.Timestamp(latest.iloc[0, 0])
    dates = [last - pd.Timedelta(days=14), last - pd.Timedelta(days=7), last]
    snapshots = []
    for number, as_of_date in enumerate(dates):
        first_build = ["--full-refresh"] if number == 0 else []
        result = build(defective_warehouse, duckdb_path, as_of_date, *first_build)
        assert result.returncode == 0, result.stdout[-5000:]
        members = query(
            duckdb_path,
            "select segment_name, person_id from intermediate.int_segment_members_prioritized "
            "where is_member",
        )
        snapshots.append(members.assign(as_of_date=as_of_date.date()))
    history = query(duckdb_path, "select * from analytics.fct_segment_membership_history")
    return {
        "assignments": query(duckdb_path, "select * from analytics.fct_experiment_assignments"),
        "results": query(duckdb_path, "select * from analytics.agg_experiment_results"),
        "conversion_events": query(
            duckdb_path,
            "select person_id, event_name, event_at from intermediate.int_events_mapped_to_persons "
            "where event_name in (select conversion_event from reference.experiments)",
        ),
        "path": duckdb_path,
        "dates": [d.date() for d in dates],
        "snapshots": snapshots,
        "history": history,
        "warehouse": defective_warehouse,
    }
