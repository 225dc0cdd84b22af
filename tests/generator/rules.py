"""DuckDB queries mirroring the staging rules: which raw rows a staging layer would reject,
quarantine or flag, per reason. Tests compare these counts with the manifest."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.generator.contract import TABLES
from orchestration.paths import PROJECT_DIR

EMAIL_RE = r"^[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$"
SEEDS = PROJECT_DIR / "seeds"


def connect(out_dir: Path) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB with one view per raw table, the truth tables and the seeds."""
    con = duckdb.connect()
    for table in TABLES:
        con.sql(
            f"create view {table} as select * from read_parquet('{out_dir}/raw/{table}/*.parquet')"
        )
    for name in ("persons", "identifiers"):
        con.sql(f"create view truth_{name} as select * from '{out_dir}/truth/{name}.parquet'")
    for seed in (
        "tracking_plan",
        "tracking_plan_properties",
        "currencies",
        "countries",
        "survey_questions",
        "bot_user_agents",
    ):
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
        create macro blank(x) as
            coalesce(regexp_replace(x, '[\\s\\p{{Z}}\\p{{Cc}}\\p{{Cf}}]', '', 'g'), '') = '';
        create macro clean_id(x) as regexp_replace(
            regexp_replace(x, '[\\p{{Cc}}\\p{{Cf}}]', '', 'g'),
            '^[\\s\\p{{Z}}]+|[\\s\\p{{Z}}]+$', '', 'g');
        create macro padded(x) as not blank(x) and
            regexp_matches(x, '^[\\s\\p{{Z}}\\p{{Cc}}\\p{{Cf}}]|[\\s\\p{{Z}}\\p{{Cc}}\\p{{Cf}}]$');
        create macro name_key(name) as lower(regexp_replace(name, '[ _-]+', ' ', 'g'));
        create macro property(props, name) as
            try(json_extract_string(props, '$.' || name));
        create macro type_ok(v, type) as case type
            when 'integer' then regexp_full_match(v, '-?(0|[1-9][0-9]*)(\\.0+)?')
            when 'number'
                then regexp_full_match(v, '-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?')
            when 'boolean' then lower(v) in ('true', 'false')
            else true end;
        create macro planned(event, props, required) as (
            select list({{'value': trim(property(props, r.property_name)), 'type': r.property_type,
                          'minimum': r.minimum::double, 'maximum': r.maximum::double}})
            from tracking_plan_properties r
            where r.event_name = event and r.is_required = required);
        create macro required_missing(event, props) as
            len(list_filter(planned(event, props, 'true'), lambda p: blank(p.value))) > 0;
        create macro wrong_type(event, props) as len(list_filter(planned(event, props, 'false'),
            lambda p: not blank(p.value) and not type_ok(p.value, p.type))) > 0;
        create macro outside_range(event, props) as len(list_filter(planned(event, props, 'false'),
            lambda p: type_ok(p.value, p.type) and (try_cast(p.value as double) < p.minimum
                                                or try_cast(p.value as double) > p.maximum))) > 0;
        create macro out_of_range(ts, received) as
            ts < timestamptz '2000-01-01 00:00:00+00' or ts > received + interval 24 hours;
        create macro late(ts, received) as
            not out_of_range(ts, received) and received - ts > interval 24 hours;
        create macro record_date(updated, created) as timezone('UTC', coalesce(
            try_cast(updated as timestamptz), try_cast(created as timestamptz)))::date;
        create macro future_birth(b, updated, created) as
            try_cast(b as date) > record_date(updated, created);
        create macro implausible_age(b, updated, created) as not future_birth(b, updated, created)
            and (try_cast(b as date) > record_date(updated, created) - interval 13 year
                 or try_cast(b as date) <= record_date(updated, created) - interval 111 year);
        create macro answer_ok(question, answer) as exists (
            select 1 from survey_questions q where q.question_id = lower(trim(question)) and
            case q.answer_type
                when 'integer' then regexp_full_match(trim(answer), '[0-9]{{1,9}}')
                    and try_cast(trim(answer) as integer)
                        between q.min_value::integer and q.max_value::integer
                when 'choice' then list_contains(
                    string_split(lower(q.allowed_answers), ';'), lower(trim(answer)))
                else true
            end);
        create macro not_decimal(x) as
            try_cast(x as decimal(18, 2)) is null or try_cast(x as decimal(18, 2)) < 0;
    """)
    # user agents matching a pattern of the bot seed (checked per distinct agent)
    con.sql("""
        create view bot_agents as
        select distinct agents.user_agent
        from (select context_user_agent as user_agent from tracks
              union select context_user_agent from pages) as agents
        inner join bot_user_agents on regexp_matches(agents.user_agent, pattern, 'i')
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
        "padded_identifier": "padded(anonymous_id) or padded(user_id)",
        "timestamp_out_of_range": "out_of_range(timestamp, received_at)",
        "late_arriving": "late(timestamp, received_at)",
        "bot_traffic": "context_user_agent in (select user_agent from bot_agents)",
    }
    track_rules = {
        **event_rules,
        "malformed_properties": "not coalesce(json_valid(properties), false) "
        "or json_type(try_cast(properties as json)) <> 'OBJECT'",
        "unknown_event_name": "name_key(event_text) not in "
        "(select name_key(event_name) from tracking_plan)",
        "event_name_normalized": "event_text not in (select event_name from tracking_plan) and "
        "name_key(event_text) in (select name_key(event_name) from tracking_plan)",
        "required_property_missing": "coalesce(json_valid(properties), false) "
        "and required_missing(event_text, properties)",
        "property_wrong_type": "wrong_type(event_text, properties)",
        "property_out_of_range": "outside_range(event_text, properties)",
    }
    email = {"unnormalized_email": "unnormalized_email(email)", "invalid_email": "bad_email(email)"}
    rules = {
        "tracks": track_rules,
        "pages": event_rules,
        "identifies": {
            "duplicate_message_id": None,
            **email,
            "invalid_phone": "bad_phone(phone, null)",
            # as for contacts, on the first copy of each message only
            "phone_repaired": "phone is not null and not bad_phone(phone, null) "
            "and not regexp_full_match(phone_digits(phone), '\\+[1-9][0-9]{7,14}') "
            "and (id, received_at) in (select (id, min(received_at)) from identifies group by id)",
        },
        "contacts": {
            **email,
            "invalid_phone": "bad_phone(phone, country)",
            # typed in a national format: staging adds the country code or drops the trunk prefix
            "phone_repaired": "phone is not null and not bad_phone(phone, country) "
            "and not regexp_full_match(phone_digits(phone), '\\+[1-9][0-9]{7,14}')",
            "future_birth_date": "future_birth(birth_date, updated_at, created_at)",
            "implausible_age": "implausible_age(birth_date, updated_at, created_at)",
        },
        "orders": {
            **email,
            "unknown_currency": "currency not in (select currency_code from currencies)",
            "unknown_contact_id": "not blank(contact_id) and contact_id not in "
            "(select contact_id from contacts)",
            # items (all with valid prices) that do not add up to the subtotal
            "inconsistent_order_items": """order_id in (
                select order_id from order_items group by order_id
                having bool_and(not not_decimal(unit_price)))
            and abs(subtotal::decimal(18, 2) - (
                select sum(i.quantity::integer * i.unit_price::decimal(18, 2))
                from order_items i where i.order_id = orders.order_id)) > 0.01""",
        },
        "order_items": {"invalid_price": "not_decimal(unit_price)"},
        "survey_responses": {
            "unknown_question": "lower(trim(question_id)) not in "
            "(select question_id from survey_questions)",
            "invalid_answer": "lower(trim(question_id)) in "
            "(select question_id from survey_questions) and not answer_ok(question_id, answer)",
        },
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
            from (select try_cast(properties as json) j from tracks
                  where not coalesce(wrong_type(event_text, properties), false))
            where j is not null)
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
