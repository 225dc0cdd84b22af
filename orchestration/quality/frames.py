"""The small frames the suites are validated on, computed by the warehouse: tables are
aggregated where they are, so a check run reads summaries, never whole tables, whatever their
size."""

from __future__ import annotations

import datetime

import pandas as pd

from orchestration.quality.dialect import for_engine, same_type
from orchestration.quality.suites import Check
from orchestration.relations import Relation
from orchestration.warehouse import Warehouse

RESULTS_TABLE = "quality.check_results"


def metrics_frame(
    con: Warehouse,
    table: str,
    checks: list[Check],
    now: datetime.datetime,
) -> tuple[pd.DataFrame, dict[str, float | None]]:
    """One row with a column per metric of `checks` on `table`, from one aggregate query
    (`{now_epoch}` in a metric is the check's time, UTC, in seconds since 1970). A metric
    compared with the previous run holds the share it changed by; the raw values are returned
    apart, for the results table."""
    row = con.execute(for_engine(metrics_query(table, checks, now), con.engine)).df()
    raw_values = {column: _number(row[column].iloc[0]) for column in row.columns}
    for check in checks:
        if check.compare == "previous_run":
            previous = previous_value(con, check)
            current = raw_values[check.column]
            row[check.column] = [change_share(previous, current)]
    return row, raw_values


def groups_frame(
    con: Warehouse,
    source: str,
    checks: list[Check],
    now: datetime.datetime,
) -> tuple[pd.DataFrame, dict[str, float | None]]:
    """One row per group of the checks' `group_by` over `source` (column `group`), with a column
    per metric; a metric compared with the previous run holds, per group, the share it changed
    by. The raw values are returned apart, keyed `<metric>[<group>]`."""
    data = con.execute(for_engine(groups_query(source, checks, now), con.engine)).df()
    raw_values = {
        group_key(check.column, group): _number(value)
        for check in checks
        for group, value in zip(data["group"], data[check.column], strict=True)
    }
    for check in checks:
        if check.compare == "previous_run":
            data[check.column] = [
                change_share(
                    previous_value(con, check, group_key(check.column, group)),
                    raw_values[group_key(check.column, group)],
                )
                for group in data["group"]
            ]
    return data, raw_values


def metrics_query(source: str, checks: list[Check], now: datetime.datetime) -> str:
    """The aggregate query of a `metrics` frame: one row, a column per check."""
    return f"select\n    {_selects(checks, now)}\nfrom {source}"


def groups_query(source: str, checks: list[Check], now: datetime.datetime) -> str:
    """The aggregate query of a `groups` frame: a row per group of the checks' `group_by`."""
    return (
        f'select\n    cast({checks[0].group_by} as string) as "group",\n'
        f"    {_selects(checks, now)}\nfrom {source}\ngroup by 1\norder by 1"
    )


def _selects(checks: list[Check], now: datetime.datetime) -> str:
    """Each check's metric named after it (`{now_epoch}`: the check's time, UTC, in seconds
    since 1970)."""
    now_epoch = f"{now.replace(tzinfo=datetime.UTC).timestamp():.0f}"
    return ",\n    ".join(
        f'{check.metric.replace("{now_epoch}", now_epoch)} as "{check.column}"' for check in checks
    )


def group_key(column: str, group: str) -> str:
    """How one group's value of a metric is named in quality.check_results."""
    return f"{column}[{group}]"


def columns_frame(con: Warehouse, table: str, checks: list[Check]) -> pd.DataFrame:
    """One row per column of `table`: `<column name>:<DATA TYPE>`, the type as the checks name
    it when it is the same type on the warehouse's engine, else as the engine does."""
    schema, _, name = table.rpartition(".")
    expected = [
        value.split(":", 1)
        for check in checks
        for value in check.configuration.kwargs.get("value_set", [])
    ]
    rows = []
    for column, kind in con.columns(Relation(schema or "main", name)):
        named = [t for c, t in expected if c == column and same_type(t, kind, con.engine)]
        rows.append(f"{column}:{named[0] if named else kind.upper()}")
    return pd.DataFrame({"column_and_type": rows})


def previous_value(con: Warehouse, check: Check, column: str | None = None) -> float | None:
    """The metric's raw value (or the value of `column`, a group of it) at the last check run
    that computed it, if any."""
    if not con.has_relation(Relation(*RESULTS_TABLE.split("."))):
        return None
    rows = con.execute(
        f"select metric_value from {RESULTS_TABLE} "
        "where suite = ? and table_name = ? and column_name = ? and metric_value is not null "
        "order by checked_at desc limit 1",
        [check.suite, check.table, column or check.column],
    ).fetchall()
    return float(rows[0][0]) if rows else None


def change_share(previous: float | None, current: float | None) -> float:
    """|current / previous - 1|; 0 on a first run or from 0 to 0, 1 from 0 to anything else."""
    if previous is None or current is None:
        return 0.0
    if previous == 0:
        return 0.0 if current == 0 else 1.0
    return abs(current / previous - 1)


def _number(value) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)
