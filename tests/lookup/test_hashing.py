"""Incoming values hashed exactly as dbt hashes identifiers (pii_hash of normalize_identifier),
checked against DuckDB running the same SQL; the salt checked as dbt checks it."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.lookup.hashing import SaltError, identifier_hash, parse_email_hash, pii_salt
from tests.publish.small_warehouse import SALT, hashed

VALUES = [
    "plain",
    "  Ada@Example.COM ",
    "\u200bzero\u200dwidth\ufeff",
    "\u00a0nbsp\u3000",
    "tab\tinside",
    "\u0130stanbul@\u00c9xample.com",
    "\u039f\u0394\u039f\u03a3@example.com",
    "STRASSE\u1e9e@x.de",
    "\x85next\x07line\u2028",
    " \u200b ",
]


@pytest.mark.parametrize("kind", ["user_id", "anonymous_id", "email"])
def test_hash_equals_the_warehouse_hash(kind):
    with duckdb.connect() as con:
        expected = con.execute(
            hashed("raw_value", "select ? as identifier_type, unnest(?) as raw_value"),
            [SALT, kind, VALUES],
        ).fetchall()
    assert [identifier_hash(SALT, kind, raw) for raw in VALUES] == [h for h, _ in expected]
    assert expected[-1][0] is None  # blank once cleaned


def test_email_hash_is_64_hex_digits():
    assert parse_email_hash("AB" * 32) == "ab" * 32
    for bad in ("ab" * 31, "ab" * 33, "zz" * 32, "ab" * 31 + "a\n"):
        assert parse_email_hash(bad) is None


@pytest.mark.parametrize("salt", ["", "too-short", "has'a-quote-in-it", "back\\slash-salt-long"])
def test_a_salt_dbt_would_refuse_is_refused(monkeypatch, salt):
    monkeypatch.setenv("AUDIENCE_PII_SALT", salt)
    with pytest.raises(SaltError, match="AUDIENCE_PII_SALT: expected the secret of at least 16"):
        pii_salt()


def test_the_salt(monkeypatch):
    monkeypatch.setenv("AUDIENCE_PII_SALT", "sixteen-chars-ok")
    assert pii_salt() == "sixteen-chars-ok"
