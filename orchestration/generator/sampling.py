"""Random-number plumbing and vectorised sampling helpers shared by the builders.

Every chunk of users gets its own generators, derived from the seed with SeedSequence
spawn keys, so a chunk's data depends only on (seed, chunk index) and never on the order
or the process in which chunks run.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from .strings import uuids

_GLOBAL, _CHUNK = 0, 1
_DATA, _DEFECTS = 0, 1
# uuid streams: every stream numbers its ids apart, so ids never collide
STREAM_DEVICES, STREAM_TRACKS, STREAM_PAGES, STREAM_IDENTIFIES, STREAM_KIOSKS = range(5)
_MIX_OFFSET, _MIX_A, _MIX_B = 0x2545F4914F6CDD1D, 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9


def global_rng(seed: int, stream: int = 0) -> np.random.Generator:
    """Generator for what all chunks share (stream 0: the world; 1: the products table)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_GLOBAL, stream)))


def chunk_rngs(seed: int, chunk: int) -> tuple[np.random.Generator, np.random.Generator]:
    """(data, defects) generators of one chunk; defects draw from their own stream so the
    clean data does not change with the defect rate."""
    return tuple(  # type: ignore[return-value]
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_CHUNK, chunk, stream)))
        for stream in (_DATA, _DEFECTS)
    )


def categorical(
    rng: np.random.Generator,
    weights: np.ndarray,
    rows: np.ndarray,
    low: np.ndarray | int = 0,
    high: np.ndarray | int | None = None,
) -> np.ndarray:
    """One index per element of rows, drawn with probability proportional to
    weights[row] (weights is (groups, k)), restricted to indices [low, high) when given."""
    weights = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    groups, k = weights.shape
    cdf = np.zeros((groups, k + 1))
    np.cumsum(weights, axis=1, out=cdf[:, 1:])
    cdf /= cdf[:, -1:]
    rows = np.asarray(rows, dtype=np.int64)
    high = k if high is None else high
    bottom, top = cdf[rows, low], cdf[rows, high]
    # rows of the cdf sit 2 apart in one sorted array, so one search serves all groups
    flat = (cdf + 2.0 * np.arange(groups)[:, None]).ravel()
    target = bottom + rng.random(len(rows)) * (top - bottom) + 2.0 * rows
    picks = np.searchsorted(flat, target, side="right") - 1 - rows * (k + 1)
    return np.clip(picks, low, np.asarray(high) - 1)


def choice(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """size draws of indices with probability proportional to weights."""
    return categorical(rng, weights, np.zeros(size, dtype=np.int64))


def group_starts(groups: np.ndarray) -> np.ndarray:
    """Boolean mask of the first element of each run of equal values (input sorted by group)."""
    groups = np.asarray(groups)
    starts = np.ones(len(groups), dtype=bool)
    starts[1:] = groups[1:] != groups[:-1]
    return starts


def rank_in_group(groups: np.ndarray) -> np.ndarray:
    """0-based position of each element within its run of equal values (sorted input)."""
    n = len(groups)
    index = np.arange(n)
    first = np.maximum.accumulate(np.where(group_starts(groups), index, 0)) if n else index
    return index - first


def segmented_cumsum(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Running sum of values restarting at each run of equal groups (sorted input)."""
    total = np.cumsum(values)
    if not len(total):
        return total
    before = total - values
    base = np.maximum.accumulate(np.where(group_starts(groups), np.arange(len(values)), 0))
    return total - before[base]


def beta_int(rng: np.random.Generator, a: np.ndarray, b: np.ndarray, top: int) -> np.ndarray:
    """Integers in [0, top] drawn as round(top * Beta(a, b))."""
    return np.rint(top * rng.beta(a, b)).astype(np.int64)


def lognormal_seconds(
    rng: np.random.Generator, median: np.ndarray, sigma: float, low: float, high: float
) -> np.ndarray:
    """Durations in microseconds: log-normal around median seconds, clipped to [low, high]."""
    median = np.asarray(median, dtype=np.float64)
    seconds = np.clip(median * np.exp(sigma * rng.standard_normal(median.shape)), low, high)
    return (seconds * 1_000_000).astype(np.int64)


def scramble(keys: np.ndarray, multiplier: int, offset: int, modulus: int) -> np.ndarray:
    """A bijection of [0, modulus) used to turn sequential keys into unique random-looking
    numbers (multiplier must be coprime with modulus)."""
    keys = np.asarray(keys, dtype=np.int64)
    return (keys * multiplier + offset) % modulus


def _mix62(x: np.ndarray) -> np.ndarray:
    """A bijection of 62-bit integers that scatters consecutive values."""
    mask = np.uint64(2**62 - 1)
    x = (x + np.uint64(_MIX_OFFSET)) & mask
    for multiplier, shift in ((_MIX_A, 31), (_MIX_B, 29)):
        x = (x * np.uint64(multiplier)) & mask
        x ^= x >> np.uint64(shift)
    return x


def random_uuids(rng: np.random.Generator, chunk: int, stream: int, n: int) -> pa.Array:
    """n version-4-looking UUID strings, unique by construction: the low half is a
    bijective scramble of (stream, chunk, row), the rest is random."""
    hi = rng.integers(0, 2**63, n, dtype=np.uint64) << np.uint64(1)
    hi = (hi & ~np.uint64(0xF000)) | np.uint64(0x4000)
    payload = np.uint64(stream << 56) | np.uint64(chunk << 40) | np.arange(n, dtype=np.uint64)
    return uuids(hi, np.uint64(0b10 << 62) | _mix62(payload))
