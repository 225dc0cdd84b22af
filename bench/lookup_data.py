"""The lookup benchmark's data: a synthetic warehouse with only the serving schema, and the
comparison of point lookups in DuckDB (ART index) and in the SQLite serving index on it
(bench/lookup_latency.py)."""

from __future__ import annotations

import hashlib
import random
import sqlite3
import time
from pathlib import Path

import duckdb

SALT = "benchmark-only-salt-0123456789"
SEGMENTS = [f"segment_{n}" for n in range(20)]
PROFILE_SQL = """
    to_json({
        person_id: person_id, lifecycle_stage: 'Customer', lifecycle_stage_since_date: '2026-10-01',
        scores: {rfm_segment: 'Champions', rfm_cell: '555', rfm_recency_score: i % 5 + 1,
            rfm_frequency_score: i % 4 + 1, rfm_monetary_score: i % 3 + 1,
            engagement_score: i % 100, purchase_intent_score: i % 50, churn_risk_band: 'low',
            probability_alive: 0.93, predicted_clv_12_months: 123.45},
        segments: ['segment_' || (i % 20), 'segment_' || ((i + 7) % 20)],
        holdout_segments: ['segment_' || ((i + 3) % 20)],
        personalization: map_from_entries([
            (p, {segment_name: 'segment_' || (i % 20), headline: 'Our best picks for you',
                 banner_image: 'banners/' || p || '.jpg', offer_code: 'SAVE10',
                 landing_page_path: '/collections/new', email_template_id: 'tpl_' || p,
                 is_default: false})
            for p in ['homepage_banner', 'email_hero', 'product_page_offer']]),
        as_of_date: '2026-10-30'})::varchar
"""


def build_warehouse(path: Path, persons: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema serving; create schema analytics")
        con.execute(f"create table p as select i, 'p' || i as person_id from range({persons}) t(i)")
        con.execute(
            f"""create table serving.api_identifiers as
            select sha256('{SALT}' || 'anonymous_id:anon-' || i) as identifier_hash,
                'anonymous_id' as identifier_type, person_id from p
            union all select sha256('{SALT}' || 'user_id:u-' || i), 'user_id', person_id
                from p where i % 4 = 0
            union all select sha256('{SALT}' || 'email:user' || i || '@example.com'), 'email',
                person_id from p where i % 4 = 2"""
        )
        con.execute(
            f"create table serving.api_profiles as select person_id, {PROFILE_SQL} "
            "as profile from p"
        )
        con.execute(
            "create table serving.api_segments as select unnest(?) as segment_name", [SEGMENTS]
        )
        # every 1000th person's email erased
        con.execute(f"""create table serving.api_erased_identifiers as
            select sha256('{SALT}' || 'email:user' || i || '@example.com') as identifier_hash
            from p where i % 1000 = 2""")
        con.execute("create table analytics.dim_persons as select person_id from p")
        con.execute("drop table p")


def timed(lookup, keys: list[bytes]) -> str:
    times = []
    for key in keys:
        started = time.perf_counter()
        assert lookup(key) is not None
        times.append(time.perf_counter() - started)
    times.sort()
    p50, p99 = times[len(times) // 2], times[int(len(times) * 0.99)]
    return f"p50 {p50 * 1e3:.3f} ms, p99 {p99 * 1e3:.3f} ms"


def compare_stores(version: Path, out: Path, persons: int, lookups: int = 5000) -> None:
    """Hash -> profile in DuckDB (ART indexes on a copy of the serving tables) and in SQLite."""
    rng = random.Random(3)
    keys = [
        hashlib.sha256(f"{SALT}anonymous_id:anon-{i}".encode()).digest()
        for i in (rng.randrange(persons) for _ in range(lookups))
        if i % 1000 != 2  # erased
    ]
    indexed = out / "indexed.duckdb"
    indexed.unlink(missing_ok=True)
    with duckdb.connect(str(indexed)) as con:
        con.execute(f"attach '{version / 'audience.duckdb'}' as pub (read_only)")
        con.execute("create table ids as select * from pub.serving.api_identifiers")
        con.execute("create table profiles as select * from pub.serving.api_profiles")
        con.execute("create unique index ids_hash on ids (identifier_hash)")
        con.execute("create unique index profiles_person on profiles (person_id)")
    con = duckdb.connect(str(indexed), read_only=True)
    query = (
        "select p.profile from ids join profiles as p using (person_id) "
        "where ids.identifier_hash = ?"
    )
    print(
        "DuckDB (ART) hash -> profile:",
        timed(lambda k: con.execute(query, [k.hex()]).fetchone(), keys),
    )
    db = sqlite3.connect(f"file:{version / 'lookup.sqlite'}?mode=ro&immutable=1", uri=True)

    def sqlite_lookup(key: bytes):
        person = db.execute("select person_id from identifiers where identifier_hash = ?", (key,))
        return db.execute("select profile from profiles where person_id = ?", person.fetchone())

    print("SQLite hash -> profile:", timed(lambda k: sqlite_lookup(k).fetchone(), keys))
    con.close()
    db.close()
