"""How raw values are written: CRM timestamps with mixed offsets, phones in the formats
people type, and booleans in the many spellings exports use. All outputs are valid under
the staging rules; defects.py produces the invalid ones."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .strings import concat, iso_timestamps, lookup
from .world import World

NATIONAL_SHARE = 0.5  # phones typed in national format where staging can read it
BOOLEAN_SPELLINGS = (("true", "false"), ("yes", "no"), ("1", "0"))
BOOLEAN_WEIGHTS = (0.6, 0.25, 0.15)


def crm_timestamps(
    rng: np.random.Generator, world: World, utc_us: np.ndarray, city: np.ndarray
) -> pa.Array:
    """ISO-8601 strings naming utc_us exactly: half with `Z`, half in the city's offset."""
    offset = world.geography.city_offset_minutes[np.asarray(city)]
    return iso_timestamps(utc_us, np.where(rng.random(len(offset)) < 0.5, 0, offset))


def phones(
    rng: np.random.Generator,
    world: World,
    national: pa.Array,
    country: np.ndarray,
    national_formats: dict[str, tuple[int, ...]],
) -> pa.Array:
    """Phones as typed: international (`+14155550132`, `+44 770 090 0123`, `+1-212-...`) or,
    for countries listed in national_formats, also national styles (3-5: `(212) 555-0132`
    and the like, 6: trunk prefix first, `07700 900123`)."""
    cc = lookup(world.geography.calling_code, country)
    trunk = lookup(world.geography.trunk_prefix, country)

    def part(start: int, stop: int | None = None) -> pa.Array:
        return pc.utf8_slice_codeunits(national, start, stop if stop is not None else 64)

    styles = [
        concat("+", cc, national),
        concat("+", cc, " ", part(0, 3), " ", part(3, 6), " ", part(6)),
        concat("+", cc, "-", part(0, 3), "-", part(3, 6), "-", part(6)),
        concat("(", part(0, 3), ") ", part(3, 6), "-", part(6)),
        concat(part(0, 3), "-", part(3, 6), "-", part(6)),
        concat(part(0, 3), ".", part(3, 6), ".", part(6)),
        concat(trunk, part(0, 4), " ", part(4)),
    ]
    n = len(country)
    style = rng.integers(0, 3, n)
    codes = world.geography.country_code
    for code, local_styles in national_formats.items():
        mine = (country == codes.index(code)) & (rng.random(n) < NATIONAL_SHARE)
        style[mine] = np.asarray(local_styles)[rng.integers(0, len(local_styles), mine.sum())]
    return pc.choose(pa.array(style.astype(np.int8)), *styles)


def booleans(rng: np.random.Generator, values: np.ndarray) -> pa.Array:
    """Booleans spelled true/false, yes/no or 1/0."""
    spelling = rng.choice(len(BOOLEAN_SPELLINGS), len(values), p=BOOLEAN_WEIGHTS)
    words = [w for pair in BOOLEAN_SPELLINGS for w in pair]
    return lookup(words, spelling * 2 + (~np.asarray(values, dtype=bool)))
