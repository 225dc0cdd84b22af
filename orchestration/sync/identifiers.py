"""Identifier normalization and hashing as each platform documents it. A value that cannot be
normalized gives None: the member is reported as invalid instead of sent wrong."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import phonenumbers

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
_WHITESPACE = re.compile(r"\s+")
_NOT_LETTER_OR_NUMBER = re.compile(r"[\W_]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# '+', a country calling code (country codes are prefix-free), the national number
_COUNTRY_CODES = "|".join(str(c) for c in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
_E164 = re.compile(rf"\+({_COUNTRY_CODES})(\d{{2,15}})")
# the phone rules staging follows too (macros/cleaning/normalize_phone.sql): a trailing extension
# is dropped; then only ASCII digits, one leading '+', whitespace and ( ) . / - may remain;
# a leading 00 is the international prefix in every region
_PHONE_EXTENSION = re.compile(r"\s*(;ext=|ext\.?|extension|x|#)\s*[0-9]{1,6}$", re.IGNORECASE)
_PHONE_CHARACTERS = re.compile(r"\+?[0-9()./\s-]+")
_PHONE_00 = re.compile(r"^00(?=[\s()./-]*[1-9])")


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
    `region` (ISO country code). None when it is not a valid number, or breaks the rules staging
    reads phones by (_PHONE_*: letters, non-ASCII digits, a second '+' give None; a trailing
    extension is dropped; 00 is an international prefix everywhere). tests/fixtures/
    phone_formats.csv lists the formats both must read alike."""
    if value is None or not value.strip():
        return None
    value = _PHONE_EXTENSION.sub("", _WHITESPACE.sub(" ", value.strip()))
    if not _PHONE_CHARACTERS.fullmatch(value):
        return None
    value = _PHONE_00.sub("+", value)
    region = (region or "").upper() or None
    accepted = _valid_e164(value, region)
    if accepted:
        return accepted
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not _is_valid(number, region):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _valid_e164(value: str, region: str | None) -> str | None:
    """`value` itself when it is already a valid E.164 number, as staging hands phones over,
    without phonenumbers.parse: parse's handling of punctuation, extensions, IDD and national
    prefixes is more than half of a sync's preparing time, and none of it changes a valid
    E.164 number. Anything else (None) goes through parse; tests/sync/test_identifiers.py
    checks both ways agree on every region's example numbers and their mangled forms."""
    match = _E164.fullmatch(value)
    if match is None or match.group(2).startswith("0"):
        return None
    code, national = int(match.group(1)), int(match.group(2))
    number = phonenumbers.PhoneNumber(country_code=code, national_number=national)
    return value if _is_valid(number, region) else None


def _is_valid(number: phonenumbers.PhoneNumber, region: str | None) -> bool:
    """phonenumbers.is_valid_number, asking the member's own region first: for +1 the library
    otherwise tries the North American regions one by one."""
    own = region and phonenumbers.country_code_for_region(region) == number.country_code
    if own and phonenumbers.is_valid_number_for_region(number, region):
        return True
    return phonenumbers.is_valid_number(number)


def meta_phone(value: str | None, region: str | None = None) -> str | None:
    """Meta: digits only with the country code, no '+' and no leading zeros."""
    phone = e164_phone(value, region)
    return phone[1:] if phone else None


def meta_name(value: str | None) -> str | None:
    """Meta fn/ln: lowercase, no punctuation or whitespace, other letters kept in UTF-8
    (`Valéry` -> `valéry`, `정` stays)."""
    if value is None:
        return None
    # [\W_] is exactly every code point outside Unicode's letter and number categories
    name = _NOT_LETTER_OR_NUMBER.sub("", unicodedata.normalize("NFC", value).lower())
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
