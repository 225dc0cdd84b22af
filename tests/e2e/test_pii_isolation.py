"""Every table of the `analytics` schema (what BI tools are granted) is free of personal data,
and the dbt test that guards it (assert_pii_is_tagged_and_contained) fails when it is not."""

from __future__ import annotations

import re
import shutil

import duckdb
import pandas as pd
import pytest

from tests.support import BuiltWarehouse, run_dbt

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")
PII_COLUMNS = {
    "email",
    "phone",
    "first_name",
    "last_name",
    "birth_date",
    "ip_address",
    "postal_code",
    "anonymous_id",
    "user_id",
    "contact_id",
    "identifier_value",
}


@pytest.fixture(scope="module")
def warehouse(defective_warehouse: BuiltWarehouse):
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        identities = con.execute(
            "select identifier_type, identifier_value from pii.dim_identities"
        ).fetchdf()
        names = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'analytics' order by table_name"
            ).fetchall()
        ]
        tables = {
            name: con.execute(f'select * from analytics."{name}"').fetchdf() for name in names
        }
    return identities, tables


def test_the_patterns_recognise_the_warehouses_own_emails_and_phones(warehouse):
    identities, tables = warehouse
    by_type = identities.groupby("identifier_type")["identifier_value"]
    assert by_type.get_group("email").str.contains(EMAIL).all()
    assert by_type.get_group("phone").str.fullmatch(PHONE).all()
    # the marts BI tools read are all there
    assert {"dim_persons", "fct_sessions", "fct_rfm_scores", "fct_lifecycle_stage_periods"} <= set(
        tables
    )


def test_no_analytics_table_holds_personal_data(warehouse):
    identities, tables = warehouse
    identifier_values = set(identities["identifier_value"].dropna())
    for name, table in tables.items():
        assert not PII_COLUMNS & set(table.columns), f"{name} has PII columns"
        text_columns = [
            c
            for c in table.columns
            if table[c].dtype == object or pd.api.types.is_string_dtype(table[c])
        ]
        for column in text_columns:
            values = table[column].dropna().astype(str)
            values = values[values != ""]
            emails = values[values.str.contains(EMAIL)]
            phones = values[values.str.fullmatch(PHONE)]
            where = f"analytics.{name}.{column}"
            assert emails.empty, f"{where} holds emails: {emails.head(3).tolist()}"
            assert phones.empty, f"{where} holds phone numbers: {phones.head(3).tolist()}"
            leaked = set(values) & identifier_values
            assert not leaked, f"{where} holds identifier values: {sorted(leaked)[:3]}"
    text_columns_of_users = tables["dim_persons"].select_dtypes(include=["object", "string"])
    assert len(text_columns_of_users.columns) >= 20


@pytest.fixture(scope="module")
def leaky_warehouse(defective_warehouse: BuiltWarehouse, tmp_path_factory):
    """A copy of the warehouse where marts were altered behind dbt's back: an email and a phone
    number in untagged analytics columns, and an untagged column named like PII."""
    path = tmp_path_factory.mktemp("leaky") / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, path)
    with duckdb.connect(str(path)) as con:
        con.execute("alter table analytics.fct_rfm_scores add column note varchar")
        con.execute("update analytics.fct_rfm_scores set note = 'jane.doe@example.com'")
        con.execute("alter table analytics.fct_sessions add column caller varchar")
        con.execute("update analytics.fct_sessions set caller = '+14155550132'")
        con.execute("alter table analytics.dim_segments add column email varchar")
    return path


def pii_problems(warehouse: BuiltWarehouse, path, *args: str) -> tuple[int, set]:
    result = run_dbt(
        ["test", "-s", "assert_pii_is_tagged_and_contained", "--store-failures", *args],
        warehouse.data_dir / "raw",
        path,
    )
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "select relation_name, column_name, problem "
            "from dbt_test__audit.assert_pii_is_tagged_and_contained"
        ).fetchall()
    return result.returncode, set(rows)


def test_the_pii_test_fails_on_untagged_pii_in_a_mart(defective_warehouse, leaky_warehouse):
    returncode, problems = pii_problems(defective_warehouse, leaky_warehouse)
    assert returncode == 1
    assert problems == {
        ("analytics.fct_rfm_scores", "note", "untagged_email_values"),
        ("analytics.fct_sessions", "caller", "untagged_phone_values"),
        ("analytics.dim_segments", "email", "untagged_pii_name"),
    }


def test_the_pii_test_fails_on_tagged_pii_outside_the_restricted_schemas(
    defective_warehouse, tmp_path
):
    path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, path)
    returncode, problems = pii_problems(
        defective_warehouse, path, "--vars", "{pii_schemas: [staging, intermediate, pii]}"
    )
    assert returncode == 1
    assert ("exports.exp_meta_ads", "email", "pii_outside_restricted_schemas") in problems
    assert {schema.split(".")[0] for schema, _, _ in problems} == {"exports"}
