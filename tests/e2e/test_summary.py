"""`audience summary` reports what dbt built, read-only."""

from __future__ import annotations

import duckdb

from orchestration.cli import main
from tests.support import BuiltWarehouse


def summary_value(printed: str, label: str) -> int:
    line = next(line for line in printed.splitlines() if line.startswith(label + " "))
    return int(line.split()[-1].replace(",", ""))


def test_summary_prints_persons_models_and_quarantine(defective_warehouse: BuiltWarehouse, capsys):
    assert main(["summary", "--warehouse", str(defective_warehouse.duckdb_path)]) == 0
    printed = capsys.readouterr().out
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        persons = con.execute("select count(distinct person_id) from pii.dim_identities").fetchone()
        staged = con.execute("select count(*) from staging.stg_segment__tracks").fetchone()
    assert summary_value(printed, "persons") == persons[0]
    assert summary_value(printed, "staging.stg_segment__tracks") == staged[0]
    assert "unknown_event_name" in printed


def test_summary_without_a_warehouse_says_how_to_build_it(tmp_path, capsys):
    assert main(["summary", "--warehouse", str(tmp_path / "none.duckdb")]) == 1
    assert "dbt build" in capsys.readouterr().err
