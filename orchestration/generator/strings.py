"""Vectorised builders of Arrow string arrays: lookups, fixed-width ids, decimals, ISO timestamps.

Everything here works on whole NumPy/Arrow arrays; no Python loop runs per row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_V = np.arange(65536)
# 16-bit value -> its 4 hex digits, packed as one uint32 (bytes in reading order)
_HEX_QUADS = (
    np.ascontiguousarray(np.stack([_HEX[(_V >> s) & 15] for s in (12, 8, 4, 0)], axis=1))
    .view(np.uint32)
    .ravel()
)
US_PER_S = 1_000_000
ID_BLOCK = 100_000_000  # serial ids per chunk and table


def as_array(values: pa.Array | Sequence[str]) -> pa.Array:
    """An Arrow string array from a list of strings (or an array, unchanged)."""
    return values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())


def lookup(values: pa.Array | Sequence[str], idx: np.ndarray) -> pa.Array:
    """values[idx] as a plain string array; a negative index gives null."""
    idx = np.asarray(idx)
    indices = pa.array(idx.astype(np.int32), mask=idx < 0)
    return pa.DictionaryArray.from_arrays(indices, as_array(values)).cast(pa.string())


def concat(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation; null if any part is null."""
    return pc.binary_join_element_wise(*parts, "")


def where(mask: np.ndarray, yes: pa.Array | str | None, no: pa.Array | str | None) -> pa.Array:
    """Row-wise choice between two string arrays or scalars (None is a null string)."""

    def scalar(x: pa.Array | str | None) -> pa.Array | pa.Scalar:
        return x if isinstance(x, pa.Array) else pa.scalar(x, pa.string())

    return pc.if_else(pa.array(np.asarray(mask, dtype=bool)), scalar(yes), scalar(no))


def from_chars(chars: np.ndarray) -> pa.Array:
    """A string array from an (n, width) matrix of ASCII codes, one row per string."""
    chars = np.ascontiguousarray(chars, dtype=np.uint8)
    n, width = chars.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(chars.tobytes())
    ).cast(pa.string())


def digit_chars(numbers: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers as an (n, width) ASCII matrix."""
    numbers = np.asarray(numbers, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((numbers[:, None] // powers) % 10 + 48).astype(np.uint8)


def numbered(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """Ids like `ORD-0000012345`: a prefix and zero-padded numbers."""
    numbers = np.asarray(numbers, dtype=np.int64)
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    chars = np.concatenate(
        [np.broadcast_to(head, (len(numbers), len(head))), digit_chars(numbers, width)], axis=1
    )
    return from_chars(chars)


def serial(prefix: str, chunk: int, n: int) -> pa.Array:
    """Ids unique across chunks: prefix + zero-padded (chunk * ID_BLOCK + row)."""
    return numbered(prefix, chunk * ID_BLOCK + np.arange(n), 12)


def uuids(hi: np.ndarray, lo: np.ndarray) -> pa.Array:
    """UUID-formatted strings (8-4-4-4-12 hex) from two uint64 halves."""
    halves = np.empty((len(hi), 2), dtype=">u8")  # big-endian: bytes in reading order
    halves[:, 0], halves[:, 1] = hi, lo
    words = halves.view(">u2").astype(np.intp)
    hexes = _HEX_QUADS[words].view(np.uint8).reshape(len(halves), 32)
    chars = np.full((len(hexes), 36), ord("-"), dtype=np.uint8)
    for start, stop, at in ((0, 8, 0), (8, 12, 9), (12, 16, 14), (16, 20, 19), (20, 32, 24)):
        chars[:, at : at + stop - start] = hexes[:, start:stop]
    return from_chars(chars)


def integers(values: np.ndarray) -> pa.Array:
    """Decimal strings of integers."""
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def decimals(cents: np.ndarray) -> pa.Array:
    """Two-decimal strings (`12.50`) from integer amounts in cents (may be negative)."""
    cents = np.asarray(cents, dtype=np.int64)
    whole = integers(np.abs(cents) // 100)
    sign = where(cents < 0, "-", "")
    return concat(sign, whole, ".", from_chars(digit_chars(np.abs(cents) % 100, 2)))


def _civil(seconds: np.ndarray) -> tuple[np.ndarray, ...]:
    moments = np.asarray(seconds, dtype=np.int64).astype("datetime64[s]")
    days = moments.astype("datetime64[D]")
    months = moments.astype("datetime64[M]")
    year = months.astype(np.int64) // 12 + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    second_of_day = (moments - days.astype("datetime64[s]")).astype(np.int64)
    return year, month, day, second_of_day


def _date_chars(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    dash = np.full((len(year), 1), ord("-"), dtype=np.uint8)
    return np.concatenate(
        [digit_chars(year, 4), dash, digit_chars(month, 2), dash, digit_chars(day, 2)], axis=1
    )


def iso_dates(day_numbers: np.ndarray) -> pa.Array:
    """`YYYY-MM-DD` strings from days since 1970-01-01."""
    year, month, day, _ = _civil(np.asarray(day_numbers, dtype=np.int64) * 86_400)
    return from_chars(_date_chars(year, month, day))


def offset_suffix(offset_minutes: int) -> str:
    """ISO-8601 suffix for a UTC offset: `Z` for zero, else `+02:00` / `-05:00`."""
    if offset_minutes == 0:
        return "Z"
    sign = "+" if offset_minutes > 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def iso_timestamps(utc_us: np.ndarray, offset_minutes: np.ndarray) -> pa.Array:
    """ISO-8601 strings with an offset (`2026-10-03T14:22:05+02:00`, or `...Z` when the
    offset is 0) naming exactly the instant utc_us, to the second."""
    offset_minutes = np.asarray(offset_minutes, dtype=np.int64)
    local = np.asarray(utc_us, dtype=np.int64) // US_PER_S + offset_minutes * 60
    year, month, day, sod = _civil(local)
    colon = np.full((len(local), 1), ord(":"), dtype=np.uint8)
    tee = np.full((len(local), 1), ord("T"), dtype=np.uint8)
    chars = np.concatenate(
        [
            _date_chars(year, month, day),
            tee,
            digit_chars(sod // 3600, 2),
            colon,
            digit_chars(sod // 60 % 60, 2),
            colon,
            digit_chars(sod % 60, 2),
        ],
        axis=1,
    )
    offsets, codes = np.unique(offset_minutes, return_inverse=True)
    suffixes = [offset_suffix(int(m)) for m in offsets]
    return concat(from_chars(chars), lookup(suffixes, codes))


def timestamps(utc_us: np.ndarray) -> pa.Array:
    """A `timestamp('us', tz='UTC')` array from microseconds since the epoch."""
    return pa.array(np.asarray(utc_us, dtype=np.int64), type=pa.timestamp("us", tz="UTC"))


def slug(text: str) -> str:
    """`Product Viewed` -> `product_viewed`."""
    return "_".join(text.strip().lower().replace("-", " ").split())
