"""Injected defects are counted exactly, hit disjoint rows, and leave all other rows clean.

The checks mirror the staging rules in DuckDB (see rules.py), so a staging layer applying
them quarantines exactly the rows the manifest announces."""

from __future__ import annotations

import pytest

from orchestration.generator.defects import COUNTED, KINDS, SUPERSEDED

from . import rules

RATE = 0.05


@pytest.fixture(scope="module")
def defective_con(defective):
    out, _ = defective
    return rules.connect(out)


def test_every_kind_is_injected_near_the_rate(defective):
    _, manifest = defective
    for table, kinds in KINDS.items():
        rows = manifest["tables"][table]["rows"]
        extra = manifest["defects"][table].get("duplicate_message_id", 0)
        base = rows - extra - manifest["defects"][table].get(SUPERSEDED, 0)
        for kind in kinds:
            count = manifest["defects"][table][kind]
            assert count > 0, (table, kind)
            assert 0.5 * RATE * base < count < 1.6 * RATE * base, (table, kind, count, base)


def test_staging_rules_find_exactly_the_injected_rows(defective, defective_con):
    _, manifest = defective
    assert rules.violations(defective_con) == {
        t: manifest["defects"][t] for t in rules.violations(defective_con)
    }


def test_default_rate_counts_also_match(standard):
    out, manifest = standard
    found = rules.violations(rules.connect(out))
    assert found == {t: manifest["defects"][t] for t in found}
    assert manifest["defects"]["tracks"]["malformed_properties"] > 0


def test_rows_without_defects_break_no_other_rule(defective_con, standard):
    assert rules.clean_violations(defective_con) == dict.fromkeys(rules.CLEAN_CHECKS, 0)
    assert rules.clean_violations(rules.connect(standard[0])) == dict.fromkeys(
        rules.CLEAN_CHECKS, 0
    )


def test_zero_rate_gives_clean_data(dataset):
    out, manifest = dataset(users=1000, defect_rate=0.0)
    for table, kinds in manifest["defects"].items():
        for kind, count in kinds.items():
            assert count == 0 or kind in COUNTED.get(table, ()), (table, kind)
    found = rules.violations(rules.connect(out))
    for table, kinds in found.items():
        assert all(n == 0 for k, n in kinds.items() if k not in COUNTED.get(table, ())), table


def test_injected_rows_really_violate_their_rule(defective_con):
    con = defective_con
    # malformed JSON: not parseable at all, and not merely an odd but valid object
    assert (
        rules._count(
            con,
            "select count(*) from tracks where not json_valid(properties) and properties like '{%'",
        )
        > 0
    )
    # out-of-range timestamps come in both flavours
    assert (
        rules._count(
            con,
            "select count(*) from tracks where timestamp < timestamptz '2000-01-01 00:00:00+00'",
        )
        > 0
    )
    assert (
        rules._count(
            con, "select count(*) from pages where timestamp > received_at + interval 1 day"
        )
        > 0
    )
    # late rows are otherwise normal: inside the period, 2-10 days late
    assert (
        rules._count(
            con,
            """
        select count(*) from tracks where late(timestamp, received_at) and (
            received_at - timestamp < interval 2 days or received_at - timestamp > interval 10 days
            or timestamp < timestamptz '2026-10-01 00:00:00+00'
            or timestamp >= timestamptz '2026-10-31 00:00:00+00')""",
        )
        == 0
    )
    # missing identifiers mix nulls and empty strings
    assert rules._count(con, "select count(*) from pages where anonymous_id = ''") > 0
    assert (
        rules._count(
            con, "select count(*) from pages where anonymous_id is null and user_id is null"
        )
        > 0
    )
    # duplicates are exact copies except for a slightly later received_at
    assert (
        rules._count(
            con,
            """
        select count(*) from (
            select id, count(distinct properties) p, count(distinct timestamp) t,
                   max(received_at) - min(received_at) spread
            from tracks group by id having count(*) > 1)
        where p > 1 or t > 1 or spread > interval 300 seconds
            or spread < interval 1 second""",
        )
        == 0
    )
    # unnormalized emails are valid once trimmed and lower-cased, invalid ones never are
    assert (
        rules._count(
            con,
            "select count(*) from contacts where unnormalized_email(email) "
            "and email = lower(trim(email))",
        )
        == 0
    )


def test_defects_never_touch_superseded_keys(defective_con):
    for table, key in (("contacts", "contact_id"), ("orders", "order_id")):
        touched = rules._count(
            defective_con,
            f"""
            select count(*) from {table} where {key} in (
                select {key} from {table} group by {key} having count(*) > 1)
            and (bad_email(email) or unnormalized_email(email)
                 {
                "or bad_phone(phone, country)"
                if table == "contacts"
                else "or currency not in (select currency_code from currencies)"
            })""",
        )
        assert touched == 0, table
