"""seeds/bot_user_agents.csv: every pattern runs alike on Python `re`, RE2 (DuckDB) and Java, the
well-known crawlers are in it, and no browser of the generated people matches it."""

from __future__ import annotations

import csv
import re

import duckdb
import pytest

from orchestration.bot_user_agents import SEED, portability_problem, seed_rows
from orchestration.generator.defects import BOT_USER_AGENTS
from orchestration.generator.world import DEVICE_PROFILES

BROWSERS = (
    *(profile[4] for profile in DEVICE_PROFILES),
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with SEED.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def rules(rows) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table rules as select unnest(?) as pattern", [[r["pattern"] for r in rows]])
    yield con
    con.close()


def is_bot(con: duckdb.DuckDBPyConnection, user_agent: str) -> bool:
    return con.execute(
        "select count(*) > 0 from rules where regexp_matches(?, pattern, 'i')", [user_agent]
    ).fetchone()[0]


def test_every_pattern_is_portable_unique_and_sourced(rows):
    assert len(rows) > 1000
    problems = {r["pattern"]: portability_problem(r["pattern"]) for r in rows}
    assert {p: why for p, why in problems.items() if why} == {}
    assert len(problems) == len(rows)
    assert all(r["rule_source"] for r in rows)


def test_every_pattern_compiles_in_re2(rules):
    # DuckDB compiles each pattern with RE2; an invalid one raises
    assert (
        rules.execute(
            "select count(*) from rules where regexp_matches('', pattern, 'i') is not null"
        ).fetchone()[0]
        == rules.execute("select count(*) from rules").fetchone()[0]
    )


@pytest.mark.parametrize("user_agent", BOT_USER_AGENTS)
def test_the_generated_bots_and_well_known_crawlers_match(rules, user_agent):
    assert is_bot(rules, user_agent)
    assert is_bot(rules, user_agent.upper())


@pytest.mark.parametrize("user_agent", BROWSERS)
def test_browsers_of_people_do_not_match(rules, user_agent):
    assert not is_bot(rules, user_agent)


@pytest.mark.parametrize(
    "pattern",
    ["Googlebot(?!-Image)", "(?i)bot", "(?<=x)bot", r"(a)\1", r"bot\Z", "a{b", "a++", "[a&&b]"],
)
def test_lookarounds_backreferences_and_engine_specific_syntax_are_refused(pattern):
    assert portability_problem(pattern)


def test_seed_rows_unescape_slashes_and_leave_out_unportable_and_duplicate_patterns():
    crawlers = [
        {"pattern": r"Googlebot\/", "description": "Google's\n crawler", "url": "http://g"},
        {"pattern": "Googlebot/", "description": "again"},
        {"pattern": "Foo(?=bar)", "description": "lookahead"},
    ]
    assert seed_rows(crawlers, "crawler-user-agents 1.0") == [
        {
            "pattern": "Googlebot/",
            "description": "Google's crawler",
            "crawler_url": "http://g",
            "rule_source": "crawler-user-agents 1.0",
        }
    ]
    assert re.search(seed_rows(crawlers, "x")[0]["pattern"], "Googlebot/2.1")
