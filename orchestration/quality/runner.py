"""Running suites: the warehouse computes each table's summary frame, Great Expectations
validates it, every expectation's outcome is appended to quality.check_results, and Data Docs
are built on request. A blocking failure makes the run fail; warnings are reported only."""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from orchestration.quality import raw_checks
from orchestration.quality.dialect import NotTranslatable
from orchestration.quality.frames import (
    RESULTS_TABLE,
    columns_frame,
    group_key,
    groups_frame,
    metrics_frame,
)
from orchestration.quality.suites import Check, Suite, frame_key
from orchestration.raw_layout import event_layout
from orchestration.warehouse import WarehouseError, connect

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CheckResult:
    check: Check
    is_success: bool
    observed_value: str
    metric_value: float | None

    def describe(self) -> str:
        expected = {k: v for k, v in self.check.configuration.kwargs.items() if k != "column"}
        level = "BLOCKING" if self.check.is_blocking else "warning"
        return (
            f"{level}: {self.check.table}: {self.check.name} failed: observed "
            f"{self.observed_value}, expected {expected} ({self.check.suite} suite)"
        )


@dataclass(frozen=True)
class GroupResult:
    """One group's value of a check on a `groups` frame, kept for the next run's comparison."""

    check: Check
    group: str
    is_success: bool
    metric_value: float | None


@dataclass
class CheckRun:
    run_id: str
    checked_at: datetime.datetime
    results: list[CheckResult] = field(default_factory=list)
    groups: list[GroupResult] = field(default_factory=list)

    @property
    def blocking_failures(self) -> list[CheckResult]:
        return [r for r in self.results if r.check.is_blocking and not r.is_success]

    @property
    def warnings(self) -> list[CheckResult]:
        return [r for r in self.results if not r.check.is_blocking and not r.is_success]

    @property
    def is_success(self) -> bool:
        return not self.blocking_failures


def run_suites(
    warehouse: Path,
    suites: list[Suite],
    now: datetime.datetime | None = None,
    data_docs_dir: Path | None = None,
) -> CheckRun:
    """Validate `suites` on the warehouse and append the outcome to quality.check_results."""
    checked_at = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    run = CheckRun(run_id=uuid.uuid4().hex, checked_at=checked_at)
    suites, not_applicable = raw_checks.adapt(suites)
    run.results.extend(
        CheckResult(check, True, f"not applicable in event layout {event_layout()}", None)
        for check in not_applicable
    )
    frames = compute_frames(warehouse, suites, now or checked_at)
    context = _context(data_docs_dir)
    datasource = context.data_sources.add_or_update_pandas("summary_frames")
    for asset_name in [asset.name for asset in datasource.assets]:
        datasource.delete_asset(asset_name)
    for suite in suites:
        for (source, frame), checks in suite.checks_by_frame().items():
            computed = frames[(suite.name, source, frame)]
            if isinstance(computed, str):
                run.results.extend(CheckResult(c, False, computed, None) for c in checks)
                continue
            data, raw_values = computed
            name = f"{suite.name}.{frame_key(source, frame)}"
            asset = datasource.add_dataframe_asset(name)
            batch_definition = asset.add_batch_definition_whole_dataframe("whole")
            expectation_suite = context.suites.add_or_update(suite.expectation_suite(source, frame))
            definition = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(data=batch_definition, suite=expectation_suite, name=name)
            )
            validation = definition.run(batch_parameters={"dataframe": data})
            outcomes = {
                (r.expectation_config.type, r.expectation_config.kwargs["column"]): r
                for r in validation.results
            }
            for check in checks:
                outcome = outcomes[(check.configuration.type, check.column)]
                if check.frame == "groups":
                    groups = _group_results(check, data, raw_values)
                    run.groups.extend(groups)
                    observed = _groups_observed(check, data, groups)
                else:
                    observed = _observed(check, data, outcome)
                run.results.append(
                    CheckResult(
                        check, bool(outcome.success), observed, raw_values.get(check.column)
                    )
                )
    if data_docs_dir is not None:
        context.build_data_docs()
    store_results(warehouse, run)
    return run


