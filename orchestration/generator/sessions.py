"""Web sessions: when each person visits, on which device, from which traffic source, and
whether they are logged in.

Times follow a local time-of-day profile per device type (evening peak on mobile and
tablet, office hours on desktop), weekday effects and a mild upward trend. A person's
sessions are at least MIN_GAP apart; every device a person uses gets at least one session.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from . import personas
from .devices import KIOSK, Devices, Usage
from .persons import Persons
from .sampling import categorical, rank_in_group
from .site import ALL_CHANNELS
from .world import US_PER_DAY, World

US_PER_H = 3_600_000_000
MIN_GAP = 2 * US_PER_H
TAIL = 3 * US_PER_H  # sessions start at least this long before the period ends
NONE, LOGIN, SIGNUP, AGENT = range(4)
NEVER = np.iinfo(np.int64).max
ALWAYS = np.iinfo(np.int64).min
AGENT_SESSIONS_PER_USER = 1 / 10_000
MIN_AGENT_SESSIONS = 3
_HOURS = {  # weights of local hours 0-23 by device type (rows follow world.DEVICE_TYPES)
    # hours     (  0,   1,   2,   3,   4,   5,   6,   7,   8,   9,  10,  11, then 12-23
    "desktop": (  1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5,   3,   5,   6,   6,
                  5,   6,   6, 5.5,   5,   4,   3,   3,   3, 2.5,   2, 1.5),
    "mobile":  (  2,   1, 0.5, 0.3, 0.3, 0.5, 1.5,   3, 3.5,   3,   3, 3.5,
                4.5,   4, 3.5, 3.5,   4,   5,   6, 7.5, 8.5,   8,   6,   4),
    "tablet":  (  1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5,   2,   2,   2, 2.5,
                  3, 2.5, 2.5,   3, 3.5, 4.5,   6,   8, 8.5,   7,   5, 2.5),
    "kiosk":   (  0,   0,   0,   0,   0,   0,   0,   0,   0,   3,   5,   6,
                  6,   6,   6,   6,   6,   6,   5,   4,   2,   0,   0,   0),
}  # fmt: skip
_WEEKEND = {"desktop": 0.65, "mobile": 1.25, "tablet": 1.3, "kiosk": 1.5}
HOURS = np.array(list(_HOURS.values()), dtype=np.float64)
KIOSK_TIME_PROFILE = 3


@dataclass(frozen=True)
class Sessions:
    """Sessions of a chunk, sorted by (person, start) once finalized."""

    person: np.ndarray
    usage: np.ndarray
    device: np.ndarray
    start_us: np.ndarray
    variant: np.ndarray  # traffic variant, -1 until finalized (email clicks: set)
    is_signup: np.ndarray
    auth: np.ndarray | None = None  # NONE, LOGIN, SIGNUP or AGENT (the login happens in-session)
    logged_in: np.ndarray | None = None  # the person's user id is on every event of the session
    landing: np.ndarray | None = None  # site.LANDING_*
    intent: np.ndarray | None = None  # category the visit is about
    rank_in_person: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.person)

    def take(self, index: np.ndarray) -> Sessions:
        """Subset / reorder all set fields."""
        return replace(self, **{k: v[index] for k, v in vars(self).items() if v is not None})


def combine(first: Sessions, second: Sessions) -> Sessions:
    """Sessions of both (unfinalized) sets."""
    return Sessions(
        **{
            k: np.concatenate([getattr(first, k), getattr(second, k)])
            for k in ("person", "usage", "device", "start_us", "variant", "is_signup")
        }
    )


def _day_weights(world: World) -> np.ndarray:
    """(time profile, day) weights: weekday effect per device type and a mild upward trend."""
    weekday = (np.datetime64(world.start_date, "D") + np.arange(world.days)).astype(np.int64)
    weekend = ((weekday + 3) % 7) >= 5  # 1970-01-01 was a Thursday
    trend = 1.0 + 0.25 * np.arange(world.days) / max(world.days, 1)
    return np.stack([trend * np.where(weekend, w, 1.0) for w in _WEEKEND.values()])


def sample_times(
    rng: np.random.Generator,
    world: World,
    profile: np.ndarray,
    offset_minutes: np.ndarray,
    first_day: np.ndarray,
    end_day: np.ndarray,
) -> np.ndarray:
    """Start times (UTC µs) on local days [first_day, end_day), by time profile."""
    day = categorical(rng, _day_weights(world), profile, first_day, end_day)
    hour = categorical(rng, HOURS, profile)
    local = day * US_PER_DAY + hour * US_PER_H + rng.integers(0, US_PER_H, len(profile))
    utc = world.start_us + local - offset_minutes * 60_000_000
    utc = np.where(utc < world.start_us, utc + US_PER_DAY, utc)
    utc = np.where(utc > world.end_us - TAIL, utc - US_PER_DAY, utc)
    return np.clip(utc, world.start_us, world.end_us - TAIL)


def time_profile(devices: Devices, device: np.ndarray) -> np.ndarray:
    """Row of HOURS to use for sessions on these devices."""
    return np.where(devices.is_kiosk[device], KIOSK_TIME_PROFILE, devices.device_type[device])


def signup_times(rng: np.random.Generator, world: World, persons: Persons) -> np.ndarray:
    """When new_signup persons create their account (NEVER for everybody else)."""
    span = world.end_us - world.start_us
    when = world.start_us + (rng.uniform(0.02, 0.85, len(persons)) * span).astype(np.int64)
    signs_up = persons.has_account & (persons.persona == personas.NEW_SIGNUP)
    return np.where(signs_up, when, NEVER)


def base_sessions(
    rng: np.random.Generator,
    world: World,
    persons: Persons,
    devices: Devices,
    usage: Usage,
    signup_us: np.ndarray,
) -> Sessions:
    """Ordinary sessions of every online person (each device used at least once)."""
    online = persons.online
    expected = personas.column("sessions_per_30d")[persons.persona] * world.days_span
    count = 1 + rng.poisson(np.maximum(expected * persons.activity - 1, 0))
    count = np.where(online, np.maximum(count, usage.count), 0)
    person = np.repeat(np.arange(len(persons)), count)
    rank = rank_in_group(person)
    covering = rank < usage.count[person]
    first = usage.start[person]
    drawn = categorical(
        rng, usage.weight, np.zeros(len(person), dtype=np.int64), first, first + usage.count[person]
    )
    row = np.where(covering, first + rank, drawn)
    device = usage.device[row]

    days = world.days
    signup_day = np.where(signup_us < NEVER, (signup_us - world.start_us) // US_PER_DAY, 0)
    first_day = np.maximum(signup_day - 3, 0)[person]
    active = np.ceil(days * personas.column("active_until")[persons.persona]).astype(np.int64)
    end_day = np.maximum(active[person], first_day + 1)
    offset = world.geography.city_offset_minutes[devices.city[device]]
    start = sample_times(rng, world, time_profile(devices, device), offset, first_day, end_day)
    is_signup = (rank == 0) & (signup_us[person] < NEVER)
    start = np.where(is_signup, signup_us[person], start)

    order = np.lexsort((start, person))
    person, row, device, start, is_signup = (
        a[order] for a in (person, row, device, start, is_signup)
    )
    rank = rank_in_group(person)
    span = world.end_us - world.start_us + (rank.max(initial=0) + 1) * MIN_GAP + 1
    shifted = start - world.start_us - rank * MIN_GAP + person * span
    start = np.maximum.accumulate(shifted) - person * span + world.start_us + rank * MIN_GAP
    keep = start <= world.end_us - TAIL
    return Sessions(
        person=person[keep],
        usage=row[keep],
        device=device[keep],
        start_us=start[keep],
        variant=np.full(keep.sum(), -1),
        is_signup=is_signup[keep],
    )


def account_since(persons: Persons, sessions: Sessions) -> np.ndarray:
    """Per person, from when an account exists: ALWAYS for existing accounts, the signup
    session's start for new sign-ups, NEVER without an account."""
    since = np.where(persons.has_account, ALWAYS, NEVER)
    signups = sessions.is_signup
    since[persons.persona == personas.NEW_SIGNUP] = NEVER
    since[sessions.person[signups]] = sessions.start_us[signups]
    return since


