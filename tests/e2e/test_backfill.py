"""`audience backfill` on a copy of a built warehouse: every date of the period gets its point in
the history models, the membership history agrees with the sizes on every date, replaying part
of the period again gives the same history, and dates the warehouse cannot take are refused
before anything is built."""

from __future__ import annotations

import datetime
import subprocess

import pandas as pd
import pytest

from tests.e2e.as_of_builds import query
from tests.e2e.refresh_runs import AUDIENCE, copy_of, data_time, run_audience

# about 9 minutes of builds: started among the first
pytestmark = pytest.mark.slow(minutes=9)

# the membership intervals, as each date of the history sees them
MEMBERS_BY_DATE = """
select sizes.as_of_date, sizes.segment_name, sizes.members, count(history.person_id) as covered
from analytics.agg_segment_sizes as sizes
left join analytics.fct_segment_membership_history as history
    on history.segment_name = sizes.segment_name
    and history.valid_from <= sizes.as_of_date
    and (history.valid_to is null or history.valid_to > sizes.as_of_date)
group by all
"""
HISTORY = """
select segment_name, person_id, valid_from, valid_to, is_current, is_holdout
from analytics.fct_segment_membership_history order by all
"""


def backfill(warehouse, path, *args: str) -> subprocess.CompletedProcess:
    return run_audience(
        warehouse,
        path,
        [str(AUDIENCE), "backfill", *args, "--now", data_time(path).isoformat(),
         "--publish-dir", str(path.parent / "published")],
    )  # fmt: skip


def latest_date(path) -> datetime.date:
    return query(path, "select as_of_date from intermediate.int_persons_profiled").iloc[0, 0]


@pytest.fixture(scope="module")
def backfilled(defective_warehouse, tmp_path_factory) -> dict:
    """The last four dates backfilled, then the last two of them again."""
    path = copy_of(defective_warehouse, tmp_path_factory.mktemp("backfill"))
    last = latest_date(path)
    first = backfill(defective_warehouse, path, "--from", f"{last - datetime.timedelta(days=3)}")
    assert first.returncode == 0, first.stdout[-5000:] + first.stderr[-3000:]
    after_first = {"history": query(path, HISTORY), "sizes": query(path, MEMBERS_BY_DATE)}
    again = backfill(defective_warehouse, path, "--from", f"{last - datetime.timedelta(days=1)}")
    assert again.returncode == 0, again.stdout[-5000:] + again.stderr[-3000:]
    return {
        "warehouse": defective_warehouse,
        "path": path,
        "last": last,
        "first": first,
        "after_first": after_first,
        "history": query(path, HISTORY),
        "sizes": query(path, MEMBERS_BY_DATE),
    }


def test_every_date_of_the_period_is_a_point_of_the_history(backfilled):
    last = backfilled["last"]
    period = {last - datetime.timedelta(days=n) for n in range(4)}
    sizes_dates = set(backfilled["sizes"]["as_of_date"])
    rfm = query(backfilled["path"], "select distinct as_of_date from analytics.fct_rfm_scores")
    rfm_dates = set(rfm["as_of_date"])
    assert period <= sizes_dates and period <= rfm_dates
    evaluated = [
        line.split(":")[0]
        for line in backfilled["first"].stdout.splitlines()
        if line.startswith("as of ") and ": evaluated" in line
    ]
    assert evaluated == [f"as of {day}" for day in sorted(period)]
    assert "refresh complete" in backfilled["first"].stdout


def test_the_membership_history_agrees_with_the_sizes_on_every_date(backfilled):
    sizes = backfilled["sizes"]
    assert (sizes["members"] > 0).any()
    mismatched = sizes[sizes["members"] != sizes["covered"]]
    assert mismatched.empty, mismatched.head(10)


def test_replaying_part_of_the_period_gives_the_same_history(backfilled):
    pd.testing.assert_frame_equal(backfilled["history"], backfilled["after_first"]["history"])
    pd.testing.assert_frame_equal(
        backfilled["sizes"].sort_values(["as_of_date", "segment_name"], ignore_index=True),
        backfilled["after_first"]["sizes"].sort_values(
            ["as_of_date", "segment_name"], ignore_index=True
        ),
    )


def test_the_experiments_see_the_backfilled_exposures(backfilled):
    exposed = query(
        backfilled["path"],
        "select min(exposed_on) as first_exposure from analytics.fct_experiment_assignments",
    ).iloc[0, 0]
    assert exposed is not None and pd.Timestamp(exposed).date() < backfilled["last"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2030-01-02"], "after the latest event date"),
        (["--from", "{last}", "--to", "{day_before}"], "is after --to"),
        (["--from", "{day_before}", "--to", "{day_before}"], "history holds dates up to"),
        (["--from", "yesterday"], "expected a date as YYYY-MM-DD"),
    ],
)
def test_dates_the_warehouse_cannot_take_are_refused_before_any_build(backfilled, args, message):
    last = backfilled["last"]
    values = {"last": last, "day_before": last - datetime.timedelta(days=1)}
    before = query(backfilled["path"], HISTORY)
    result = backfill(
        backfilled["warehouse"], backfilled["path"], *[a.format(**values) for a in args]
    )
    assert result.returncode == 2 and message in result.stdout + result.stderr
    pd.testing.assert_frame_equal(query(backfilled["path"], HISTORY), before)
