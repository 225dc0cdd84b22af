"""The shop's web site: its pages, traffic sources (channels, ad and email campaigns).

Pages and traffic variants are small lookup tables; events refer to them by index.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

import numpy as np
import pyarrow as pa

from .catalogue import Catalogue
from .personas import CHANNELS

SHOP_URL = "https://shop.example.com"
SUFFIX = " | Example Shop"  # of page titles
HOME, LOGIN, SIGNUP, CART, CHECKOUT, CONFIRMATION = range(6)
FIXED_PAGES = (
    ("Home", "/", "Example Shop"),
    ("Login", "/account/login", "Sign in | Example Shop"),
    ("Sign Up", "/account/signup", "Create your account | Example Shop"),
    ("Cart", "/cart", "Your cart | Example Shop"),
    ("Checkout", "/checkout", "Checkout | Example Shop"),
    ("Order Confirmation", "/checkout/confirmation", "Thank you for your order | Example Shop"),
)
LANDING_HOME, LANDING_CATEGORY, LANDING_PRODUCT = range(3)
# channel -> probabilities of landing on (home, category, product)
LANDING = {
    "direct": (0.80, 0.05, 0.15),
    "organic_search": (0.30, 0.35, 0.35),
    "paid_search": (0.0, 0.45, 0.55),
    "paid_social": (0.0, 0.30, 0.70),
    "organic_social": (0.40, 0.10, 0.50),
    "referral": (0.30, 0.10, 0.60),
    "affiliate": (0.50, 0.20, 0.30),
    "email": (0.10, 0.50, 0.40),
}
ALL_CHANNELS = (*CHANNELS, "email")
EMAIL_CAMPAIGNS = (
    ("new_arrivals", None),
    ("eco_week", "garden"),
    ("tech_drop", "electronics"),
    ("members_sale", None),
    ("style_edit", "fashion"),
    ("gift_guide", None),
    ("winter_warmers", "fashion"),
    ("weekend_deals", None),
)


@dataclass(frozen=True)
class Pages:
    """Page lookup: index -> name, path, title, url (without campaign parameters), search."""

    name: pa.Array
    path: pa.Array
    title: pa.Array
    url: pa.Array
    search: pa.Array
    first_category: int
    first_product: int
    first_search: int


@dataclass(frozen=True)
class Traffic:
    """Traffic variants (one per referrer/utm combination) and the email campaigns."""

    channel: np.ndarray  # variant -> index in ALL_CHANNELS
    category: np.ndarray  # variant -> category the campaign promotes, -1 if none
    referrer: pa.Array
    source: pa.Array
    medium: pa.Array
    campaign: pa.Array
    content: pa.Array
    term: pa.Array
    query_string: pa.Array  # '?utm_...' or ''
    channel_variants: np.ndarray  # (channel, variant) selection weights
    landing: np.ndarray  # (channel, landing kind) probabilities
    email_campaign_id: tuple[str, ...]
    email_send_us: np.ndarray
    email_variants: np.ndarray  # (campaign, 2) variant indices


def build_pages(catalogue: Catalogue) -> Pages:
    """All pages of the site, fixed pages first, then categories, products, searches."""
    rows = list(FIXED_PAGES)
    rows += [
        ("Category", "/c/" + c.replace("_", "-"), c.replace("_", " ").title() + SUFFIX)
        for c in catalogue.categories
    ]
    rows += [
        ("Product Detail", f"/p/{pid.lower()}", name + SUFFIX)
        for pid, name in zip(catalogue.product_id, catalogue.name, strict=True)
    ]
    searches = [f"?q={quote_plus(q)}" for q in catalogue.queries]
    rows += [("Search Results", "/search", f"Search: {q}{SUFFIX}") for q in catalogue.queries]
    search = [""] * (len(rows) - len(searches)) + searches
    return Pages(
        name=pa.array([r[0] for r in rows]),
        path=pa.array([r[1] for r in rows]),
        title=pa.array([r[2] for r in rows]),
        url=pa.array([SHOP_URL + r[1] + s for r, s in zip(rows, search, strict=True)]),
        search=pa.array(search),
        first_category=len(FIXED_PAGES),
        first_product=len(FIXED_PAGES) + len(catalogue.categories),
        first_search=len(FIXED_PAGES) + len(catalogue.categories) + len(catalogue.product_id),
    )


def _web_variants(catalogue: Catalogue, year: int) -> list[tuple]:
    """(channel, category, referrer, source, medium, campaign, content, term)."""
    cat = catalogue.categories.index
    google, none = "https://www.google.com/", None
    rows: list[tuple] = [("direct", -1, "", none, none, none, none, none)]
    rows += [
        ("organic_search", -1, r, none, none, none, none, none)
        for r in (google, google, google, "https://www.bing.com/", "https://duckduckgo.com/")
    ]
    rows.append(
        ("paid_search", -1, google, "google", "cpc", f"brand_search_{year}", none, "example shop")
    )
    rows += [
        (
            "paid_search",
            c,
            google,
            "google",
            "cpc",
            f"generic_{name}_{year}",
            none,
            catalogue.queries[int(np.flatnonzero(catalogue.query_category == c)[0])],
        )
        for c, name in enumerate(catalogue.categories)
    ]
    for source, referrer in (
        ("facebook", "https://l.facebook.com/"),
        ("instagram", "https://l.instagram.com/"),
        ("tiktok", "https://www.tiktok.com/"),
    ):
        for campaign, category, content in (
            (f"autumn_collection_{year}", "fashion", "carousel"),
            (f"eco_edit_{year}", "garden", "video_15s"),
            (f"tech_drop_{year}", "electronics", "video_15s"),
        ):
            rows.append(
                (
                    "paid_social",
                    cat(category),
                    referrer,
                    source,
                    "paid_social",
                    campaign,
                    content,
                    none,
                )
            )
    rows += [
        ("organic_social", -1, r, none, none, none, none, none)
        for r in (
            "https://www.facebook.com/",
            "https://www.instagram.com/",
            "https://www.pinterest.com/",
            "https://www.reddit.com/",
        )
    ]
    rows += [
        ("referral", -1, r, none, none, none, none, none)
        for r in (
            "https://www.techradar.com/",
            "https://www.treehugger.com/",
            "https://www.vogue.com/",
            "https://www.wirecutter.com/",
        )
    ]
    rows += [
        ("affiliate", -1, r, s, "affiliate", c, none, none)
        for s, r, c in (
            ("rakuten", "https://www.rakuten.com/", "always_on"),
            ("couponfollow", "https://couponfollow.com/", "coupon_feed"),
            ("honey", "https://www.joinhoney.com/", "coupon_feed"),
        )
    ]
    return rows


def build_traffic(catalogue: Catalogue, start: datetime.date, days: int) -> Traffic:
    """Channels with their referrers/utm parameters, and weekly email campaigns."""
    rows = _web_variants(catalogue, start.year)
    campaign_ids, send_us = [], []
    for n, day in enumerate(range(min(2, days - 1), days, 7)):
        name, category = EMAIL_CAMPAIGNS[n % len(EMAIL_CAMPAIGNS)]
        date = start + datetime.timedelta(days=day)
        campaign_ids.append(f"em_{date:%Y%m%d}_{name}")
        moment = datetime.datetime.combine(date, datetime.time(9), datetime.UTC)
        send_us.append(int(moment.timestamp()) * 1_000_000)
        for content in ("hero_banner", "product_grid"):
            rows.append(
                (
                    "email",
                    catalogue.categories.index(category) if category else -1,
                    "",
                    "newsletter",
                    "email",
                    f"{name}_{date:%Y%m%d}",
                    content,
                    None,
                )
            )
    channel = np.array([ALL_CHANNELS.index(r[0]) for r in rows])
    weights = (channel[None, :] == np.arange(len(ALL_CHANNELS))[:, None]).astype(float)
    utm = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
    query_strings = []
    for r in rows:
        params = [(k, v) for k, v in zip(utm, r[3:], strict=True) if v is not None]
        query_strings.append("?" + urlencode(params) if params else "")
    email_first = len(rows) - 2 * len(campaign_ids)
    return Traffic(
        channel=channel,
        category=np.array([r[1] for r in rows]),
        referrer=pa.array([r[2] for r in rows]),
        source=pa.array([r[3] for r in rows], pa.string()),
        medium=pa.array([r[4] for r in rows], pa.string()),
        campaign=pa.array([r[5] for r in rows], pa.string()),
        content=pa.array([r[6] for r in rows], pa.string()),
        term=pa.array([r[7] for r in rows], pa.string()),
        query_string=pa.array(query_strings),
        channel_variants=weights,
        landing=np.array([LANDING[c] for c in ALL_CHANNELS]),
        email_campaign_id=tuple(campaign_ids),
        email_send_us=np.array(send_us, dtype=np.int64),
        email_variants=email_first + np.arange(2 * len(campaign_ids)).reshape(-1, 2),
    )
