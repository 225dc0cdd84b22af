"""Normalization and hashing against the examples in each platform's documentation."""

from __future__ import annotations

import hashlib

import phonenumbers
import pytest
from phonenumbers import PhoneNumberType

from orchestration.sync import identifiers as ids


# Meta, Conversions API customer information parameters (the same rules as Custom Audiences)
@pytest.mark.parametrize(
    ("raw", "normalized", "digest"),
    [
        ("John_Smith@gmail.com", "john_smith@gmail.com",
         "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"),
        ("  John_Smith@gmail.com ", "john_smith@gmail.com",
         "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f"),
    ],
)  # fmt: skip
def test_meta_email(raw, normalized, digest):
    assert ids.normalize_email(raw) == normalized
    assert ids.sha256_hex(ids.normalize_email(raw)) == digest


def test_meta_phone_us_example():
    # "(650)555-1212" in the US -> 16505551212
    assert ids.meta_phone("(650)555-1212", "US") == "16505551212"
    assert (
        ids.sha256_hex(ids.meta_phone("(650)555-1212", "US"))
        == "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176"
    )


@pytest.mark.parametrize(
    ("raw", "normalized", "digest"),
    [
        ("Mary", "mary", "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec"),
        ("정", "정", "8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14"),
        ("Valéry", "valéry", "08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c"),
    ],
)
def test_meta_names(raw, normalized, digest):
    assert ids.meta_name(raw) == normalized
    assert ids.sha256_hex(ids.meta_name(raw)) == digest


def test_meta_names_lose_punctuation_and_spaces():
    assert ids.meta_name(" O'Neil-Smith ") == "oneilsmith"
    assert ids.meta_name("...") is None


@pytest.mark.parametrize(
    ("raw", "country", "normalized"),
    [
        ("94025-1234", "US", "94025"),  # US: the first 5 digits
        ("M1 1AE", "GB", "m11ae"),  # lowercase, no spaces
        ("135 26", "SE", "13526"),
        ("9402", "US", None),
    ],
)
def test_meta_postal_codes(raw, country, normalized):
    assert ids.meta_postal_code(raw, country) == normalized


def test_meta_country_is_lowercase_iso_alpha_2():
    assert ids.meta_country("US") == "us"
    assert ids.meta_country("USA") is None


# Google Data Manager / Customer Match: the quickstart's sample emails
@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("DanaM@example.com", "danam@example.com"),
        (" AlexJ@cymbalgroup.com", "alexj@cymbalgroup.com"),
        ("quinn@CYMBALGROUP.com", "quinn@cymbalgroup.com"),
        ("baklavainthebalkans@gmail.com  ", "baklavainthebalkans@gmail.com"),
        ("cloudySanFrancisco@GMAIL.com", "cloudysanfrancisco@gmail.com"),
        # Gmail and Googlemail: dots and +suffix of the local part go; other domains keep them
        ("jane.doe+ads@gmail.com", "janedoe@gmail.com"),
        ("j.o.h.n@googlemail.com", "john@googlemail.com"),
        ("first.last+tag@example.com", "first.last+tag@example.com"),
        ("alex j@example.com", "alexj@example.com"),  # intermediate whitespace removed
    ],
)
def test_google_email(raw, normalized):
    assert ids.google_email(raw) == normalized


def test_google_phone_is_e164_with_plus():
    assert ids.e164_phone("+1 800 555 0100") == "+18005550100"
    assert ids.e164_phone("030 123456", "DE") == "+4930123456"
    assert ids.e164_phone("0151 12345678", "de") == "+4915112345678"


@pytest.mark.parametrize("raw", ["12", "not a phone", "+1 555", "", None])
def test_invalid_phones_are_none(raw):
    assert ids.e164_phone(raw, "US") is None
    assert ids.meta_phone(raw, "US") is None


@pytest.mark.parametrize("raw", ["no-at-sign", "a@b", "two@@example.com", " ", None])
def test_invalid_emails_are_none(raw):
    assert ids.normalize_email(raw) is None
    assert ids.google_email(raw) is None


def test_mailchimp_subscriber_hash_is_md5_of_the_lowercased_email():
    assert (
        ids.mailchimp_subscriber_hash("Urist.McVankab@FreddiesJokes.com")
        == hashlib.md5(b"urist.mcvankab@freddiesjokes.com").hexdigest()
    )


def test_sha256_is_lowercase_hex():
    assert (
        ids.sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )


def _every_region_number() -> list[tuple[str, str | None]]:
    """Each region's example number of every type as E.164, with the mangled forms phones
    arrive in (a national prefix kept after the country code, a digit too few or too many, a
    digit changed, a stray 1), each read with the right region, none and another one."""
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    found = []
    for position, region in enumerate(regions):
        for kind in PhoneNumberType.values():
            number = phonenumbers.example_number_for_type(region, kind)
            if number is None:
                continue
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            code = str(number.country_code)
            national = e164[1 + len(code) :]
            prefix = phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix
            forms = [e164, f"+{code}{prefix or '0'}{national}", e164[:-1], e164 + "7"]
            forms += [e164[:-1] + str((int(e164[-1]) + 1) % 10), f"+{code}1{national}"]
            other = regions[(position * 7 + 3) % len(regions)]
            found += [(form, r) for form in forms for r in (region, None, other)]
    return found


def test_the_e164_shortcut_agrees_with_phonenumbers_parse_on_every_region():
    """e164_phone skips phonenumbers.parse for values already in E.164; on every region's
    numbers and their mangled forms it must answer exactly what parse + is_valid_number do."""

    def by_parse(value: str, region: str | None) -> str | None:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    numbers = [*_every_region_number(), ("+5215512345678", "MX"), ("+390669857123", "IT")]
    assert len(numbers) > 10_000
    differ = [(v, r) for v, r in numbers if ids.e164_phone(v, r) != by_parse(v, r)]
    assert differ == []
    assert sum(ids.e164_phone(v, r) is not None for v, r in numbers) > 2_000
