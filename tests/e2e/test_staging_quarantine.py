"""Staging on generated data with defects turned up: nothing lost, every defect where it belongs.

Staging is built on its own (`--select +staging`), as the first build of a warehouse is: the
erasure list does not exist yet, so no row is excluded and the quarantine holds exactly the
injected defects (erased persons' rows, defective or not, leave staging once their erasure is
purged; test_erasure covers that)."""

from __future__ import annotations

from collections import Counter

import duckdb
import pytest

from tests.support import BuiltWarehouse, run_dbt

pytestmark = pytest.mark.slow

# How staging must treat each defect kind the generator injects.
REJECTED = {
    "missing_identifier",
    "malformed_properties",
    "timestamp_out_of_range",
    "invalid_price",
    "unknown_currency",
    "unknown_contact_id",
    "unknown_event_name",
    "required_property_missing",
    "unknown_question",
    "invalid_answer",
}
DEDUPLICATED = {"duplicate_message_id", "superseded_version"}
VALUE_NULLED = {
    "property_wrong_type",
    "property_out_of_range",
    "invalid_email",
    "invalid_phone",
    "future_birth_date",
    "implausible_age",
}
VALUE_REPAIRED = {"event_name_normalized", "phone_repaired"}
FLAGGED = {"inconsistent_order_items"}
KEPT = {"late_arriving", "unnormalized_email", "padded_identifier", "bot_traffic"}

SOURCES = {
    "tracks": "segment",
    "pages": "segment",
    "identifies": "segment",
    "contacts": "crm",
    "orders": "crm",
    "order_items": "crm",
    "products": "crm",
    "consents": "crm",
    "survey_responses": "crm",
    "deletion_requests": "crm",
}
ACTION = {
    **dict.fromkeys(REJECTED, "rejected"),
    **dict.fromkeys(DEDUPLICATED, "deduplicated"),
    **dict.fromkeys(VALUE_NULLED, "value_nulled"),
    **dict.fromkeys(VALUE_REPAIRED, "value_repaired"),
    **dict.fromkeys(FLAGGED, "flagged"),
}


