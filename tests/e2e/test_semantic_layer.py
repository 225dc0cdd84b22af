"""The semantic layer (MetricFlow): `mf query` answers every saved query on a built warehouse,
and its segment members per day are agg_segment_sizes' own."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.support import DBT, BuiltWarehouse, copy_project, dbt_env

pytestmark = pytest.mark.slow

MF = Path(sys.executable).with_name("mf")


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as file:
        return list(csv.DictReader(file))


def test_every_saved_query_answers_and_segment_members_are_the_tables(
    defective_warehouse: BuiltWarehouse, tmp_path
):
    # mf reads target/semantic_manifest.json of the project it runs in: a copy of its own
    project = copy_project(tmp_path / "project")
    warehouse = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, warehouse)
    env = {**dbt_env(defective_warehouse.raw_path, warehouse), "DBT_PROFILES_DIR": str(project)}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            args, cwd=project, env=env, capture_output=True, text=True, check=False
        )

    parsed = run(str(DBT), "parse", "--quiet")
    assert parsed.returncode == 0, parsed.stdout[-3000:]
    semantic = json.loads((project / "target" / "semantic_manifest.json").read_text())
    saved = sorted(query["name"] for query in semantic["saved_queries"])
    assert {"segment_sizes_by_day", "rfm_grid", "cohort_retention_grid"} <= set(saved)

    answers = {}
    for name in saved:
        out = tmp_path / f"{name}.csv"
        result = run(str(MF), "query", "--saved-query", name, "--csv", str(out))
        assert result.returncode == 0, f"{name}: {result.stdout[-3000:]}{result.stderr[-3000:]}"
        answers[name] = rows_of(out)
        assert answers[name], f"{name} answered no rows"

    by_layer = {
        (row["metric_time__day"][:10], row["segment_day__segment_name"]): int(
            row["segment_members"]
        )
        for row in answers["segment_sizes_by_day"]
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        in_table = {
            (str(day), segment): members
            for day, segment, members in con.execute(
                "select as_of_date, segment_name, members from analytics.agg_segment_sizes"
            ).fetchall()
        }
    assert by_layer == in_table
