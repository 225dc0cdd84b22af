"""The segment rule compiler on hand-made rows: each case of compiler_cases.yml loads its people
into a copy of a built warehouse, the shipped segment models are rebuilt on them, and each case
checks which of its people are members of its segment and the values that qualified them.

dbt unit tests cannot do this: dbt gives unit tests no access to a model's YAML, where segment
definitions live."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

from tests.support import BuiltWarehouse, run_dbt

CASES_FILE = Path(__file__).with_name("compiler_cases.yml")
CASES = yaml.safe_load(CASES_FILE.read_text())
INPUTS = {
    "users": "analytics.dim_persons",
    "events": "intermediate.int_events_mapped_to_persons",
    "orders": "intermediate.int_completed_orders_filtered",
}


def case_rows(table: str) -> pd.DataFrame:
    frames = [
        pd.read_csv(io.StringIO(case[table]), dtype=str, keep_default_na=False).replace("", None)
        for case in CASES["cases"]
        if case.get(table)
    ]
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def fixture_warehouse(defective_warehouse: BuiltWarehouse, tmp_path_factory) -> Path:
    """A copy of the built warehouse whose segment inputs hold only the cases' rows, with the
    segment models rebuilt on them."""
    duckdb_path = tmp_path_factory.mktemp("compiler") / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, duckdb_path)
    as_of_date = pd.Timestamp(CASES["as_of_date"])
    with duckdb.connect(str(duckdb_path)) as con:
        for table, relation in INPUTS.items():
            con.register("case_rows", case_rows(table))
            # same columns and types, without the contract's not-null constraints
            con.execute(f"create or replace table {relation} as from {relation} where false")
            con.execute(f"insert into {relation} by name select * from case_rows")
            con.unregister("case_rows")
        con.execute("delete from intermediate.int_persons_profiled")
        con.execute(
            "insert into intermediate.int_persons_profiled (as_of_date, as_of_ends_at) "
            "values (?, ?)",
            [as_of_date.date(), as_of_date + pd.Timedelta(days=1)],
        )
    result = run_dbt(
        ["run", "--select", "path:models/activation/segments"],
        defective_warehouse.raw_path,
        duckdb_path,
    )
    assert result.returncode == 0, result.stdout[-5000:]
    return duckdb_path


@pytest.mark.parametrize("case", CASES["cases"], ids=[case["name"] for case in CASES["cases"]])
def test_case(fixture_warehouse: Path, case: dict):
    people = pd.read_csv(io.StringIO(case["users"]), dtype=str)["person_id"].tolist()
    with duckdb.connect(str(fixture_warehouse), read_only=True) as con:
        members = dict(
            con.execute(
                f"select person_id, qualifying_values from segments.segment_{case['segment']} "
                "where list_contains(?, person_id)",
                [people],
            ).fetchall()
        )
    expected = case["members"]
    assert sorted(members) == sorted(expected), case["description"]
    for person_id, values in expected.items():
        if values is not None:
            assert json.loads(members[person_id]) == json.loads(values), person_id
