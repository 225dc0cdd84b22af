"""A hand-built warehouse for the publish and lookup tests: a few persons in the schemas the
publish step copies (a view among them), pii and staging it must leave out, and the serving
tables the dbt models write, their identifier hashes computed in SQL as dbt computes them."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import orjson

SALT = os.environ.setdefault("AUDIENCE_PII_SALT", "generated-data-only-salt")
# (person, identifier type, raw value as collected)
IDENTIFIERS = [
    ("p1", "user_id", "u-1"),
    ("p1", "anonymous_id", "anon-1"),
    ("p1", "email", " Ada@Example.COM\u200b"),
    ("p2", "user_id", "u-2"),
    ("p2", "email", "bob@example.com"),
    ("p3", "user_id", "u-3"),
    ("p3", "email", "erased@example.com"),
]
ERASED = [("email", "erased@example.com")]
SEGMENTS = ["vip", "churn_risk"]
# person: (lifecycle stage, segments, holdout segments)
PERSONS = {
    "p1": ("Customer", ["vip"], []),
    "p2": ("Prospect", [], ["vip"]),
    "p3": ("Customer", ["churn_risk"], []),
}
PLACEMENTS = ("homepage_banner", "email_hero")


CLEAN = r"^[\s\p{Z}\p{Cc}\p{Cf}]+|[\s\p{Z}\p{Cc}\p{Cf}]+$|[\p{Cc}\p{Cf}]+"


def hashed(columns: str, source: str) -> str:
    """SELECT of dbt's pii_hash of normalize_identifier (clean_identifier, lower() for emails)
    of source's raw_value as identifier_hash, then columns; the salt is its first parameter."""
    return f"""
        select sha256(? || identifier_type || ':'
            || case identifier_type when 'email' then lower(v) else v end) as identifier_hash,
            {columns}
        from (select *, nullif(regexp_replace(raw_value, '{CLEAN}', '', 'g'), '') as v
            from ({source}))
    """


def profile(person: str, stage: str, segments: list[str], holdouts: list[str]) -> str:
    content = {
        placement: {
            "segment_name": segments[0] if segments else None,
            "headline": f"Hello {person}",
            "banner_image": "banners/default.jpg",
            "offer_code": None,
            "landing_page_path": "/",
            "email_template_id": None,
            "is_default": not segments,
        }
        for placement in PLACEMENTS
    }
    document = {
        "person_id": person,
        "lifecycle_stage": stage,
        "lifecycle_stage_since_date": "2026-10-01",
        "scores": {"engagement_score": 42, "rfm_segment": None},
        "segments": segments,
        "holdout_segments": holdouts,
        "personalization": content,
        "as_of_date": "2026-10-30",
    }
    return orjson.dumps(document).decode()


def add_person(
    path: Path, person: str, identifiers: list[tuple[str, str]], stage: str = "Customer"
) -> None:
    """A new person with raw identifiers, in the tables publish copies."""
    with duckdb.connect(str(path)) as con:
        for kind, value in identifiers:
            con.execute("insert into pii.raw_identifiers values (?, ?, ?)", [person, kind, value])
            con.execute(
                "insert into serving.api_identifiers "
                + hashed(
                    "identifier_type, person_id",
                    "select ? as person_id, ? as identifier_type, ? as raw_value",
                ),
                [SALT, person, kind, value],
            )
        con.execute("insert into analytics.dim_persons values (?, ?, null)", [person, stage])
        con.execute(
            "insert into serving.api_profiles values (?, ?)",
            [person, profile(person, stage, [], [])],
        )


def build_warehouse(path: Path) -> Path:
    """The warehouse file at path, with PERSONS, their IDENTIFIERS and the ERASED list."""
    with duckdb.connect(str(path)) as con:
        for schema in ("analytics", "segments", "reference", "serving", "pii", "staging"):
            con.execute(f"create schema {schema}")
        con.execute("create table pii.raw_identifiers (person_id varchar, t varchar, v varchar)")
        con.executemany("insert into pii.raw_identifiers values (?, ?, ?)", IDENTIFIERS)
        con.execute(
            "create table serving.api_identifiers as "
            + hashed(
                "identifier_type, person_id",
                "select person_id, t as identifier_type, v as raw_value from pii.raw_identifiers",
            ),
            [SALT],
        )
        con.execute(
            "create table pii.int_identifiers_erased as "
            + hashed(
                "identifier_type",
                "select unnest(?) as identifier_type, unnest(?) as raw_value",
            ),
            [SALT, [kind for kind, _ in ERASED], [value for _, value in ERASED]],
        )
        con.execute(
            "create table serving.api_erased_identifiers as "
            "select identifier_hash from pii.int_identifiers_erased"
        )
        con.execute("create table serving.api_segments (segment_name varchar)")
        con.executemany("insert into serving.api_segments values (?)", [[s] for s in SEGMENTS])
        con.execute("create table serving.api_profiles (person_id varchar, profile varchar)")
        con.executemany(
            "insert into serving.api_profiles values (?, ?)",
            [[person, profile(person, *facts)] for person, facts in PERSONS.items()],
        )
        con.execute(
            "create table analytics.dim_persons "
            "(person_id varchar, lifecycle_stage varchar, email_hash varchar)"
        )
        con.executemany(
            "insert into analytics.dim_persons values (?, ?, null)",
            [[person, facts[0]] for person, facts in PERSONS.items()],
        )
        con.execute(
            "update analytics.dim_persons set email_hash = i.h from (select person_id, "
            "identifier_hash as h from serving.api_identifiers where identifier_type = 'email') "
            "as i where i.person_id = dim_persons.person_id"
        )
        con.execute(
            "create view analytics.customers as "
            "select * from analytics.dim_persons where lifecycle_stage = 'Customer'"
        )
        con.execute("create table segments.vip as select 'p1' as person_id")
        con.execute(
            "create table reference.placements as select unnest(?) as placement", [list(PLACEMENTS)]
        )
        con.execute("create table staging.stg_users as select * from analytics.dim_persons")
    return path
