"""Segment membership history across builds: three builds a week apart, as a scheduler would run
them, must leave exactly the intervals the three membership snapshots imply, people leaving and
re-entering included; building a date again changes nothing; an earlier date is refused."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.e2e.as_of_builds import build, query

pytestmark = pytest.mark.slow


def intervals_from_snapshots(snapshots: list[pd.DataFrame], dates: list) -> pd.DataFrame:
    """The intervals three membership snapshots imply: an interval starts at the first build a
    person is a member after not being one, and ends at the first build they are not."""
    present = pd.concat(snapshots).assign(is_member=True)
    grid = present.pivot_table(
        index=["segment_name", "person_id"], columns="as_of_date", values="is_member", aggfunc="any"
    ).reindex(columns=dates)
    grid = grid.fillna(False).astype(bool)
    rows = []
    for (segment_name, person_id), flags in grid.iterrows():
        valid_from = None
        for as_of_date, is_member in flags.items():
            if is_member and valid_from is None:
                valid_from = as_of_date
            elif not is_member and valid_from is not None:
                rows.append((segment_name, person_id, valid_from, as_of_date))
                valid_from = None
        if valid_from is not None:
            rows.append((segment_name, person_id, valid_from, None))
    return pd.DataFrame(rows, columns=["segment_name", "person_id", "valid_from", "valid_to"])


def normalized(frame: pd.DataFrame) -> list[tuple]:
    return sorted(
        (
            row.segment_name,
            row.person_id,
            pd.Timestamp(row.valid_from).date(),
            None if pd.isna(row.valid_to) else pd.Timestamp(row.valid_to).date(),
        )
        for row in frame.itertuples()
    )


def test_history_holds_exactly_the_intervals_the_snapshots_imply(segment_builds):
    expected = intervals_from_snapshots(segment_builds["snapshots"], segment_builds["dates"])
    assert normalized(segment_builds["history"]) == normalized(expected)


def test_the_three_builds_saw_people_enter_leave_and_come_back(segment_builds):
    history = segment_builds["history"]
    _first, second, third = segment_builds["dates"]
    intervals_per_person = history.groupby(["segment_name", "person_id"]).size()
    assert (intervals_per_person == 2).sum() > 0, "nobody left and re-entered"
    assert (history["valid_to"] == second).sum() > 0, "nobody left at the second build"
    assert (history["valid_from"] == third).sum() > 0, "nobody entered at the third build"
    assert history.loc[history["is_current"], "valid_to"].isna().all()


def test_sizes_count_each_builds_entries_and_exits(segment_builds):
    sizes = query(segment_builds["path"], "select * from analytics.agg_segment_sizes")
    history = segment_builds["history"]
    for as_of_date in segment_builds["dates"]:
        day = sizes[sizes["as_of_date"] == as_of_date].set_index("segment_name")
        entries = history[history["valid_from"] == as_of_date].groupby("segment_name").size()
        exits = history[history["valid_to"] == as_of_date].groupby("segment_name").size()
        assert day["entries"].to_dict() == entries.reindex(day.index, fill_value=0).to_dict()
        assert day["exits"].to_dict() == exits.reindex(day.index, fill_value=0).to_dict()


def test_building_the_same_date_again_changes_nothing(segment_builds):
    before = normalized(segment_builds["history"])
    last = pd.Timestamp(segment_builds["dates"][-1])
    result = build(segment_builds["warehouse"], segment_builds["path"], last)
    assert result.returncode == 0, result.stdout[-5000:]
    after = query(segment_builds["path"], "select * from analytics.fct_segment_membership_history")
    assert normalized(after) == before


def test_an_earlier_date_than_the_history_is_refused(segment_builds):
    first = pd.Timestamp(segment_builds["dates"][0])
    result = build(segment_builds["warehouse"], segment_builds["path"], first)
    assert result.returncode != 0
    assert "is before the latest date already in the history" in result.stdout
    assert "--full-refresh" in result.stdout
