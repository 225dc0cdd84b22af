"""`audience backfill --from DATE [--to DATE]`: past as-of dates evaluated one day after the
other, as a daily refresh would have, so that the history models (segment membership history
and sizes, RFM snapshots) hold a point per day, and the experiment and KPI marts built from them
see a month, not a day. The first date rewinds the membership history to its eve (env
AUDIENCE_REWIND_HISTORY, as dbt var rewind_history); sizes and RFM snapshots of each date are
replaced as it is evaluated. Then the warehouse is refreshed as of its latest date, as
`audience refresh` does: gates, publish, exports.

Each date is a `dbt build` of the models between the as-of date (int_persons_profiled) and the
history models, without their tests: the final refresh tests the result."""

from __future__ import annotations

import argparse
import datetime
import time
from pathlib import Path

from orchestration.dbt_build import RETRAIN_SELECT
from orchestration.publish.location import add_publish_dir_argument, publish_dir_setting
from orchestration.quality.command import add_warehouse_arguments, check_time, now_setting
from orchestration.quality.suites import SuiteError
from orchestration.refresh import build, refresh
from orchestration.relations import relation
from orchestration.warehouse import (
    MissingRelation,
    connect_read_only,
    existing_warehouse,
    warehouse_setting,
)

# the models an as-of date changes, up to the models that keep a point per as-of date
HISTORY_MODELS = ("agg_segment_sizes", "fct_segment_membership_history", "fct_rfm_scores")


class BackfillError(ValueError):
    """Dates the warehouse cannot be backfilled with; the message says why and what to pass."""


def history_selection() -> list[str]:
    """The models between the as-of date and the history models; the retrained ones (CLV,
    clusters) keep their last fit, as in the hourly refresh."""
    return [
        *("--resource-type", "model", "--exclude", RETRAIN_SELECT, "--select"),
        *(f"int_persons_profiled+,+{model}" for model in HISTORY_MODELS),
    ]


def warehouse_dates(warehouse: Path) -> tuple[datetime.date, datetime.date | None]:
    """(the latest event date, the latest date in the membership history or None)."""
    con = connect_read_only(warehouse)
    try:
        latest_event = con.execute(
            f"select max(latest_event_date) from {relation('int_persons_profiled')}"
        ).fetchone()[0]
        history = relation("fct_segment_membership_history")
        history_end = con.execute(
            f"select greatest(max(valid_from), max(valid_to)) from {history}"
        ).fetchone()[0]
    except MissingRelation:
        raise BackfillError(
            f"the warehouse {warehouse} has no built profiles: run "
            "`audience refresh` (or `dbt build`) once before a backfill"
        ) from None
    finally:
        con.close()
    return latest_event, history_end


def backfill_dates(
    start: datetime.date, end: datetime.date | None, warehouse: Path
) -> list[datetime.date]:
    """Every date from start to end (default: the latest event date), checked against what the
    warehouse holds."""
    latest_event, history_end = warehouse_dates(warehouse)
    end = end or latest_event
    for flag, day in (("--from", start), ("--to", end)):
        if day > latest_event:
            raise BackfillError(
                f"{flag} {day} is after the latest event date, {latest_event}: nothing is "
                "known then"
            )
    if start > end:
        raise BackfillError(f"--from {start} is after --to {end}: nothing to evaluate")
    if history_end and end < history_end:
        raise BackfillError(
            f"the segment membership history holds dates up to {history_end}, and a backfill "
            f"evaluates every date from --from on again: pass --to {history_end} or later "
            "(or leave it out), else the history after --to would be lost"
        )
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def evaluate(warehouse: Path, day: datetime.date, rewind: bool) -> bool:
    """One date's build. The date goes in env variables, not dbt vars: a changed var makes dbt
    parse the whole project again (10 s), a changed env var only the two models reading it."""
    env = {"AUDIENCE_AS_OF_DATE": day.isoformat(), "AUDIENCE_REWIND_HISTORY": str(rewind).lower()}
    return build(warehouse, history_selection(), env)


def backfill(
    warehouse: Path, dates: list[datetime.date], now: datetime.datetime | None, publish_dir: Path
) -> int:
    for number, day in enumerate(dates):
        started = time.monotonic()
        if not evaluate(warehouse, day, rewind=number == 0):
            print(
                f"as of {day}: dbt build failed; the dates before it are in the history: "
                f"`audience backfill --from {day}` goes on from there"
            )
            return 1
        print(f"as of {day}: evaluated ({time.monotonic() - started:.0f} s)", flush=True)
    print("history evaluated: refreshing the warehouse as of its latest date")
    return refresh(warehouse, now, publish_dir)


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def run_backfill(args: argparse.Namespace) -> int:
    try:
        now = check_time(now_setting(args.now))
        warehouse = existing_warehouse(warehouse_setting(args.warehouse))
        dates = backfill_dates(args.start, args.end, warehouse)
    except (SuiteError, BackfillError, FileNotFoundError) as error:
        print(f"error: {error}")
        return 2
    print(f"evaluating {len(dates)} as-of dates, {dates[0]} to {dates[-1]}", flush=True)
    return backfill(warehouse, dates, now, publish_dir_setting(args.publish_dir).value)


def add_backfill_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "backfill",
        help="evaluate past as-of dates day by day, so the history models get their history",
        description=(
            "Evaluate every as-of date from --from to --to (default: the latest event date) "
            "in order, rewinding the segment membership history to the eve of --from first; "
            "segment sizes and RFM snapshots of each date are replaced. Then refresh the "
            "warehouse as `audience refresh` does (build, gates, publish, exports). Past dates "
            "are evaluated on today's data: see the README for what that cannot rebuild."
        ),
    )
    parser.add_argument("--from", dest="start", type=_date, required=True, help="first date")
    parser.add_argument(
        "--to", dest="end", type=_date, default=None, help="last date (default: latest event)"
    )
    add_warehouse_arguments(parser)
    add_publish_dir_argument(parser)
    parser.set_defaults(handler=run_backfill)