def finalize(
    rng: np.random.Generator,
    world: World,
    persons: Persons,
    usage: Usage,
    sessions: Sessions,
    since: np.ndarray,
) -> Sessions:
    """Sort, then decide traffic source, landing page, intent and login state."""
    s = sessions.take(np.lexsort((sessions.start_us, sessions.person)))
    n = len(s)
    persona = persons.persona[s.person]
    organic = s.variant < 0
    channel = np.where(
        organic,
        categorical(rng, personas.column("channel_mix"), persona),
        world.traffic.channel[np.maximum(s.variant, 0)],
    )
    kiosk = usage.kind[s.usage] == KIOSK
    channel[kiosk] = ALL_CHANNELS.index("direct")
    variant = np.where(
        organic | kiosk, categorical(rng, world.traffic.channel_variants, channel), s.variant
    )
    landing = categorical(rng, world.traffic.landing, channel)
    campaign_category = world.traffic.category[variant]
    interest = world.catalogue.category_interest()
    intent = np.where(
        campaign_category >= 0, campaign_category, categorical(rng, interest, persona)
    )

    eligible = s.start_us >= since[s.person]
    by_usage = np.lexsort((s.start_us, ~eligible, s.usage))
    rank = np.empty(n, dtype=np.int64)
    rank[by_usage] = rank_in_group(s.usage[by_usage] * 2 + (~eligible[by_usage]))
    signup_usage = np.full(len(persons), -1)
    signup_usage[s.person[s.is_signup]] = s.usage[s.is_signup]
    login_rank = np.where(s.usage == signup_usage[s.person], 1, usage.login_rank[s.usage])
    auth = np.where(eligible & (login_rank > 0) & (rank == login_rank - 1), LOGIN, NONE)
    auth = np.where(s.is_signup & eligible, SIGNUP, auth)
    logged_in = eligible & (login_rank > 0) & (rank >= login_rank) & ~s.is_signup

    free = np.flatnonzero((auth == NONE) & ~logged_in & ~kiosk)
    wanted = max(MIN_AGENT_SESSIONS, round(AGENT_SESSIONS_PER_USER * persons.online.sum()))
    auth[rng.permutation(free)[: min(wanted, len(free))]] = AGENT
    return replace(
        s,
        variant=variant,
        auth=auth,
        logged_in=logged_in,
        landing=landing,
        intent=intent,
        rank_in_person=rank_in_group(s.person),
    )
