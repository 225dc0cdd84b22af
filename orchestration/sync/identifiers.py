"""Identifier normalization and hashing as each platform documents it. A value that cannot be
normalized gives None: the member is reported as invalid instead of sent wrong."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import phonenumbers

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
_WHITESPACE = re.compile(r"\s+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalize_email(value: str | None) -> str | None:
    """Trimmed and lowercased (Meta, Klaviyo, Mailchimp, HubSpot); None unless it looks like
    an address."""
    if value is None:
        return None
    email = value.strip().lower()
    return email if _EMAIL.fullmatch(email) else None


def google_email(value: str | None) -> str | None:
    """Google Customer Match / Data Manager: all whitespace removed, lowercased, and for
    gmail.com and googlemail.com the dots and any +suffix of the local part removed."""
    if value is None:
        return None
    email = normalize_email(_WHITESPACE.sub("", value))
    if email is None:
        return None
    local, domain = email.rsplit("@", 1)
    if domain in GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        if not local:
            return None
    return f"{local}@{domain}"


def e164_phone(value: str | None, region: str | None = None) -> str | None:
    """E.164 (`+16505551212`) by the phonenumbers library; a number without '+' is read in
    `region` (ISO country code). None when it is not a valid number."""
    if value is None or not value.strip():
        return None
    try:
        number = phonenumbers.parse(value, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def meta_phone(value: str | None, region: str | None = None) -> str | None:
    """Meta: digits only with the country code, no '+' and no leading zeros."""
    phone = e164_phone(value, region)
    return phone[1:] if phone else None


def meta_name(value: str | None) -> str | None:
    """Meta fn/ln: lowercase, no punctuation or whitespace, other letters kept in UTF-8
    (`Valéry` -> `valéry`, `정` stays)."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", value).lower()
    name = "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")
    return name or None


def meta_postal_code(value: str | None, country: str | None) -> str | None:
    """Meta zip: lowercase without spaces or dashes; US codes keep their first 5 digits."""
    if value is None:
        return None
    code = re.sub(r"[\s\-]", "", value).lower()
    if (country or "").upper() == "US":
        code = code[:5]
        return code if re.fullmatch(r"\d{5}", code) else None
    return code or None


def meta_country(value: str | None) -> str | None:
    """Meta country: the ISO 3166-1 alpha-2 code in lowercase."""
    if value is None:
        return None
    code = value.strip().lower()
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def google_name(value: str | None) -> str | None:
    """Google address names: lowercase, whitespace and punctuation at the ends removed."""
    if value is None:
        return None
    name = unicodedata.normalize("NFC", value).strip().lower().strip(".,'-")
    return name or None


def mailchimp_subscriber_hash(email: str) -> str:
    """Mailchimp: the MD5 hex of the lowercased email addresses a list member."""
    return hashlib.md5(email.lower().encode("utf-8"), usedforsecurity=False).hexdigest()
