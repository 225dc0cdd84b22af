"""The project on Spark (dbt-spark, method session: a local Spark in the dbt process) against the
same data built on DuckDB.

Every SQL model that does not depend on the Python models (CLV and clustering: dbt-spark runs
Python models on Databricks only) is built on both engines from one generated data set with
defects, in two runs (the last three days of events arrive for the second, which the incremental
models add), and each table and view is compared row for row after ordering: the same columns,
and equal values (floats within 1e-9 relative, decimals within their last place, timestamps as
UTC instants), but for the columns that hold the run's clock or the engine's own hashes. The
Python side reads both builds through the warehouse access module: the summary, the privacy
report's figures and the quality suites come out the same.

Then the same warehouse is served by a Thrift server, as a cluster serves its own: the seeds and
the models up to the identity graph and the sessions are built through it (and on DuckDB) once
more, and every comparison runs again through the Thrift connection. One full build, not one per
connection method: the SQL is the same, and CI is over its time budget (BENCHMARKS.md)."""

from __future__ import annotations

import contextlib
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
from orchestration.cli import main
from orchestration.quality.runner import CheckRun, run_suites
from orchestration.quality.suites import load_suites
from orchestration.relations import Relation
from orchestration.warehouse import MissingRelation, Warehouse, active_target, connect, connect_file
from tests.spark.thrift_server import thrift_server
from tests.support import (
    DBT,
    PROJECT_DIR,
    add_raw_part,
    dbt_target,
    generate_data,
    run_dbt,
    split_events_at,
)

pyspark = pytest.importorskip("pyspark", reason="make spark-deps installs pyspark")

# the suites' clock: freshness is measured against it on both engines
CHECK_TIME = datetime.datetime(2026, 12, 1)
# Spark in the dbt process (method session) and behind a Thrift server (method thrift), in this
# order: the Thrift server opens the metastore the session held
ENGINES = ("spark", "thrift")
# what is built through the Thrift server: seeds, tables, views and incremental models, and the
# project's hooks
THRIFT_SELECTION = ["--select", "+int_sessions_aggregated", "+fct_identity_merges"]
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


@dataclass
class Builds:
    duckdb_path: Path
    raw: Path
    spark_warehouse: Path
    relations: list[str]
    # each run's dbt invocation id (written into audit and history rows) -> one label per run,
    # the same on every engine
    invocations: dict[str, str]
    # the port of the Thrift server serving spark_warehouse, while it runs
    thrift_port: int | None = None

    def env(self, engine: str) -> dict[str, str]:
        """The settings that make `engine` (spark: a session; thrift: the Thrift server) the
        target, for dbt and the Python side."""
        if engine == "thrift":
            assert self.thrift_port is not None, "the Thrift server is not running"
            return {
                "DBT_TARGET": "spark_thrift",
                "AUDIENCE_SPARK_PORT": str(self.thrift_port),
                # as the session's: a few hundred persons fill few partitions
                "AUDIENCE_SPARK_SHUFFLE_PARTITIONS": "4",
            }
        return {"DBT_TARGET": "spark", "AUDIENCE_SPARK_WAREHOUSE": str(self.spark_warehouse)}

    def build(self, args: list[str], engine: str) -> None:
        """One step on DuckDB and on `engine`; the invocations of a step share its label."""
        result = run_dbt(args, self.raw, self.duckdb_path)
        assert result.returncode == 0, result.stdout[-5000:]
        target_dir = self.target_dir(engine)
        run_dbt_on(args, self.raw, self.env(engine), target_dir)
        label = f"<run {len(self.invocations) // 2}>"
        for folder in (dbt_target(self.duckdb_path), target_dir):
            run = json.loads((folder / "run_results.json").read_text())
            self.invocations[run["metadata"]["invocation_id"]] = label

    def target_dir(self, engine: str) -> Path:
        return self.duckdb_path.parent / f"{engine}_target"


