"""The data types the segment checks read (the `data_type` of each column of dim_persons,
int_events_mapped_to_persons and int_completed_orders_filtered in their YAML) are declared for
every column, each is one the schema's *_value definitions know, and they are the types the
built warehouse has."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.segments.columns import INPUT_MODELS, input_columns
from orchestration.segments.schema import load_schema, value_kind
from tests.support import PROJECT_DIR

CI_WAREHOUSE = PROJECT_DIR / "data" / "ci" / "audience.duckdb"
# the YAML's portable names (Spark wants a length after varchar) -> the type DuckDB builds
DUCKDB_TYPES = {"string": "varchar"}


def test_every_input_column_declares_a_type_the_checks_know():
    schema = load_schema(PROJECT_DIR)
    for input_name, columns in input_columns(PROJECT_DIR).items():
        assert columns, input_name
        for column, data_type in columns.items():
            assert data_type, f"{INPUT_MODELS[input_name]}.{column} declares no data_type"
            assert value_kind(data_type, schema), (
                f"{INPUT_MODELS[input_name]}.{column}: {data_type}"
            )


@pytest.mark.skipif(not CI_WAREHOUSE.exists(), reason="no CI warehouse (make dbt-test builds it)")
def test_the_declared_types_are_the_warehouse_types():
    with duckdb.connect(str(CI_WAREHOUSE), read_only=True) as con:
        for input_name, columns in input_columns(PROJECT_DIR).items():
            built = dict(
                con.execute(
                    "select lower(column_name), lower(data_type) from information_schema.columns"
                    " where table_name = ?",
                    [INPUT_MODELS[input_name]],
                ).fetchall()
            )
            declared = {
                column: DUCKDB_TYPES.get(data_type, data_type.replace(" ", ""))
                for column, data_type in columns.items()
            }
            assert declared == {column: built[column] for column in declared}, input_name
