"""Every table and view the project builds has column types BI drivers read (Metabase's and
Superset's DuckDB drivers, JDBC, ODBC): no 128-bit or unsigned integers, which DuckDB gives a sum
of integers, and decimals within the project's numeric type, never the 38 digits a sum of
decimals widens to; in the published copy, timestamps with their time zone."""

from __future__ import annotations

import re

import duckdb

from orchestration.publish import publish
from tests.support import BuiltWarehouse

READABLE = {"BOOLEAN", "SMALLINT", "INTEGER", "BIGINT", "DOUBLE", "DATE", "VARCHAR", "TIMESTAMP",
            "TIMESTAMP WITH TIME ZONE"}  # fmt: skip
DECIMAL = re.compile(r"DECIMAL\((\d+),(\d+)\)")
# the widest decimal the models declare (dbt.type_numeric() on DuckDB)
MAX_PRECISION = 28


def bi_readable(data_type: str) -> bool:
    decimal = DECIMAL.fullmatch(data_type)
    return data_type in READABLE or (decimal is not None and int(decimal[1]) <= MAX_PRECISION)


def test_the_check_tells_readable_types_from_the_others():
    assert bi_readable("BIGINT") and bi_readable("DECIMAL(28,6)")
    assert not bi_readable("HUGEINT") and not bi_readable("UBIGINT")
    assert not bi_readable("DECIMAL(38,6)") and not bi_readable("INTEGER[]")


def test_every_built_column_has_a_type_bi_drivers_read(defective_warehouse: BuiltWarehouse):
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        columns = con.execute(
            "select table_schema || '.' || table_name || '.' || column_name, data_type "
            "from information_schema.columns where table_schema not in ('raw', 'main') "
            "order by 1"
        ).fetchall()
    assert len(columns) > 1000
    assert [
        (column, data_type) for column, data_type in columns if not bi_readable(data_type)
    ] == []


def test_the_published_copy_has_its_timestamps_with_their_time_zone(
    defective_warehouse: BuiltWarehouse, tmp_path
):
    """The warehouse keeps UTC as TIMESTAMP (`_at`); readers get TIMESTAMP WITH TIME ZONE, the
    same instants, so a BI tool in another time zone shows them right."""
    published = publish(defective_warehouse.duckdb_path, tmp_path / "published").path
    with duckdb.connect(str(published / "audience.duckdb"), read_only=True) as con:
        types = dict(
            con.execute(
                "select table_schema || '.' || table_name || '.' || column_name, data_type "
                "from information_schema.columns"
            ).fetchall()
        )
        dim_persons = con.execute(
            "select person_id, epoch_us(first_seen_at) from analytics.dim_persons order by 1"
        ).fetchall()
    timestamps = {column for column, data_type in types.items() if "TIMESTAMP" in data_type}
    assert len(timestamps) > 10
    assert {types[column] for column in timestamps} == {"TIMESTAMP WITH TIME ZONE"}
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        assert (
            dim_persons
            == con.execute(
                "select person_id, epoch_us(first_seen_at) from analytics.dim_persons order by 1"
            ).fetchall()
        )
