"""A dbt-duckdb plugin for profiles.yml's dev target: dbt run by hand with nothing configured
says what to run instead of failing on DuckDB's bare "Cannot open file". DuckDB creates the
warehouse file but never its folder, so a missing folder means the demo was never made and no
setting points elsewhere: no warehouse is created, in that place or any other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.credentials import DuckDBCredentials
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError


class Plugin(BasePlugin):
    def update_connection_config(self, creds: DuckDBCredentials, config: dict[str, Any]) -> None:
        folder = Path(creds.path).parent
        if creds.path != ":memory:" and not folder.is_dir():
            raise DbtRuntimeError(
                f"No folder {folder}/ for the warehouse {creds.path} (env AUDIENCE_DUCKDB_PATH; "
                "unset, the demo's). Run `make demo` to build the demo there, or set "
                "AUDIENCE_DUCKDB_PATH and AUDIENCE_RAW_PATH to your warehouse file and raw data."
            )