def run_dbt_on(args: list[str], raw_path: Path, target: dict[str, str], target_dir: Path) -> None:
    """dbt on the target `target` names (Builds.env), its artifacts in target_dir."""
    result = subprocess.run(
        [str(DBT), *args, "--target-path", str(target_dir)],
        cwd=PROJECT_DIR,
        env={
            **os.environ,
            "DBT_EXCLUDE_RESOURCE_TYPES": "unit_test",
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "AUDIENCE_RAW_PATH": str(raw_path),
            **target,
        },
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
    """DuckDB and Spark in a session build the data received up to three days before the newest
    event, then the rest arrives and both build again: the incremental models' second run is
    compared."""
    data_dir = tmp_path_factory.mktemp("spark")
    generate_data(data_dir / "generated", users=400, days=14, seed=5, defect_rate=0.05)
    cutoff = newest_receipt(data_dir / "generated" / "raw") - datetime.timedelta(days=3)
    raw = data_dir / "raw"
    held_back = split_events_at(data_dir / "generated" / "raw", raw, cutoff)
    found = Builds(data_dir / "audience.duckdb", raw, data_dir / "spark", [], {})
    selection = ["--exclude", *PYTHON_MODELS_AND_DOWNSTREAM]
    found.build(["seed"], "spark")
    found.build(["run", *selection], "spark")
    for part in held_back.values():
        add_raw_part(part, raw)
    found.build(["run", *selection], "spark")
    results = json.loads((found.target_dir("spark") / "run_results.json").read_text())
    manifest = json.loads((found.target_dir("spark") / "manifest.json").read_text())
    found.relations.extend(
        sorted(
            f"{manifest['nodes'][r['unique_id']]['schema']}.{manifest['nodes'][r['unique_id']]['alias']}"
            for r in results["results"]
            if r["unique_id"].startswith("model.")
        )
    )
    return found


def connected(builds: Builds, engine: str) -> Warehouse:
    """The access module's connection to an engine's build, from its target in profiles.yml."""
    with mock.patch.dict(os.environ, builds.env(engine)):
        return connect(target=active_target())


def stop_session_jvm(con: Warehouse) -> None:
    """The session stopped and its JVM ended: the embedded Derby metastore lets one JVM in."""
    con.spark.stop()
    gateway = pyspark.SparkContext._gateway
    gateway.shutdown()
    gateway.proc.terminate()
    gateway.proc.wait(timeout=60)
    pyspark.SparkContext._gateway = None
    pyspark.SparkContext._jvm = None


@contextlib.contextmanager
def session_warehouse(builds: Builds) -> Iterator[Warehouse]:
    with connected(builds, "spark") as con:
        yield con
    stop_session_jvm(con)


@contextlib.contextmanager
def thrift_warehouse(builds: Builds, folder: Path) -> Iterator[Warehouse]:
    """The session's warehouse behind a Thrift server, with a part of the project built through
    it (and on DuckDB) once more."""
    with thrift_server(folder, builds.spark_warehouse) as port:
        builds.thrift_port = port
        builds.build(["seed"], "thrift")
        builds.build(["run", *THRIFT_SELECTION], "thrift")
        with connected(builds, "thrift") as con:
            yield con
        builds.thrift_port = None


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


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, builds: Builds, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Warehouse]]:
    """Each way to Spark in turn, every test of one before the other's (pytest groups the tests
    by a module fixture's parameter), with the access module's connection to its build."""
    if request.param == "spark":
        with session_warehouse(builds) as con:
            yield "spark", con
    else:
        with thrift_warehouse(builds, tmp_path_factory.mktemp("thrift")) as con:
            yield "thrift", con


def test_every_model_builds_on_spark_and_equals_duckdb(
    builds: Builds, engine: tuple[str, Warehouse]
) -> None:
    assert len(builds.relations) > 60, builds.relations
    differences: dict[str, str] = {}
    with connect_file(builds.duckdb_path, read_only=True) as con:
        for relation in builds.relations:
            duckdb_frame = con.execute(f"select * from {relation}").df()
            spark_frame = engine[1].execute(f"select * from {relation}").df()
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
def test_the_summary_reads_the_same_on_spark(
    builds: Builds, engine: tuple[str, Warehouse], section
) -> None:
    with connect_file(builds.duckdb_path, read_only=True) as con:
        expected = section(con)
    assert expected
    assert section(engine[1]) == expected


