"""`audience summary` reports what dbt built, read-only."""

from __future__ import annotations

import duckdb

from orchestration.cli import main
from tests.support import BuiltWarehouse


def summary_value(printed: str, label: str, position: int = -1) -> int:
    line = next(line for line in printed.splitlines() if line.startswith(label + " "))
    return int(line.split()[position].replace(",", ""))


def test_summary_prints_persons_models_and_quarantine(defective_warehouse: BuiltWarehouse, capsys):
    assert main(["summary", "--warehouse", str(defective_warehouse.duckdb_path)]) == 0
    printed = capsys.readouterr().out
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        persons = con.execute("select count(distinct person_id) from pii.dim_identities").fetchone()
        staged = con.execute("select count(*) from staging.stg_segment__tracks").fetchone()
    assert summary_value(printed, "persons") == persons[0]
    assert summary_value(printed, "staging.stg_segment__tracks") == staged[0]
    assert "unknown_event_name" in printed
    assert "analytics.dim_persons " in printed
    assert "analytics.dim_users " not in printed  # an old name's view repeats its table


def test_summary_without_a_warehouse_says_how_to_build_it(tmp_path, capsys):
    assert main(["summary", "--warehouse", str(tmp_path / "none.duckdb")]) == 1
    assert "dbt build" in capsys.readouterr().err


def test_summary_prints_rfm_segment_and_lifecycle_stage_distributions(
    defective_warehouse: BuiltWarehouse, capsys
):
    assert main(["summary", "--warehouse", str(defective_warehouse.duckdb_path)]) == 0
    printed = capsys.readouterr().out
    assert "RFM segments (customers)" in printed and "Lifecycle stages (persons)" in printed
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        stages = con.execute(
            "select lifecycle_stage, count(*) from analytics.dim_persons group by 1"
        ).fetchall()
        segments = con.execute(
            "select rfm_segment, count(*) from analytics.dim_persons"
            " where rfm_segment is not null group by 1"
        ).fetchall()
    assert len(segments) >= 5 and len(stages) >= 5
    for label, persons in [*stages, *segments]:
        assert summary_value(printed, label, position=-2) == persons  # persons, then share


def test_summary_prints_the_size_of_every_segment(defective_warehouse: BuiltWarehouse, capsys):
    assert main(["summary", "--warehouse", str(defective_warehouse.duckdb_path)]) == 0
    printed = capsys.readouterr().out
    assert "Segments (members as of the latest build)" in printed
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        members = con.execute(
            "select segment_name, count(*) from analytics.fct_segment_memberships group by 1"
        ).fetchall()
        segments = con.execute("select count(*) from analytics.dim_segments").fetchone()[0]
    assert segments >= 27 and len(members) >= 20
    for segment_name, count in members:
        assert summary_value(printed, segment_name, position=1) == count


def test_summary_counts_bot_page_views_and_track_events(
    defective_warehouse: BuiltWarehouse, capsys
):
    assert main(["summary", "--warehouse", str(defective_warehouse.duckdb_path)]) == 0
    printed = capsys.readouterr().out
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        pages, tracks = (
            con.execute(
                f"select count(*) from staging.stg_segment__{table} where is_bot"
            ).fetchone()[0]
            for table in ("pages", "tracks")
        )
    assert summary_value(printed, "bot page views") == pages > 0
    assert summary_value(printed, "bot track events") == tracks > 0
