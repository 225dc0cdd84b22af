"""The Segment event tables (tracks, pages, identifies) as drafts, from sessions and events.

Device context (IP, user agent, locale, library, geolocation) comes from the device of the
session; campaign context sits on the landing page and on tracks fired on it. Email opens
and clicks are server-side tracks with a user_id and no device context.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .defects import Draft
from .devices import Devices
from .events import Events
from .formats import phones
from .newsletters import EmailEvents
from .persons import FAMILY, GIVEN, Persons
from .properties import PropertyValues, properties_json
from .sampling import (
    STREAM_IDENTIFIES,
    STREAM_PAGES,
    STREAM_TRACKS,
    group_starts,
    lognormal_seconds,
    random_uuids,
)
from .sessions import AGENT, Sessions
from .strings import concat, lookup, slug, timestamps, where
from .world import AGENT_USER_ID, World

APP_LIBRARIES = ("analytics-ios", "analytics-android")
OFFLINE_BATCH_RATE = 0.08  # app sessions delivered later in one batch
MAX_DELAY_US = 20 * 3_600_000_000
SERVER_LIBRARY = "analytics-python"
TRAIT_EMAIL_RATE, TRAIT_PHONE_RATE, TRAIT_NAME_RATE = 0.92, 0.6, 0.85


def _delivery(
    rng: np.random.Generator, ts: np.ndarray, skew: np.ndarray, batch: np.ndarray
) -> dict[str, pa.Array]:
    """original_timestamp, sent_at, received_at for events at ts (UTC µs)."""
    delay = np.minimum(
        batch + lognormal_seconds(rng, np.full(len(ts), 1.5), 1.0, 0.05, 120), MAX_DELAY_US
    )
    sent = ts + (delay * rng.uniform(0.3, 0.95, len(ts))).astype(np.int64)
    return {
        "timestamp": timestamps(ts),
        "original_timestamp": timestamps(ts + skew),
        "sent_at": timestamps(sent),
        "received_at": timestamps(ts + delay),
    }


def _device_context(
    world: World, devices: Devices, device: np.ndarray, geo_too: bool = True
) -> dict[str, pa.Array]:
    profile = np.where(device >= 0, devices.profile[device], -1)
    context = {
        "context_ip": lookup(devices.ip, device),
        "context_user_agent": lookup(world.profile_column(4), profile),
        "context_library_name": lookup(world.profile_column(2), profile),
        "context_device_type": lookup(world.profile_column(0), profile),
    }
    if geo_too:
        city = np.where(device >= 0, devices.city[device], -1)
        geo = world.geography
        context |= {
            "context_locale": lookup(devices.locale, device),
            "context_os_name": lookup(world.profile_column(1), profile),
            "context_location_country": lookup(
                geo.country_code, np.where(city >= 0, geo.city_country[city], -1)
            ),
            "context_location_region": lookup(geo.region, city),
            "context_location_city": lookup(geo.city, city),
        }
    return context


def _campaign(world: World, variant: np.ndarray) -> dict[str, pa.Array]:
    t = world.traffic
    return {
        f"context_campaign_{k}": lookup(v, variant)
        for k, v in (
            ("source", t.source),
            ("medium", t.medium),
            ("name", t.campaign),
            ("content", t.content),
            ("term", t.term),
        )
    }


def _users(
    persons: Persons, person: np.ndarray, agent: np.ndarray, has_user: np.ndarray
) -> pa.Array:
    users = pa.concat_arrays([persons.user_id, pa.array([AGENT_USER_ID])])
    return lookup(users, np.where(has_user, np.where(agent, len(persons), person), -1))


def _batches(
    rng: np.random.Generator, world: World, devices: Devices, sessions: Sessions
) -> np.ndarray:
    library = world.profile_column(2).to_pylist()
    app = np.isin(
        devices.profile[sessions.device],
        [i for i, name in enumerate(library) if name in APP_LIBRARIES],
    )
    batched = app & (rng.random(len(sessions)) < OFFLINE_BATCH_RATE)
    return np.where(batched, rng.integers(600_000_000, 12 * 3_600_000_000, len(sessions)), 0)


def segment_drafts(
    rng: np.random.Generator,
    world: World,
    persons: Persons,
    devices: Devices,
    sessions: Sessions,
    events: Events,
    mail: EmailEvents,
    order_ids: pa.Array,
    revenue: pa.Array,
    currency: pa.Array,
    chunk: int,
) -> dict[str, Draft]:
    """Drafts of tracks, pages and identifies for one chunk."""
    batch = _batches(rng, world, devices, sessions)
    agent = sessions.auth == AGENT
    is_page = events.page >= 0
    pg = np.flatnonzero(is_page)
    session, page = events.session[pg], events.page[pg]
    device = sessions.device[session]
    landing = group_starts(session)
    variant = np.where(landing, sessions.variant[session], -1)
    site, traffic = world.pages, world.traffic
    url = concat(lookup(site.url, page), where(landing, lookup(traffic.query_string, variant), ""))
    referrer = where(
        landing, lookup(traffic.referrer, variant), lookup(url, np.arange(len(pg)) - 1)
    )
    pages = {
        "id": random_uuids(rng, chunk, STREAM_PAGES, len(pg)),
        "anonymous_id": lookup(devices.anonymous_id, device),
        "user_id": _users(persons, sessions.person[session], agent[session], events.has_user[pg]),
        "name": lookup(site.name, page),
        "url": url,
        "path": lookup(site.path, page),
        "title": lookup(site.title, page),
        "referrer": referrer,
        "search": where(landing, lookup(traffic.query_string, variant), lookup(site.search, page)),
        **_delivery(rng, events.ts_us[pg], devices.skew_us[device], batch[session]),
        **_device_context(world, devices, device),
        **_campaign(world, variant),
    }

    tr = np.flatnonzero(~is_page)
    n_web, n_mail = len(tr), len(mail.person)
    page_row = (np.cumsum(is_page) - 1)[tr]
    t_session = events.session[tr]
    t_device = np.r_[sessions.device[t_session], np.full(n_mail, -1)]
    contract = world.contract
    mail_track = np.where(
        mail.is_click,
        contract.event_index("Email Link Clicked"),
        contract.event_index("Email Opened"),
    )
    none = np.full(n_mail, -1)
    values = PropertyValues(
        track=np.r_[events.track[tr], mail_track],
        **{
            k: np.r_[getattr(events, k)[tr], none]
            for k in (
                "product",
                "category",
                "quantity",
                "cart_cents",
                "order",
                "percent_watched",
                "scroll_depth",
                "query",
                "rating",
            )
        },
        campaign=np.r_[np.full(n_web, -1), mail.campaign],
    )
    names = [e.name for e in world.contract.tracking_plan]
    on_page = np.r_[page_row, none]
    track_variant = np.r_[variant[page_row], none]
    ts = np.r_[events.ts_us[tr], mail.ts_us]
    context = _device_context(world, devices, t_device)
    context["context_library_name"] = where(
        t_device >= 0, context["context_library_name"], SERVER_LIBRARY
    )
    tracks = {
        "id": random_uuids(rng, chunk, STREAM_TRACKS, n_web + n_mail),
        "anonymous_id": lookup(devices.anonymous_id, t_device),
        "user_id": _users(
            persons,
            np.r_[sessions.person[t_session], mail.person],
            np.r_[agent[t_session], np.zeros(n_mail, bool)],
            np.r_[events.has_user[tr], np.ones(n_mail, bool)],
        ),
        "event": lookup([slug(n) for n in names], values.track),
        "event_text": lookup(names, values.track),
        "properties": properties_json(world, values, order_ids, revenue, currency),
        **_delivery(
            rng,
            ts,
            np.r_[devices.skew_us[t_device[:n_web]], np.zeros(n_mail, int)],
            np.r_[batch[t_session], np.zeros(n_mail, int)],
        ),
        **context,
        "context_page_url": lookup(pages["url"], on_page),
        "context_page_path": lookup(pages["path"], on_page),
        "context_page_title": lookup(pages["title"], on_page),
        "context_page_referrer": lookup(pages["referrer"], on_page),
        **_campaign(world, track_variant),
    }

    idf = np.flatnonzero(events.identify_at >= 0)
    i_device, i_person = sessions.device[idf], sessions.person[idf]
    traits = ~agent[idf]
    n_id = len(idf)
    phone = phones(
        rng,
        world,
        lookup(persons.phone_national, i_person),
        persons.country[i_person],
        {"US": (3, 4, 5)},
    )
    with_name = traits & (rng.random(n_id) < TRAIT_NAME_RATE)
    identifies = {
        "id": random_uuids(rng, chunk, STREAM_IDENTIFIES, n_id),
        "anonymous_id": lookup(devices.anonymous_id, i_device),
        "user_id": _users(persons, i_person, agent[idf], np.ones(n_id, bool)),
        "email": lookup(
            persons.email, np.where(traits & (rng.random(n_id) < TRAIT_EMAIL_RATE), i_person, -1)
        ),
        "phone": where(traits & (rng.random(n_id) < TRAIT_PHONE_RATE), phone, None),
        "first_name": lookup(GIVEN, np.where(with_name, persons.given[i_person], -1)),
        "last_name": lookup(FAMILY, np.where(with_name, persons.family[i_person], -1)),
        **_delivery(rng, events.identify_at[idf], devices.skew_us[i_device], batch[idf]),
        **_device_context(world, devices, i_device, geo_too=False),
    }
    drafts = {
        name: Draft(cols, np.zeros(len(cols["id"]), bool))
        for name, cols in {"tracks": tracks, "pages": pages}.items()
    }
    typed_nationally = pc.invert(pc.starts_with(identifies["phone"], "+"))
    drafts["identifies"] = Draft(
        identifies,
        np.zeros(n_id, bool),
        repaired_phone=pc.fill_null(typed_nationally, False).to_numpy(zero_copy_only=False),
    )
    return drafts