@pytest.fixture(scope="module")
def warehouse(defective_warehouse: BuiltWarehouse, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    duckdb_path = tmp_path_factory.mktemp("staging") / "audience.duckdb"
    result = run_dbt(["build", "--select", "+staging"], defective_warehouse.raw_path, duckdb_path)
    assert result.returncode == 0, result.stdout[-5000:]
    con = duckdb.connect(str(duckdb_path), read_only=True)
    yield con
    con.close()


def test_every_defect_kind_the_generator_knows_is_handled(defective_warehouse: BuiltWarehouse):
    injected = {
        kind for kinds in defective_warehouse.manifest["defects"].values() for kind in kinds
    }
    assert injected <= REJECTED | DEDUPLICATED | VALUE_NULLED | VALUE_REPAIRED | FLAGGED | KEPT
    assert injected >= REJECTED | DEDUPLICATED | VALUE_NULLED | VALUE_REPAIRED | FLAGGED | KEPT, (
        "a defect kind went missing"
    )


def test_quarantine_holds_exactly_the_injected_defects_with_their_reasons(
    defective_warehouse: BuiltWarehouse, warehouse: duckdb.DuckDBPyConnection
):
    expected = Counter()
    for table, kinds in defective_warehouse.manifest["defects"].items():
        for kind, count in kinds.items():
            if kind in ACTION and count:
                expected[(f"{SOURCES[table]}.{table}", ACTION[kind], kind)] += count
    actual = Counter()
    for table, source in SOURCES.items():
        rows = warehouse.execute(
            f"""
            select source_table, quarantine_action, quarantine_reason, count(*)
            from staging.stg_{source}__{table}_quarantine group by all
            """
        ).fetchall()
        actual.update({(src, action, reason): n for src, action, reason, n in rows})
    assert actual == expected


def test_raw_rows_equal_staged_plus_rejected_plus_deduplicated(
    defective_warehouse: BuiltWarehouse, warehouse: duckdb.DuckDBPyConnection
):
    for table, source in SOURCES.items():
        raw = defective_warehouse.manifest["tables"][table]["rows"]
        staged = warehouse.execute(
            f"select count(*) from staging.stg_{source}__{table}"
        ).fetchone()[0]
        removed = warehouse.execute(
            f"""
            select count(*) from staging.stg_{source}__{table}_quarantine
            where quarantine_action in ('rejected', 'deduplicated')
            """
        ).fetchone()[0]
        assert raw == staged + removed, table
        assert staged > 0, table


def _assert_events_flagged(
    built: BuiltWarehouse, warehouse: duckdb.DuckDBPyConnection, flag: str, defect: str
) -> None:
    """Staged tracks and pages keep the rows with the defect, each flagged in column `flag`."""
    defects = built.manifest["defects"]
    for table in ("tracks", "pages"):
        flagged = warehouse.execute(
            f"select count(*) from staging.stg_segment__{table} where {flag}"
        ).fetchone()[0]
        assert flagged == defects[table][defect] > 0, table


def test_late_events_are_kept_and_flagged(
    defective_warehouse: BuiltWarehouse, warehouse: duckdb.DuckDBPyConnection
):
    _assert_events_flagged(defective_warehouse, warehouse, "is_late_arriving", "late_arriving")


def test_bot_events_are_kept_and_flagged_exactly(
    defective_warehouse: BuiltWarehouse, warehouse: duckdb.DuckDBPyConnection
):
    _assert_events_flagged(defective_warehouse, warehouse, "is_bot", "bot_traffic")
    assert warehouse.execute(
        "select count(*) from staging.stg_segment__identifies where is_bot"
    ).fetchone() == (0,)


def test_no_bot_event_reaches_sessions_or_person_events(defective_warehouse: BuiltWarehouse):
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        bots, leaked = con.execute(
            """
            with bots as (
                select message_id from staging.stg_segment__pages where is_bot
                union all
                select message_id from staging.stg_segment__tracks where is_bot
            ),
            downstream as (
                select message_id from intermediate.int_events_sessionized
                union all
                select message_id from intermediate.int_events_mapped_to_persons
            )
            select
                (select count(*) from bots),
                (select count(*) from downstream where message_id in (select * from bots))
            """
        ).fetchone()
    assert bots > 0
    assert leaked == 0


def test_padded_and_mixed_case_emails_are_normalized_not_quarantined(
    defective_warehouse: BuiltWarehouse, warehouse: duckdb.DuckDBPyConnection
):
    for model in ("segment__identifies", "crm__contacts", "crm__orders"):
        unclean = warehouse.execute(
            f"""
            select count(*) from staging.stg_{model}
            where email != lower(trim(email))
            """
        ).fetchone()[0]
        assert unclean == 0, model
    raw_unnormalized = warehouse.execute(
        "select count(*) from raw.contacts where email != lower(trim(email))"
    ).fetchone()[0]
    assert (
        raw_unnormalized
        >= defective_warehouse.manifest["defects"]["contacts"]["unnormalized_email"]
        > 0
    )


def test_staged_phones_are_e164(warehouse: duckdb.DuckDBPyConnection):
    for model in ("segment__identifies", "crm__contacts"):
        phones = warehouse.execute(
            f"""
            select
                count(*),
                count(*) filter (where regexp_full_match(phone, '[+][1-9][0-9]{{7,14}}'))
            from staging.stg_{model} where phone is not null
            """
        ).fetchone()
        assert phones[0] == phones[1] > 0, model


def test_missing_raw_folder_fails_with_a_message_naming_the_setting(tmp_path):
    result = run_dbt(["build"], tmp_path / "nowhere", tmp_path / "audience.duckdb")
    assert result.returncode != 0
    assert "No raw data below" in result.stdout and "make demo" in result.stdout
    assert "AUDIENCE_RAW_PATH" in result.stdout


def test_a_missing_raw_table_fails_with_a_message_naming_it(tmp_path):
    (tmp_path / "raw" / "tracks").mkdir(parents=True)
    (tmp_path / "raw" / "tracks" / "part-0.jsonl").write_text("{}\n")
    result = run_dbt(["build"], tmp_path / "raw", tmp_path / "audience.duckdb")
    assert result.returncode != 0
    assert "No readable files for raw table 'segment.identifies'" in result.stdout
    assert "AUDIENCE_RAW_PATH" in result.stdout


def test_raw_tables_in_the_warehouse_build_the_same_staging(
    defective_warehouse: BuiltWarehouse, warehouse: duckdb.DuckDBPyConnection, tmp_path
):
    duckdb_path = tmp_path / "from_tables.duckdb"
    with duckdb.connect(str(duckdb_path)) as con:
        con.execute("create schema landing")
        for table in SOURCES:
            con.execute(
                f"create table landing.{table} as "
                f"select * from read_parquet('{defective_warehouse.raw_path}/{table}/*.parquet')"
            )
    result = run_dbt(
        ["build", "--select", "+staging"],
        defective_warehouse.raw_path,
        duckdb_path,
        extra_env={"AUDIENCE_RAW_FORMAT": "table", "AUDIENCE_RAW_SCHEMA": "landing"},
    )
    assert result.returncode == 0, result.stdout[-5000:]
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        for table, source in SOURCES.items():
            query = f"select count(*) from staging.stg_{source}__{table}"
            assert con.execute(query).fetchone() == warehouse.execute(query).fetchone(), table
        assert con.execute(
            "select count(*) from information_schema.tables where table_schema = 'raw'"
        ).fetchone() == (0,)


BLANK_AT_ENDS = r"'^[\s\p{Z}\p{Cc}\p{Cf}]|[\s\p{Z}\p{Cc}\p{Cf}]$|\p{Cf}|\p{Cc}'"


def test_identifiers_lose_invisible_characters_and_unicode_whitespace(
    defective_warehouse: BuiltWarehouse, warehouse: duckdb.DuckDBPyConnection
):
    for table in ("tracks", "pages"):
        padded = warehouse.execute(
            f"""
            select count(*) from raw.{table}
            where regexp_matches(anonymous_id, {BLANK_AT_ENDS})
                or regexp_matches(user_id, {BLANK_AT_ENDS})
            """
        ).fetchone()[0]
        assert padded >= defective_warehouse.manifest["defects"][table]["padded_identifier"] > 0
        left = warehouse.execute(
            f"""
            select count(*) from staging.stg_segment__{table}
            where regexp_matches(anonymous_id, {BLANK_AT_ENDS})
                or regexp_matches(user_id, {BLANK_AT_ENDS})
                or regexp_matches(message_id, {BLANK_AT_ENDS})
            """
        ).fetchone()[0]
        assert left == 0, table


def test_renamed_events_carry_the_plan_name_and_keep_the_name_sent(
    defective_warehouse: BuiltWarehouse, warehouse: duckdb.DuckDBPyConnection
):
    renamed = warehouse.execute(
        """
        select count(*), count(*) filter (
            where event_name in (select event_name from reference.tracking_plan)
        )
        from staging.stg_segment__tracks where event_name_sent != event_name
        """
    ).fetchone()
    assert (
        renamed[0]
        == renamed[1]
        == defective_warehouse.manifest["defects"]["tracks"]["event_name_normalized"]
        > 0
    )
