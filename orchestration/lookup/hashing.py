"""The warehouse's identifier hash computed from a raw value, exactly as dbt computes it
(macros pii_hash, clean_identifier, normalize_email): lowercase hex SHA-256 of
salt || identifier_type || ':' || normalized value."""

from __future__ import annotations

import hashlib
import os

import regex

SALT_VARIABLE = "AUDIENCE_PII_SALT"
MIN_SALT_LENGTH = 16
# clean_identifier: Unicode whitespace, separators and invisible characters trimmed at both
# ends, invisible (control, format) characters removed inside
_BLANK = r"[\s\p{Z}\p{Cc}\p{Cf}]"
_CLEAN = regex.compile(rf"^{_BLANK}+|{_BLANK}+$|[\p{{Cc}}\p{{Cf}}]+")
HASHED_TYPES = ("user_id", "anonymous_id", "email")
_HEX64 = regex.compile(r"^[0-9a-fA-F]{64}$")


def lower_like_duckdb(text: str) -> str:
    """DuckDB's lower(): each character's simple lowercase mapping. Python's str.lower() applies
    full mappings (U+0130 'İ' becomes two characters) and a final sigma rule; across every code
    point U+0130 is the only character whose lowercase differs (checked against DuckDB 2.0)."""
    if text.isascii():
        return text.lower()
    return "".join("i" if char == "\u0130" else char.lower() for char in text)


class SaltError(ValueError):
    """AUDIENCE_PII_SALT is missing or cannot be the salt dbt accepts."""


def pii_salt() -> str:
    """The salt from AUDIENCE_PII_SALT, checked as dbt's pii_hash_salt macro checks it."""
    salt = os.environ.get(SALT_VARIABLE, "")
    if len(salt) < MIN_SALT_LENGTH or "'" in salt or "\\" in salt:
        got = f"{len(salt)} characters" if salt else "nothing"
        raise SaltError(
            f"environment variable {SALT_VARIABLE}: expected the secret of at least "
            f"{MIN_SALT_LENGTH} characters without quotes or backslashes that dbt built the "
            f"warehouse with, got {got}. Without it, incoming identifiers cannot be matched "
            "to the warehouse's hashes."
        )
    return salt


def normalize(identifier_type: str, value: str) -> str | None:
    """The value as the warehouse keys it; None when nothing is left."""
    cleaned = _CLEAN.sub("", value)
    if identifier_type == "email":
        cleaned = lower_like_duckdb(cleaned)
    return cleaned or None


def identifier_hash(salt: str, identifier_type: str, value: str) -> str | None:
    """The warehouse's identifier_hash of a raw value; None for a blank value."""
    normalized = normalize(identifier_type, value)
    if normalized is None:
        return None
    return hashlib.sha256(f"{salt}{identifier_type}:{normalized}".encode()).hexdigest()


def parse_email_hash(value: str) -> str | None:
    """An email_hash as given (64 hex digits, any case) in lowercase; None when malformed."""
    return value.lower() if _HEX64.match(value) else None
