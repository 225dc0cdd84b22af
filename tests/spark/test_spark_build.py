"""The project on Spark (dbt-spark, method session: a local Spark in the dbt process) against the
same data built on DuckDB.

Every SQL model that does not depend on the Python models (CLV and clustering: dbt-spark runs
Python models on Databricks only) is built on both engines from one generated data set with
defects, and each table and view is compared row for row after ordering: the same columns, and
equal values (floats within 1e-9 relative, decimals within their last place, timestamps as UTC
instants), but for the columns that hold the run's clock or the engine's own hashes."""

from __future__ import annotations

import json
import math
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

from orchestration import privacy_report, summary
from orchestration.relations import Relation
from orchestration.warehouse import MissingRelation, Warehouse, active_target, connect, connect_file
from tests.support import DBT, PROJECT_DIR, generate_data, run_dbt

pytest.importorskip("pyspark.sql", reason="make spark-deps installs pyspark")

PYTHON_MODELS_AND_DOWNSTREAM = ["int_persons_clustered+", "int_persons_clv_predicted+"]
# values that are the run's own (its clock, its invocation) or the engine's (its hash function, the
# text it hashes a raw row as)
RUN_COLUMNS = {
    "scored_at",
    "occurred_at",
    "erased_at",
    "purged_at",
    "resolved_invocation_id",
    "erased_invocation_id",
    "input_fingerprint",
    "raw_row_hash",
    "details",
}


@dataclass(frozen=True)
class Builds:
    duckdb_path: Path
    spark_warehouse: Path
    relations: list[str]


def spark_env(raw_path: Path, warehouse: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DBT_EXCLUDE_RESOURCE_TYPES": "unit_test",
        "DBT_PROFILES_DIR": str(PROJECT_DIR),
        "AUDIENCE_TARGET": "spark",
        "AUDIENCE_RAW_PATH": str(raw_path),
        "AUDIENCE_SPARK_WAREHOUSE": str(warehouse),
    }