def compute_frames(warehouse: Path, suites: list[Suite], now: datetime.datetime) -> dict:
    """(suite, source, frame) -> (frame, raw metric values), or the error text when the
    warehouse could not compute it (a missing table fails its checks, it does not crash)."""
    frames = {}
    with connect(warehouse, read_only=True) as con:
        for suite in suites:
            for (source, frame), checks in suite.checks_by_frame().items():
                key = (suite.name, source, frame)
                try:
                    if frame == "columns":
                        frames[key] = (columns_frame(con, source, checks), {})
                    elif checks[0].frame == "groups":
                        frames[key] = groups_frame(con, source, checks, now)
                    else:
                        frames[key] = metrics_frame(con, source, checks, now)
                except (WarehouseError, NotTranslatable) as error:
                    message = f"error computing the frame: {str(error).splitlines()[0]}"
                    log.warning("%s: %s: %s", suite.name, checks[0].table, message)
                    frames[key] = message
    return frames


def store_results(warehouse: Path, run: CheckRun) -> None:
    """Appends one row per check, and one per group of each `groups` check (column_name
    `<metric>[<group>]`)."""
    outcomes = [
        (r.check, r.check.column, r.is_success, r.observed_value, r.metric_value)
        for r in run.results
    ] + [
        (
            g.check,
            group_key(g.check.column, g.group),
            g.is_success,
            _number(g.metric_value),
            g.metric_value,
        )
        for g in run.groups
    ]
    rows = pd.DataFrame(
        [
            {
                "run_id": run.run_id,
                "checked_at": run.checked_at,
                "suite": check.suite,
                "table_name": check.table,
                "expectation_type": check.configuration.type,
                "column_name": column,
                "is_blocking": check.is_blocking,
                "is_success": is_success,
                "observed_value": observed,
                "metric_value": metric_value,
                "description": check.description,
            }
            for check, column, is_success, observed, metric_value in outcomes
        ]
    )
    with connect(warehouse) as con:
        con.execute("create schema if not exists quality")
        con.register("run_rows", rows)
        con.execute(
            f"create table if not exists {RESULTS_TABLE} as select * from run_rows where false"
        )
        con.execute(f"insert into {RESULTS_TABLE} by name select * from run_rows")


def _context(data_docs_dir: Path | None):
    """An ephemeral context, or a file context in data_docs_dir (kept out of git) to build Data
    Docs from; progress bars off, since a check run logs its own outcome."""
    if data_docs_dir is None:
        context = gx.get_context(mode="ephemeral")
    else:
        data_docs_dir.mkdir(parents=True, exist_ok=True)
        context = gx.get_context(mode="file", project_root_dir=str(data_docs_dir))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _within(check: Check, value: float | None) -> bool:
    """Whether a value meets the bounds of an expect_column_values_to_be_between check."""
    if value is None or pd.isna(value):
        return True  # GX skips nulls too
    low = check.configuration.kwargs.get("min_value")
    high = check.configuration.kwargs.get("max_value")
    return (low is None or value >= low) and (high is None or value <= high)


def _group_results(
    check: Check, data: pd.DataFrame, raw_values: dict[str, float | None]
) -> list[GroupResult]:
    return [
        GroupResult(check, group, _within(check, value), raw_values[group_key(check.column, group)])
        for group, value in zip(data["group"], data[check.column], strict=True)
    ]


def _groups_observed(check: Check, data: pd.DataFrame, groups: list[GroupResult]) -> str:
    values = dict(zip(data["group"], data[check.column], strict=True))
    outside = [g.group for g in groups if not g.is_success]
    if not outside:
        return f"all {len(groups)} groups within"
    shown = ", ".join(f"{group}={_number(values[group])}" for group in outside[:5])
    more = f" and {len(outside) - 5} more" if len(outside) > 5 else ""
    return f"{len(outside)} of {len(groups)} groups outside: {shown}{more}"


def _number(value: float | None) -> str:
    return "null" if value is None or pd.isna(value) else f"{value:.6g}"


def _observed(check: Check, data: pd.DataFrame, outcome) -> str:
    if check.frame == "columns":
        expected = set(check.configuration.kwargs.get("value_set", []))
        missing = sorted(expected - set(data["column_and_type"]))
        return f"missing {missing}" if missing else "all present"
    value = data[check.column].iloc[0]
    if pd.isna(value):
        return "null"
    return f"{value:.6g}" if isinstance(value, float) else str(value)
