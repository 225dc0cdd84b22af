"""The project on Spark (dbt-spark, method session: a local Spark in the dbt process) against the
same data built on DuckDB.

Every SQL model that does not depend on the Python models (CLV and clustering: dbt-spark runs
Python models on Databricks only) is built on both engines from one generated data set with
defects, in two runs (the last three days of events arrive for the second, which the incremental
models add), and each table and view is compared row for row after ordering: the same columns,
and equal values (floats within 1e-9 relative, decimals within their last place, timestamps as
UTC instants), but for the columns that hold the run's clock or the engine's own hashes. The
Python side reads both builds through the warehouse access module: the summary, the privacy
report's figures and the quality suites come out the same."""

from __future__ import annotations

import datetime
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
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from orchestration import privacy_report, summary
from orchestration.quality.runner import run_suites
from orchestration.quality.suites import load_suites
from orchestration.relations import Relation
from orchestration.warehouse import MissingRelation, Warehouse, active_target, connect, connect_file
from tests.support import (
    DBT,
    PROJECT_DIR,
    add_raw_part,
    generate_data,
    run_dbt,
    split_events_at,
)

pytest.importorskip("pyspark.sql", reason="make spark-deps installs pyspark")

# the suites' clock: freshness is measured against it on both engines
CHECK_TIME = datetime.datetime(2026, 12, 1)
PYTHON_MODELS_AND_DOWNSTREAM = ["int_persons_clustered+", "int_persons_clv_predicted+"]
# values that are the run's own (its clock, its invocation) or the engine's (its hash function, the
# text it hashes a raw row as)
RUN_COLUMNS = {
    "scored_at",
    "occurred_at",
    "recorded_at",
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
    # each run's dbt invocation id (written into audit and history rows) -> one label per run,
    # the same on both engines
    invocations: dict[str, str]


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


def newest_receipt(raw: Path) -> datetime.datetime:
    received = pq.read_table(raw / "tracks", columns=["received_at"])["received_at"]
    return pc.max(received).as_py()


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    """Both engines build the data received up to three days before the newest event, then the
    rest arrives and both build again: the incremental models' second run is compared."""
    data_dir = tmp_path_factory.mktemp("spark")
    generate_data(data_dir / "generated", users=400, days=14, seed=5, defect_rate=0.05)
    cutoff = newest_receipt(data_dir / "generated" / "raw") - datetime.timedelta(days=3)
    raw = data_dir / "raw"
    held_back = split_events_at(data_dir / "generated" / "raw", raw, cutoff)
    duckdb_path = data_dir / "audience.duckdb"
    warehouse = data_dir / "spark"
    selection = ["--exclude", *PYTHON_MODELS_AND_DOWNSTREAM]

    invocations: dict[str, str] = {}

    def build(args: list[str]) -> None:
        result = run_dbt(args, raw, duckdb_path)
        assert result.returncode == 0, result.stdout[-5000:]
        run_spark_dbt(args, raw, warehouse)
        for target in ("target", "spark_target"):
            run = json.loads((data_dir / target / "run_results.json").read_text())
            invocations[run["metadata"]["invocation_id"]] = f"<run {len(invocations) // 2}>"

    build(["seed"])
    build(["run", *selection])
    for part in held_back.values():
        add_raw_part(part, raw)
    build(["run", *selection])
    results = json.loads((data_dir / "spark_target" / "run_results.json").read_text())
    manifest = json.loads((data_dir / "spark_target" / "manifest.json").read_text())
    relations = sorted(
        f"{manifest['nodes'][r['unique_id']]['schema']}.{manifest['nodes'][r['unique_id']]['alias']}"
        for r in results["results"]
        if r["unique_id"].startswith("model.")
    )
    return Builds(duckdb_path, warehouse, relations, invocations)


@pytest.fixture(scope="module")
def spark(builds: Builds) -> Iterator[Warehouse]:
    """The access module's Spark connection to the build, from profiles.yml's spark target as
    dbt read it."""
    with mock.patch.dict(os.environ, spark_env(Path("unused"), builds.spark_warehouse)):
        target = active_target()
    with connect(target=target) as con:
        yield con
    con.spark.stop()


def comparable(value: object, invocations: dict[str, str]) -> object:
    """A value as both engines' drivers can agree on it: numbers as floats, timestamps as naive
    UTC, missing as None, a run's invocation id as the run's label."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str):
        for invocation, label in invocations.items():
            value = value.replace(invocation, label)
        return value
    if isinstance(value, bool):
        return value
    if hasattr(value, "isoformat"):
        stamp = pd.Timestamp(value)
        return (stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp).isoformat()
    if hasattr(value, "__float__"):
        return float(value)
    return str(value)


def sorted_rows(
    frame: pd.DataFrame, columns: list[str], invocations: dict[str, str]
) -> list[tuple]:
    rows = [
        tuple(comparable(v, invocations) for v in row)
        for row in frame[columns].itertuples(index=False)
    ]
    return sorted(rows, key=repr)


def values_equal(left: object, right: object, is_decimal: bool) -> bool:
    """Floats within 1e-9 relative; decimals (scale 6 here) within one unit of their last place,
    since a division rounded to the scale may round the other way on the other engine."""
    if isinstance(left, float) and isinstance(right, float):
        if is_decimal and abs(left - right) <= 1.000001e-6:
            return True
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
    return left == right


def difference(
    spark_frame: pd.DataFrame, duckdb_frame: pd.DataFrame, invocations: dict[str, str]
) -> str | None:
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
        sorted_rows(spark_frame, columns, invocations),
        sorted_rows(duckdb_frame, columns, invocations),
        strict=True,
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
            spark_frame = spark.execute(f"select * from {relation}").df()
            found = difference(spark_frame, duckdb_frame, builds.invocations)
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


def check_outcomes(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], warehouse: Path) -> dict:
    """(suite, table, column) -> (passed, metric value) of the raw and staging suites (the marts
    and exports need the Python models) checked on the target `env` names."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    run = run_suites(warehouse, load_suites(names=["raw", "staging"]), now=CHECK_TIME)
    return {
        (r.check.suite, r.check.table, r.check.column): (r.is_success, r.metric_value)
        for r in run.results
    }


def test_the_quality_suites_judge_alike_on_spark(
    builds: Builds, spark: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_duckdb = check_outcomes(
        monkeypatch, {"AUDIENCE_TARGET": "ci", "DBT_TARGET": "ci"}, builds.duckdb_path
    )
    on_spark = check_outcomes(
        monkeypatch,
        {"DBT_TARGET": "spark", "AUDIENCE_SPARK_WAREHOUSE": str(builds.spark_warehouse)},
        builds.spark_warehouse,
    )
    assert len(on_duckdb) > 20
    assert on_spark.keys() == on_duckdb.keys()
    differences = {
        key: (on_spark[key], expected)
        for key, expected in on_duckdb.items()
        if on_spark[key][0] != expected[0]
        or not values_equal(
            *(None if v is None else float(v) for v in (on_spark[key][1], expected[1])),
            is_decimal=False,
        )
    }
    assert not differences, differences
    with connect_file(builds.duckdb_path, read_only=True) as con:
        stored = con.execute("select count(*) from quality.check_results").fetchone()[0]
    assert spark.execute("select count(*) from quality.check_results").fetchone()[0] == stored