def run_spark_dbt(args: list[str], raw_path: Path, warehouse: Path) -> None:
    result = subprocess.run(
        [str(DBT), *args, "--target-path", str(warehouse.parent / "spark_target")],
        cwd=PROJECT_DIR,
        env=spark_env(raw_path, warehouse),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    data_dir = tmp_path_factory.mktemp("spark")
    generate_data(data_dir, users=400, days=14, seed=5, defect_rate=0.05)
    raw = data_dir / "raw"
    duckdb_path = data_dir / "audience.duckdb"
    selection = ["--exclude", *PYTHON_MODELS_AND_DOWNSTREAM]
    for args in (["seed"], ["run", *selection]):
        result = run_dbt(args, raw, duckdb_path)
        assert result.returncode == 0, result.stdout[-5000:]
    warehouse = data_dir / "spark"
    run_spark_dbt(["seed"], raw, warehouse)
    run_spark_dbt(["run", *selection], raw, warehouse)
    results = json.loads((data_dir / "spark_target" / "run_results.json").read_text())
    manifest = json.loads((data_dir / "spark_target" / "manifest.json").read_text())
    relations = sorted(
        f"{manifest['nodes'][r['unique_id']]['schema']}.{manifest['nodes'][r['unique_id']]['alias']}"
        for r in results["results"]
        if r["unique_id"].startswith("model.")
    )
    return Builds(duckdb_path, warehouse, relations)


@pytest.fixture(scope="module")
def spark(builds: Builds) -> Iterator[Warehouse]:
    """The access module's Spark connection to the build, from profiles.yml's spark target as
    dbt read it."""
    with mock.patch.dict(os.environ, spark_env(Path("unused"), builds.spark_warehouse)):
        target = active_target()
    with connect(target=target) as con:
        yield con
    con.spark.stop()


def comparable(value: object) -> object:
    """A value as both engines' drivers can agree on it: numbers as floats, timestamps as naive
    UTC, missing as None."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool | str):
        return value
    if hasattr(value, "isoformat"):
        stamp = pd.Timestamp(value)
        return (stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp).isoformat()
    if hasattr(value, "__float__"):
        return float(value)
    return str(value)


def sorted_rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    rows = [tuple(comparable(v) for v in row) for row in frame[columns].itertuples(index=False)]
    return sorted(rows, key=repr)


def values_equal(left: object, right: object, is_decimal: bool) -> bool:
    """Floats within 1e-9 relative; decimals (scale 6 here) within one unit of their last place,
    since a division rounded to the scale may round the other way on the other engine."""
    if isinstance(left, float) and isinstance(right, float):
        if is_decimal and abs(left - right) <= 1.000001e-6:
            return True
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
    return left == right


def difference(spark_frame: pd.DataFrame, duckdb_frame: pd.DataFrame) -> str | None:
    """Why the two builds of a relation differ, or None."""
    if list(spark_frame.columns) != list(duckdb_frame.columns):
        return (
            f"columns {list(spark_frame.columns)} on Spark, {list(duckdb_frame.columns)} on DuckDB"
        )
    if len(spark_frame) != len(duckdb_frame):
        return f"{len(spark_frame)} rows on Spark, {len(duckdb_frame)} on DuckDB"
    columns = [c for c in spark_frame.columns if c not in RUN_COLUMNS]
    decimals = {c for c in columns if any(isinstance(v, Decimal) for v in spark_frame[c].head(100))}
    for spark_row, duckdb_row in zip(
        sorted_rows(spark_frame, columns), sorted_rows(duckdb_frame, columns), strict=True
    ):
        for column, left, right in zip(columns, spark_row, duckdb_row, strict=True):
            if not values_equal(left, right, column in decimals):
                return f"column {column}: {left!r} on Spark, {right!r} on DuckDB"
    return None


def test_every_model_builds_on_spark_and_equals_duckdb(builds: Builds, spark: Warehouse) -> None:
    assert len(builds.relations) > 60, builds.relations
    differences: dict[str, str] = {}
    with connect_file(builds.duckdb_path, read_only=True) as con:
        for relation in builds.relations:
            duckdb_frame = con.execute(f"select * from {relation}").df()
            found = difference(spark.execute(f"select * from {relation}").df(), duckdb_frame)
            if found is not None:
                differences[relation.split(".")[1]] = found
    assert not differences, "\n".join(f"{name}: {why}" for name, why in sorted(differences.items()))


@pytest.mark.parametrize(
    "section",
    [
        summary.model_row_counts,
        summary.quarantine_counts,
        summary.identity_counts,
        summary.bot_counts,
    ],
)
def test_the_summary_reads_the_same_on_spark(builds: Builds, spark: Warehouse, section) -> None:
    with connect_file(builds.duckdb_path, read_only=True) as con:
        expected = section(con)
    assert expected
    assert section(spark) == expected


def privacy_figures(con: Warehouse, manifest: dict) -> tuple[list, list]:
    """The privacy report's figures of models built without the Python models (consent coverage
    reads dim_persons, which is not); the time of the last deletion is the run's own."""
    done = privacy_report.deletions_done(con, manifest)
    return (
        privacy_report.deletion_status(con, manifest),
        [(reason, table, int(rows)) for reason, table, rows, _ in done],
    )


def test_the_privacy_report_reads_the_same_on_spark(builds: Builds, spark: Warehouse) -> None:
    manifest_path = builds.spark_warehouse.parent / "spark_target" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    with connect_file(builds.duckdb_path, read_only=True) as con:
        expected = privacy_figures(con, manifest)
    assert all(expected)
    assert privacy_figures(spark, manifest) == expected


def test_a_missing_relation_is_the_same_error_on_both_engines(
    builds: Builds, spark: Warehouse
) -> None:
    with connect_file(builds.duckdb_path, read_only=True) as con:
        for engine in (con, spark):
            with pytest.raises(MissingRelation):
                engine.execute("select * from analytics.no_such_table")
            assert not engine.has_relation(Relation("analytics", "no_such_table"))
            assert engine.relation_names("no_such_schema") == []
