"""Every table of the `analytics` schema (what BI tools are granted) is free of personal data."""

from __future__ import annotations

import re

import duckdb
import pandas as pd
import pytest

from tests.support import BuiltWarehouse

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
    assert {"dim_users", "fct_sessions", "fct_rfm_scores", "fct_lifecycle_stage_periods"} <= set(
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
    text_columns_of_users = tables["dim_users"].select_dtypes(include=["object", "string"])
    assert len(text_columns_of_users.columns) >= 20
