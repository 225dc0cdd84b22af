"""One simulated world written in every event layout (var event_layout) builds the same users,
segments and exports; the vendor layouts read from files and from warehouse tables alike, with
their event tables cast to the tracking plan's types."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from orchestration.cli import main
from tests.support import PROJECT_DIR, dbt_env, generate_data, run_dbt

# about 12 minutes of builds: started among the first
pytestmark = pytest.mark.slow(minutes=12)

AUDIENCE = Path(sys.executable).with_name("audience")
LAYOUTS = ("json_properties", "segment_warehouse", "rudderstack_warehouse", "snowplow_atomic")
# when the build ran, not what it read
RUN_TIME_COLUMNS = {"profile_updated_at"}
STAGING = ["build", "-s", "tracking_plan countries +staging.segment"]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, dict]:
    """Each layout's raw data (seed 11) and a full build of it (without unit tests, as every test
    build: they take their input columns from the raw tables, of the default layout)."""
    built = {}
    for layout in LAYOUTS:
        folder = tmp_path_factory.mktemp(layout)
        manifest = generate_data(
            folder, users=300, days=10, seed=11, defect_rate=0.02, layout=layout
        )
        path = folder / "audience.duckdb"
        result = run_dbt(
            ["build"], folder / "raw", path, extra_env={"AUDIENCE_EVENT_LAYOUT": layout}
        )
        assert result.returncode == 0, result.stdout[-5000:]
        built[layout] = {"raw": folder / "raw", "warehouse": path, "manifest": manifest}
    return built


def activation_tables(con) -> list[str]:
    return [
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'json_properties' and (table_schema in ('segments', 'exports') "
            "or table_name = 'dim_persons') order by 1, 2"
        ).fetchall()
    ]


def differences(con, table: str, left: str, right: str, ignored: tuple[str, ...] = ()) -> int:
    """Rows of `table` in one attached warehouse and not the other, either way."""
    columns = [
        f'"{c}"'
        for (c,) in con.execute(f"select column_name from (describe {left}.{table})").fetchall()
        if c not in RUN_TIME_COLUMNS and c not in ignored
    ]
    listed = ", ".join(columns)
    return sum(
        con.execute(
            f"select count(*) from (select {listed} from {a}.{table} "
            f"except all select {listed} from {b}.{table})"
        ).fetchone()[0]
        for a, b in ((left, right), (right, left))
    )


@pytest.mark.parametrize("layout", LAYOUTS[1:])
def test_every_layout_builds_the_same_users_segments_and_exports(builds, layout):
    with duckdb.connect() as con:
        for name in ("json_properties", layout):
            con.execute(f"attach '{builds[name]['warehouse']}' as {name} (read_only)")
        tables = activation_tables(con)
        assert "analytics.dim_persons" in tables and len(tables) > 20
        found = {table: differences(con, table, "json_properties", layout) for table in tables}
        assert found == dict.fromkeys(tables, 0)
        members = con.execute(f"select count(*) from {layout}.exports.exp_klaviyo").fetchone()[0]
        users = con.execute(f"select count(*) from {layout}.analytics.dim_persons").fetchone()[0]
    assert members > 0 and users > 100


def test_what_a_layout_cannot_carry_is_listed(builds):
    def one(layout: str, sql: str):
        with duckdb.connect(str(builds[layout]["warehouse"]), read_only=True) as con:
            return con.execute(sql).fetchone()[0]

    malformed = (
        "select count(*) from staging.stg_segment__tracks_quarantine "
        "where quarantine_reason = 'malformed_properties'"
    )
    assert one("json_properties", malformed) > 0
    for layout in LAYOUTS[1:]:
        assert one(layout, malformed) == 0
        assert builds[layout]["manifest"]["tracks_not_carried"] == one("json_properties", malformed)
    named_pages = "select count(page_name) from staging.stg_segment__pages"
    assert one("json_properties", named_pages) > 0
    assert one("snowplow_atomic", named_pages) == 0


def test_vendor_tables_read_as_warehouse_tables(builds, tmp_path):
    raw = builds["segment_warehouse"]["raw"]
    path = tmp_path / "tables.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema landing")
        for folder in sorted(p for p in raw.iterdir() if p.is_dir()):
            con.execute(
                f"create table landing.{folder.name} as "
                f"select * from read_parquet('{folder}/*.parquet')"
            )
    result = run_dbt(
        STAGING, raw, path,
        extra_env={"AUDIENCE_RAW_FORMAT": "table", "AUDIENCE_RAW_SCHEMA": "landing",
                   "AUDIENCE_EVENT_LAYOUT": "segment_warehouse"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    # the same selection from the files (a full build also leaves out erased persons' rows)
    files = tmp_path / "files.duckdb"
    result = run_dbt(STAGING, raw, files, extra_env={"AUDIENCE_EVENT_LAYOUT": "segment_warehouse"})
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect() as con:
        con.execute(f"attach '{path}' as tables (read_only)")
        con.execute(f"attach '{files}' as files (read_only)")
        for table in ("stg_segment__tracks", "stg_segment__pages", "stg_segment__identifies"):
            assert differences(con, f"staging.{table}", "tables", "files") == 0


def test_models_find_the_raw_tables_in_the_cache_the_hook_filled(builds, tmp_path):
    """Base models look raw tables up in parallel: had a model's lookup filled dbt's relation
    cache for the raw schema, another model's could see it half filled and miss a table."""
    path = tmp_path / "audience.duckdb"
    result = run_dbt(
        ["--debug", *STAGING], builds["segment_warehouse"]["raw"], path,
        extra_env={"AUDIENCE_EVENT_LAYOUT": "segment_warehouse"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    misses = [line for line in result.stdout.splitlines() if "cache miss for schema" in line]
    assert any('"audience.raw"' in line for line in misses)
    assert not [line for line in misses if '"audience.raw"' in line and '"master"' not in line]


def test_event_tables_are_cast_to_the_plan_and_read_as_found(builds, tmp_path):
    """A price column widened to text by a bad value, an extra column, a property column and a
    whole event table missing: the bad optional value is nulled and listed, the tracks missing a
    required property are held, the rest load."""
    raw = tmp_path / "raw"
    shutil.copytree(builds["segment_warehouse"]["raw"], raw)
    viewed = pq.read_table(raw / "product_viewed")
    price = pc.cast(viewed["price"], pa.string())
    price = pc.if_else(pa.array([i == 0 for i in range(viewed.num_rows)]), "twelve", price)
    viewed = viewed.set_column(viewed.schema.get_field_index("price"), "price", price)
    viewed = viewed.append_column("coupon_code", pa.array(["X"] * viewed.num_rows))
    shutil.rmtree(raw / "product_viewed")
    (raw / "product_viewed").mkdir()
    pq.write_table(viewed, raw / "product_viewed" / "part-0.parquet")
    searched = pq.read_table(raw / "products_searched").drop_columns(["query"])
    shutil.rmtree(raw / "products_searched")
    (raw / "products_searched").mkdir()
    pq.write_table(searched, raw / "products_searched" / "part-0.parquet")
    shutil.rmtree(raw / "review_submitted")
    path = tmp_path / "audience.duckdb"
    result = run_dbt(STAGING, raw, path, extra_env={"AUDIENCE_EVENT_LAYOUT": "segment_warehouse"})
    assert result.returncode == 0, result.stdout[-3000:]
    bad = viewed["id"][0].as_py()
    with duckdb.connect(str(path), read_only=True) as con:
        listed = con.execute(
            "select quarantine_action, quarantine_reason, field_name, raw_value "
            "from staging.stg_segment__tracks_quarantine where record_key = ?",
            [bad],
        ).fetchall()
        kept = con.execute(
            "select price from staging.stg_segment__tracks where message_id = ?", [bad]
        ).fetchall()
        rejected = dict(
            con.execute(
                "select event_name_sent || '.' || quarantine_field, count(*) "
                "from staging.base_segment__tracks "
                "where quarantine_reason = 'required_property_missing' group by 1"
            ).fetchall()
        )
        staged = dict(
            con.execute(
                "select event_name, count(*) from staging.stg_segment__tracks group by 1"
            ).fetchall()
        )
    assert listed == [("value_nulled", "property_wrong_type", "price", "twelve")]
    assert kept == [(None,)]
    assert staged["Product Viewed"] > 0
    # a required property's column, or its whole event table, missing: every such track is held
    assert rejected["Products Searched.query"] > 0
    assert rejected["Review Submitted.product_id"] > 0
    assert "Products Searched" not in staged and "Review Submitted" not in staged


def test_an_unknown_layout_is_a_configuration_error(builds, tmp_path):
    result = run_dbt(
        STAGING, builds["json_properties"]["raw"], tmp_path / "audience.duckdb",
        extra_env={"AUDIENCE_EVENT_LAYOUT": "segment"},
    )  # fmt: skip
    assert result.returncode != 0
    assert "var event_layout" in result.stdout and "snowplow_atomic" in result.stdout


@pytest.mark.parametrize("layout", ["segment_warehouse", "snowplow_atomic"])
def test_the_quality_gates_read_the_raw_tables_of_the_layout(builds, layout, monkeypatch, capsys):
    monkeypatch.setenv("AUDIENCE_EVENT_LAYOUT", layout)
    warehouse = str(builds[layout]["warehouse"])
    code = main(["check", "--warehouse", warehouse, "--now", "2026-10-11T01:00:00"])
    out = capsys.readouterr().out
    assert code == 0, out
    with duckdb.connect(warehouse, read_only=True) as con:
        results = dict(
            con.execute(
                "select column_name || ' ' || table_name, observed_value "
                "from quality.check_results where suite = 'raw'"
            ).fetchall()
        )
    assert results["column_and_type raw.tracks"] == f"not applicable in event layout {layout}"
    assert float(results["rows raw.tracks"]) > 1000


def test_snowplow_entities_typed_or_text_and_network_ids_read_alike(builds, tmp_path):
    """Self-describing events and entities loaded as typed columns (structs, as the BigQuery and
    Databricks loaders write them) read as their JSON text does; network_userid stands in for a
    missing domain_userid."""
    source = builds["snowplow_atomic"]["raw"]
    raw = tmp_path / "raw"
    shutil.copytree(source, raw)
    shutil.rmtree(raw / "events")
    (raw / "events").mkdir()
    with duckdb.connect() as con:
        con.execute(f"create table events as select * from '{source}/events/*.parquet'")
        entities = [
            name
            for (name,) in con.execute(
                "select column_name from (describe events) "
                "where column_name like 'unstruct_event_%' or column_name like 'contexts_%'"
            ).fetchall()
        ]
        typed = {}
        for name in entities:
            (structure,) = con.execute(
                f"select json_group_structure({name}::json) from events"
            ).fetchone()
            if structure != '"NULL"':  # columns of events never sent stay as they are
                typed[name] = f"from_json({name}, '{structure}') as {name}"
        entities = list(typed)
        con.execute(
            f"copy (select * replace ({', '.join(typed.values())}, "
            "case when hash(event_id) % 5 = 0 then null else domain_userid end as domain_userid, "
            "case when hash(event_id) % 5 = 0 then domain_userid end as network_userid) "
            f"from events) to '{raw}/events/part-0.parquet'"
        )
        kinds = {
            row[0]
            for row in con.execute(
                f"select column_type from (describe select * from '{raw}/events/*.parquet') "
                f"where column_name in ({', '.join(repr(n) for n in entities)})"
            ).fetchall()
        }
    assert all(kind.startswith(("STRUCT", "MAP")) or kind.endswith("[]") for kind in kinds)
    layout = {"AUDIENCE_EVENT_LAYOUT": "snowplow_atomic"}
    paths = {}
    for name, folder in (("typed", raw), ("text", source)):
        paths[name] = tmp_path / f"{name}.duckdb"
        result = run_dbt(STAGING, folder, paths[name], extra_env=layout)
        assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect() as con:
        for name, path in paths.items():
            con.execute(f"attach '{path}' as {name} (read_only)")
        for table in ("stg_segment__tracks", "stg_segment__pages", "stg_segment__identifies"):
            # `properties` is the same object, written out from typed values
            assert differences(con, f"staging.{table}", "typed", "text", ("properties",)) == 0
        devices = con.execute(
            "select count(device_type), count(*) from typed.staging.stg_segment__pages"
        ).fetchone()
    assert devices[0] > 0.9 * devices[1]


def test_a_refresh_in_a_layout_builds_gates_and_exports(builds, tmp_path):
    """audience refresh as a user runs it with a vendor layout: dbt build (its unit tests, which
    need the contract's raw tables, left out), the gates, then the exports."""
    path = tmp_path / "audience.duckdb"
    shutil.copy(builds["rudderstack_warehouse"]["warehouse"], path)
    result = subprocess.run(
        [str(AUDIENCE), "refresh", "--now", "2026-10-11T01:00:00"],
        cwd=PROJECT_DIR,
        env={**dbt_env(builds["rudderstack_warehouse"]["raw"], path),
             "AUDIENCE_EVENT_LAYOUT": "rudderstack_warehouse"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    assert "refresh complete" in result.stdout


def test_a_tracks_table_with_its_own_properties_reads_them(builds, tmp_path):
    """A JSON-layout export read as a warehouse layout: tracks' own properties stand in where no
    event table has the message."""
    raw = builds["json_properties"]["raw"]
    paths = {}
    for name, layout in (("vendor", "segment_warehouse"), ("contract", "json_properties")):
        paths[name] = tmp_path / f"{name}.duckdb"
        result = run_dbt(STAGING, raw, paths[name], extra_env={"AUDIENCE_EVENT_LAYOUT": layout})
        assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect() as con:
        for name, path in paths.items():
            con.execute(f"attach '{path}' as {name} (read_only)")
        assert differences(con, "staging.stg_segment__tracks", "vendor", "contract") == 0
        priced = con.execute(
            "select count(price) from vendor.staging.stg_segment__tracks"
        ).fetchone()[0]
    assert priced > 0