def privacy_figures(con: Warehouse, manifest: dict) -> tuple[list, list]:
    """The privacy report's figures of models built without the Python models (consent coverage
    reads dim_persons, which is not); the time of the last deletion is the run's own."""
    done = privacy_report.deletions_done(con, manifest)
    return (
        privacy_report.deletion_status(con, manifest),
        [(reason, table, int(rows)) for reason, table, rows, _ in done],
    )


def test_the_privacy_report_reads_the_same_on_spark(
    builds: Builds, engine: tuple[str, Warehouse]
) -> None:
    manifest_path = builds.target_dir("spark") / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    with connect_file(builds.duckdb_path, read_only=True) as con:
        expected = privacy_figures(con, manifest)
    assert all(expected)
    assert privacy_figures(engine[1], manifest) == expected


def test_a_missing_relation_is_one_error_on_every_engine(
    builds: Builds, engine: tuple[str, Warehouse]
) -> None:
    with connect_file(builds.duckdb_path, read_only=True) as con:
        for connection in (con, engine[1]):
            with pytest.raises(MissingRelation):
                connection.execute("select * from analytics.no_such_table")
            assert not connection.has_relation(Relation("analytics", "no_such_table"))
            assert connection.relation_names("no_such_schema") == []


def checked(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], warehouse: Path) -> CheckRun:
    """The raw and staging suites (the marts and exports need the Python models) checked on the
    target `env` names."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return run_suites(warehouse, load_suites(names=["raw", "staging"]), now=CHECK_TIME)


def outcomes(run: CheckRun) -> dict:
    """(suite, table, column) -> (passed, metric value as a float)."""
    return {
        (r.check.suite, r.check.table, r.check.column): (
            r.is_success,
            None if r.metric_value is None else float(r.metric_value),
        )
        for r in run.results
    }


def test_the_quality_suites_judge_alike_on_spark(
    builds: Builds, engine: tuple[str, Warehouse], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, connection = engine
    on_duckdb = checked(monkeypatch, {"DBT_TARGET": "ci"}, builds.duckdb_path)
    on_spark = checked(monkeypatch, builds.env(name), builds.spark_warehouse)
    expected, found = outcomes(on_duckdb), outcomes(on_spark)
    assert len(expected) > 20
    assert found.keys() == expected.keys()
    differences = {
        key: (found[key], wanted)
        for key, wanted in expected.items()
        if found[key][0] != wanted[0] or not values_equal(found[key][1], wanted[1], False)
    }
    assert not differences, differences
    stored = connection.execute(
        "select count(*) from quality.check_results where run_id = ?", [on_spark.run_id]
    ).fetchone()[0]
    assert stored == len(on_spark.results) + len(on_spark.groups)


def printed_section(printed: str, title: str) -> list[str]:
    lines = printed.splitlines()
    start = lines.index(title)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i]), len(lines))
    return lines[start:end]


def test_the_commands_read_a_spark_build(
    builds: Builds, engine: tuple[str, Warehouse], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    now = ["--now", CHECK_TIME.isoformat()]
    monkeypatch.setenv("DBT_TARGET", "ci")
    local = [main(["summary", "--warehouse", str(builds.duckdb_path)])]
    local.append(main(["check", "--suite", "raw", "--warehouse", str(builds.duckdb_path), *now]))
    local_printed = capsys.readouterr().out
    for name, value in builds.env(engine[0]).items():
        monkeypatch.setenv(name, value)
    on_spark = [main(["summary"]), main(["check", "--suite", "raw", *now])]
    spark_printed = capsys.readouterr().out
    assert on_spark == local
    assert local[0] == 0
    for title in ("Rows per model", "Quarantined rows", "Identity"):
        assert printed_section(spark_printed, title) == printed_section(local_printed, title)
    checked = [line for line in spark_printed.splitlines() if " expectations: " in line]
    assert len(checked) == 1
