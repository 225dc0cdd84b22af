"""The world shared by every chunk: period, contract, catalogue, geography, site, traffic,
device profiles and the deliberately over-linked identifiers (store kiosks, support agent,
QA email)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from . import personas
from .catalogue import Catalogue, build_catalogue
from .contract import Contract, load_contract
from .geography import Geography, build_geography
from .sampling import STREAM_KIOSKS, global_rng, random_uuids
from .site import Pages, Traffic, build_pages, build_traffic

US_PER_DAY = 86_400_000_000
CHUNK_USERS = 50_000  # persons per chunk; fixed so output never depends on the machine
MAX_CHUNKS = 4_000  # id ranges reserve room for this many chunks
AGENT_USER_ID = "support-agent-007"
QA_EMAIL = "test@example.com"
_SAFARI = "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0"
_IOS_SAFARI = "Mobile/15E148 Safari/604.1"
# device_type, os_name, library, weight, user agent
DEVICE_PROFILES = (
    (
        "desktop",
        "Windows",
        "analytics.js",
        0.20,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    ),
    (
        "desktop",
        "Windows",
        "analytics.js",
        0.05,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36 Edg/129.0.0.0",
    ),
    (
        "desktop",
        "macOS",
        "analytics.js",
        0.08,
        f"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) {_SAFARI} Safari/605.1.15",
    ),
    (
        "desktop",
        "macOS",
        "analytics.js",
        0.05,
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    ),
    (
        "desktop",
        "Linux",
        "analytics.js",
        0.02,
        "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
    ),
    (
        "mobile",
        "iOS",
        "analytics.js",
        0.18,
        f"Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) {_SAFARI} {_IOS_SAFARI}",
    ),
    (
        "mobile",
        "Android",
        "analytics.js",
        0.17,
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Mobile Safari/537.36",
    ),
    ("mobile", "iOS", "analytics-ios", 0.08, "ExampleShop/5.12.0 (iPhone; iOS 18.0; Scale/3.00)"),
    (
        "mobile",
        "Android",
        "analytics-android",
        0.07,
        "ExampleShop/5.12.0 (Linux; U; Android 14; SM-S921B Build/UP1A)",
    ),
    (
        "tablet",
        "iPadOS",
        "analytics.js",
        0.06,
        f"Mozilla/5.0 (iPad; CPU OS 18_0 like Mac OS X) {_SAFARI} {_IOS_SAFARI}",
    ),
    (
        "tablet",
        "Android",
        "analytics.js",
        0.04,
        "Mozilla/5.0 (Linux; Android 14; SM-X710) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36",
    ),
)
DEVICE_TYPES = ("desktop", "mobile", "tablet")
KIOSK_PROFILE = 9  # iPad in the store
# kiosk: (country, city, locale, IP)
KIOSKS = (("US", "New York", "en-US", "198.51.100.23"), ("GB", "London", "en-GB", "203.0.113.77"))


@dataclass(frozen=True)
class World:
    """Everything chunks share; built once per run from the global random stream."""

    seed: int
    start_date: datetime.date
    days: int
    start_us: int
    end_us: int
    defect_rate: float
    contract: Contract
    catalogue: Catalogue
    geography: Geography
    pages: Pages
    traffic: Traffic
    profile_type: np.ndarray  # device profile -> index in DEVICE_TYPES
    profile_weight: np.ndarray
    kiosk_anonymous_id: tuple[str, ...]
    kiosk_city: np.ndarray
    kiosk_locale: tuple[str, ...]
    kiosk_ip: tuple[str, ...]

    @property
    def days_span(self) -> float:
        """Length of the period relative to 30 days."""
        return self.days / 30.0

    def profile_column(self, field: int) -> pa.Array:
        """One field of DEVICE_PROFILES as a string array indexed by profile."""
        return pa.array([p[field] for p in DEVICE_PROFILES])


def build_world(
    seed: int,
    start_date: datetime.date,
    days: int,
    defect_rate: float,
    project_dir: Path | None = None,
) -> World:
    """Load the contract and build the shared world for a run."""
    rng = global_rng(seed)
    personas.check()
    contract = load_contract(project_dir)
    catalogue = build_catalogue(rng)
    geography = build_geography(contract, rng)
    start = datetime.datetime.combine(start_date, datetime.time(), datetime.UTC)
    start_us = int(start.timestamp()) * 1_000_000
    kiosk_city = []
    for country, city, _, _ in KIOSKS:
        names = geography.city.to_pylist()
        kiosk_city.append(
            next(
                i
                for i, name in enumerate(names)
                if name == city and geography.country_code[geography.city_country[i]] == country
            )
        )
    return World(
        seed=seed,
        start_date=start_date,
        days=days,
        start_us=start_us,
        end_us=start_us + days * US_PER_DAY,
        defect_rate=defect_rate,
        contract=contract,
        catalogue=catalogue,
        geography=geography,
        pages=build_pages(catalogue),
        traffic=build_traffic(catalogue, start_date, days),
        profile_type=np.array([DEVICE_TYPES.index(p[0]) for p in DEVICE_PROFILES]),
        profile_weight=np.array([p[3] for p in DEVICE_PROFILES]),
        kiosk_anonymous_id=tuple(random_uuids(rng, 0, STREAM_KIOSKS, len(KIOSKS)).to_pylist()),
        kiosk_city=np.array(kiosk_city),
        kiosk_locale=tuple(k[2] for k in KIOSKS),
        kiosk_ip=tuple(k[3] for k in KIOSKS),
    )
