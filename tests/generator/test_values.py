"""Value formats the raw contract relies on: ids, ISO timestamps, decimals, phones."""

from __future__ import annotations

import datetime
import re
import uuid

import numpy as np

from orchestration.generator.persons import FAMILY, GIVEN, email_slug
from orchestration.generator.sampling import categorical, random_uuids
from orchestration.generator.strings import decimals, iso_dates, iso_timestamps, uuids

from . import rules


def test_uuids_are_formatted_like_python_uuids():
    hi = np.array([0x0123456789ABCDEF, 2**64 - 1], dtype=np.uint64)
    lo = np.array([0xFEDCBA9876543210, 5], dtype=np.uint64)
    expected = [
        str(uuid.UUID(int=(int(h) << 64) | int(low))) for h, low in zip(hi, lo, strict=True)
    ]
    assert uuids(hi, lo).to_pylist() == expected


def test_random_uuids_are_unique_version_4_ids_across_streams_and_chunks():
    rng = np.random.default_rng(1)
    ids = [
        v
        for chunk in (0, 1)
        for stream in (1, 2)
        for v in random_uuids(rng, chunk, stream, 50_000).to_pylist()
    ]
    assert len(set(ids)) == len(ids)
    assert all(
        uuid.UUID(v).version == 4 and uuid.UUID(v).variant == uuid.RFC_4122 for v in ids[:1000]
    )


def test_iso_timestamps_name_the_exact_instant_with_their_offset():
    moments = [
        datetime.datetime(2026, 10, 1, 0, 30, 5, tzinfo=datetime.UTC),
        datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=datetime.UTC),
        datetime.datetime(1999, 12, 31, 22, 0, 0, tzinfo=datetime.UTC),
    ]
    utc_us = np.array([int(m.timestamp()) * 1_000_000 + 123 for m in moments])
    offsets = np.array([120, -300, 0])
    texts = iso_timestamps(utc_us, offsets).to_pylist()
    assert texts == [
        "2026-10-01T02:30:05+02:00",
        "2024-02-29T18:59:59-05:00",
        "1999-12-31T22:00:00Z",
    ]
    assert [datetime.datetime.fromisoformat(t) for t in texts] == moments
    assert iso_dates(np.array([0, 20_727])).to_pylist() == ["1970-01-01", "2026-10-01"]


def test_decimals_are_plain_two_decimal_strings():
    assert decimals(np.array([0, 5, 1999, 123456, -1250])).to_pylist() == [
        "0.00",
        "0.05",
        "19.99",
        "1234.56",
        "-12.50",
    ]


def test_categorical_respects_weights_and_bounds():
    rng = np.random.default_rng(2)
    weights = np.array([[1.0, 0.0, 3.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
    rows = np.repeat([0, 1], 20_000)
    drawn = categorical(rng, weights, rows)
    assert not np.isin(drawn[rows == 1], (0, 1)).any() and not (drawn[rows == 0] == 1).any()
    assert abs((drawn[rows == 0] == 2).mean() - 0.6) < 0.02
    bounded = categorical(rng, weights, rows, low=np.where(rows == 0, 2, 3), high=4)
    assert set(bounded[rows == 0]) == {2, 3} and set(bounded[rows == 1]) == {3}


def test_raw_phones_normalize_to_the_truth(standard):
    con = rules.connect(standard[0])
    pairs = con.sql("""
        select c.phone, c.country, p.phone from contacts c join truth_persons p using (contact_id)
        where c.phone is not null and not bad_phone(c.phone, c.country)""").fetchall()
    assert len(pairs) > 100
    calling = dict(con.sql("select country_code, calling_code from countries").fetchall())
    styles = set()
    for raw, country, e164 in pairs:
        digits = re.sub(r"[\s\-.()]", "", raw)
        if not digits.startswith("+"):
            digits = "+" + calling[country] + digits.removeprefix("0")
            styles.add("national")
        else:
            styles.add("international")
        assert digits == e164, (raw, country, e164)
    assert styles == {"national", "international"}


def test_names_give_valid_email_local_parts():
    assert all(re.fullmatch(r"[a-z'-]+", email_slug(name)) for name in GIVEN + FAMILY)
