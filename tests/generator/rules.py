"""DuckDB queries mirroring the staging rules: which raw rows a staging layer would reject,
quarantine or flag, per reason. Tests compare these counts with the manifest."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.generator.contract import TABLES

EMAIL_RE = r"^[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def connect(out_dir: Path) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB with one view per raw table, the truth tables and the seeds."""
    con = duckdb.connect()
    for table in TABLES:
        con.sql(
            f"create view {table} as select * from read_parquet('{out_dir}/raw/{table}/*.parquet')"
        )
    for name in ("persons", "identifiers"):
        con.sql(f"create view truth_{name} as select * from '{out_dir}/truth/{name}.parquet'")
    for seed in ("tracking_plan", "currencies", "countries"):
        con.sql(
            f"create view {seed} as select * from read_csv('{SEEDS}/{seed}.csv', "
            "all_varchar = true)"
        )
    con.sql(f"""
        create macro bad_email(e) as e is not null
            and not regexp_full_match(lower(trim(e)), '{EMAIL_RE.replace("'", "''")}');
        create macro unnormalized_email(e) as e is not null and not bad_email(e)
            and e <> lower(trim(e));
        create macro phone_digits(p) as regexp_replace(p, '[\\s\\-\\.\\(\\)]', '', 'g');
        create macro phone_ok(p, country) as
            regexp_full_match(phone_digits(p), '\\+[1-9][0-9]{{7,14}}')
            or (coalesce(country, 'US') in ('US', 'CA')
                and regexp_full_match(phone_digits(p), '[0-9]{{10}}'))
            or (country = 'GB' and regexp_full_match(phone_digits(p), '0[0-9]{{10}}'));
        create macro bad_phone(p, country) as p is not null and not phone_ok(p, country);
        create macro blank(x) as nullif(trim(x), '') is null;
        create macro out_of_range(ts, received) as
            ts < timestamptz '2000-01-01 00:00:00+00' or ts > received + interval 24 hours;
        create macro late(ts, received) as
            not out_of_range(ts, received) and received - ts > interval 24 hours;
        create macro not_decimal(x) as
            try_cast(x as decimal(18, 2)) is null or try_cast(x as decimal(18, 2)) < 0;
    """)
    return con


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return con.sql(sql).fetchall()[0][0]


def _duplicates(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return _count(con, f"select count(*) - count(distinct id) from {table}")


def violations(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, int]]:
    """Rows a staging layer would reject, quarantine or flag, per table and reason."""
    event_rules = {
        "duplicate_message_id": None,
        "missing_identifier": "blank(anonymous_id) and blank(user_id)",
        "timestamp_out_of_range": "out_of_range(timestamp, received_at)",
        "late_arriving": "late(timestamp, received_at)",
    }
    track_rules = {
        **event_rules,
        "malformed_properties": "not coalesce(json_valid(properties), false) "
        "or json_type(try_cast(properties as json)) <> 'OBJECT'",
        "unknown_event_name": "event_text not in (select event_name from tracking_plan)",
    }
    email = {"unnormalized_email": "unnormalized_email(email)", "invalid_email": "bad_email(email)"}
    rules = {
        "tracks": track_rules,
        "pages": event_rules,
        "identifies": {
            "duplicate_message_id": None,
            **email,
            "invalid_phone": "bad_phone(phone, null)",
        },
        "contacts": {**email, "invalid_phone": "bad_phone(phone, country)"},
        "orders": {
            **email,
            "unknown_currency": "currency not in (select currency_code from currencies)",
            "unknown_contact_id": "not blank(contact_id) and contact_id not in "
            "(select contact_id from contacts)",
        },
        "order_items": {"invalid_price": "not_decimal(unit_price)"},
    }
    found: dict[str, dict[str, int]] = {}
    for table, checks in rules.items():
        found[table] = {
            kind: _duplicates(con, table)
            if sql is None
            else _count(con, f"select count(*) from {table} where {sql}")
            for kind, sql in checks.items()
        }
    for table, key in (("contacts", "contact_id"), ("orders", "order_id")):
        found[table]["superseded_version"] = _count(
            con, f"select count(*) - count(distinct {key}) from {table}"
        )
    return found


CLEAN_CHECKS = {
    "event ids present": """
        select count(*) from (select id from tracks union all select id from pages
                              union all select id from identifies) where blank(id)""",
    "event ids unique across tables": """
        select count(*) from (select id, count(distinct t) n from (
            select id, 'tracks' t from tracks union all select id, 'pages' from pages
            union all select id, 'identifies' from identifies) group by id) where n > 1""",
    "amounts in properties not numbers >= 0": """
        with amounts as (
            select unnest([j->'price', j->'revenue', j->'cart_value']) amount
            from (select try_cast(properties as json) j from tracks) where j is not null)
        select count(*) from amounts where amount is not null
            and (json_type(amount) not in ('DOUBLE', 'UBIGINT', 'BIGINT')
                 or amount::double < 0)""",
    "unparsable crm timestamps": """
        select (select count(*) from contacts where try_cast(created_at as timestamptz) is null
                    or try_cast(updated_at as timestamptz) is null)
             + (select count(*) from orders where try_cast(ordered_at as timestamptz) is null
                    or try_cast(updated_at as timestamptz) is null)
             + (select count(*) from consents where try_cast(recorded_at as timestamptz) is null)
             + (select count(*) from survey_responses
                    where try_cast(answered_at as timestamptz) is null)
             + (select count(*) from deletion_requests
                    where try_cast(requested_at as timestamptz) is null)""",
    "bad order amounts": """
        select count(*) from orders where not_decimal(subtotal) or not_decimal(discount_amount)
            or not_decimal(shipping_amount) or not_decimal(tax_amount) or not_decimal(total)""",
    "bad order item quantity": """
        select count(*) from order_items where try_cast(quantity as integer) is null
            or try_cast(quantity as integer) <= 0""",
    "order items without order": """
        select count(*) from order_items where order_id not in (select order_id from orders)""",
    "bad product price": "select count(*) from products where not_decimal(price)",
    "bad consents": """
        select count(*) from consents where purpose not in
            ('analytics', 'email_marketing', 'ads_personalization')
            or status not in ('granted', 'withdrawn')
            or subject_type not in ('email', 'user_id', 'contact_id', 'anonymous_id')
            or blank(subject_value)""",
    "anonymous survey answers": """
        select count(*) from survey_responses where blank(user_id) and blank(email)""",
    "bad deletion requests": """
        select count(*) from deletion_requests
            where subject_type not in ('email', 'phone', 'user_id', 'anonymous_id')
            or blank(subject_value)""",
    "duplicate natural keys": """
        select (select count(*) - count(distinct order_item_id) from order_items)
             + (select count(*) - count(distinct product_id) from products)
             + (select count(*) - count(distinct consent_id) from consents)
             + (select count(*) - count(distinct response_id) from survey_responses)""",
    "bad emails elsewhere": """
        select count(*) from survey_responses
        where bad_email(email) or unnormalized_email(email)""",
}


def clean_violations(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Counts of rows breaking a rule that no injected defect is meant to break (all 0)."""
    return {name: _count(con, sql) for name, sql in CLEAN_CHECKS.items()}
