"""Where a DuckDB warehouse lives: the file from --warehouse, else AUDIENCE_DUCKDB_PATH as
profiles.yml reads it, else the demo's."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.settings import Setting, as_setting, resolve

# The demo's, as profiles.yml's dev target: `make demo` builds it, plain `dbt build` writes it.
DEFAULT_DUCKDB_PATH = "data/demo/audience.duckdb"
DEFAULT_RAW_PATH = "data/demo/raw"
# sysexits EX_TEMPFAIL: try again later, the command did nothing wrong
BUSY_EXIT_CODE = 75


def warehouse_setting(given: Path | None = None) -> Setting[Path]:
    """The DuckDB file: --warehouse, else AUDIENCE_DUCKDB_PATH as profiles.yml reads it."""
    return resolve(given, "--warehouse", "AUDIENCE_DUCKDB_PATH", Path, Path(DEFAULT_DUCKDB_PATH))


def add_warehouse_argument(parser: argparse.ArgumentParser) -> None:
    """--warehouse, for every command that reads or writes the warehouse."""
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=None,
        help=f"DuckDB file (default: env AUDIENCE_DUCKDB_PATH, else {DEFAULT_DUCKDB_PATH})",
    )


def warehouse_path() -> Path:
    """The DuckDB file dbt writes, from AUDIENCE_DUCKDB_PATH as profiles.yml reads it."""
    return warehouse_setting().value


def existing_warehouse(warehouse: Setting[Path] | Path | None = None) -> Path:
    """The warehouse's path; FileNotFoundError, naming where the path came from, when no file is
    there (a connection would create an empty warehouse)."""
    warehouse = as_setting(warehouse) if warehouse is not None else warehouse_setting()
    if not warehouse.value.exists():
        raise FileNotFoundError(f"No warehouse at {warehouse}: run `dbt build` first.")
    return warehouse.value
