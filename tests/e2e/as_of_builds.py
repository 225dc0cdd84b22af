"""Building the warehouse as of a given date, as a daily scheduler would, and reading it back."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from tests.support import BuiltWarehouse, run_dbt

# the models an as-of date changes, up to the segment marts, and the experiment marts
SELECTION = [
    "--select",
    "int_persons_profiled+,+agg_segment_sizes",
    "path:models/activation/experiments",
]


def build(warehouse: BuiltWarehouse, duckdb_path: Path, as_of_date, *extra: str):
    return run_dbt(
        ["run", *SELECTION, "--vars", f"{{as_of_date: '{as_of_date:%Y-%m-%d}'}}", *extra],
        warehouse.raw_path,
        duckdb_path,
    )


def query(duckdb_path: Path, sql: str) -> pd.DataFrame:
    """The result, with date columns as datetime.date (comparable with the build dates)."""
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        frame = con.execute(sql).fetchdf()
    for column in frame.columns.intersection(["as_of_date", "valid_from", "valid_to"]):
        frame[column] = frame[column].dt.date
    return frame
