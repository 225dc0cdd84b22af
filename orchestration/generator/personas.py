"""Personas: the behavioural archetypes behind every generated person, and the default mix.

Each persona sets how often a person visits, how far they get down the funnel, what they
look at (categories, price level, eco products), how they engage (video, scrolling, email),
how they answer surveys, and how they bought before the period (the CRM order history).
The position in NAMES is the persona code used in arrays; every PARAMETERS row has one
value per persona in that order.
"""

from __future__ import annotations

from functools import cache

import numpy as np

NAMES = (
    "loyal_high_spender",
    "bargain_hunter",
    "trend_seeker",
    "eco_conscious",
    "window_shopper",
    "cart_abandoner",
    "one_time_buyer",
    "new_signup",
)
LOYAL, BARGAIN, TREND, ECO, WINDOW, ABANDONER, ONE_TIME_BUYER, NEW_SIGNUP = range(len(NAMES))
CHANNELS = (
    "direct",
    "organic_search",
    "paid_search",
    "paid_social",
    "organic_social",
    "referral",
    "affiliate",
)
TOP_VALUES = ("sustainability", "latest_tech", "low_prices", "quality", "convenience", "style")

# Rates are probabilities unless stated. Columns: loyal, bargain, trend, eco, window,
# abandoner, one-time, new sign-up.
PARAMETERS: dict[str, tuple] = {
    # default share of persons
    "share": (0.08, 0.15, 0.10, 0.10, 0.25, 0.12, 0.10, 0.10),
    # mean web sessions per 30 days (every user has at least one)
    "sessions_per_30d": (6.0, 3.0, 3.5, 2.6, 1.6, 2.6, 1.5, 2.0),
    # share of the period in which the person still visits (one-time buyers lapse)
    "active_until": (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 1.0),
    # holds an account and logs in
    "account_rate": (0.97, 0.75, 0.80, 0.78, 0.30, 0.60, 0.55, 1.0),
    # mean browse steps per session beyond the first
    "browse_steps": (2.0, 1.6, 1.8, 1.5, 1.2, 1.6, 1.4, 1.5),
    # browse step kinds: list view, product view, search
    "step_mix": (
        (0.2, 0.65, 0.15),
        (0.3, 0.5, 0.2),
        (0.25, 0.6, 0.15),
        (0.3, 0.55, 0.15),
        (0.35, 0.5, 0.15),
        (0.25, 0.6, 0.15),
        (0.25, 0.6, 0.15),
        (0.3, 0.55, 0.15),
    ),
    # add to cart | product view; checkout | non-empty cart; order | checkout
    "add_rate": (0.15, 0.08, 0.08, 0.08, 0.02, 0.20, 0.10, 0.06),
    "checkout_rate": (0.70, 0.55, 0.55, 0.60, 0.20, 0.50, 0.60, 0.50),
    "order_rate": (0.85, 0.75, 0.75, 0.80, 0.40, 0.08, 0.85, 0.70),
    # product interest ~ price ** exponent; multiplier for eco-friendly products
    "price_exponent": (0.9, -1.0, 0.4, 0.1, 0.3, 0.2, 0.0, 0.0),
    "eco_boost": (1.2, 1.0, 0.9, 7.0, 1.0, 1.0, 1.0, 1.1),
    # order uses a discount code
    "discount_rate": (0.10, 0.75, 0.20, 0.15, 0.10, 0.25, 0.35, 0.45),
    # plays a product video | product view with a video; Beta(a, b) share watched
    "video_rate": (0.35, 0.10, 0.60, 0.30, 0.25, 0.20, 0.15, 0.25),
    "watch_share": (
        (3.0, 2.0),
        (1.5, 3.0),
        (3.5, 1.5),
        (2.5, 2.0),
        (1.2, 3.0),
        (2.0, 2.5),
        (2.0, 2.5),
        (2.0, 2.0),
    ),
    # Page Scrolled | browse page; Beta(a, b) deepest position
    "scroll_rate": (0.35, 0.25, 0.30, 0.35, 0.45, 0.30, 0.25, 0.30),
    "scroll_depth": (
        (4.0, 2.0),
        (2.5, 2.5),
        (3.0, 2.0),
        (3.0, 2.0),
        (4.0, 1.5),
        (2.5, 2.0),
        (2.5, 2.5),
        (3.0, 2.0),
    ),
    # grants email marketing consent; opens a campaign email; clicks | opened
    "email_consent": (0.85, 0.80, 0.65, 0.70, 0.35, 0.55, 0.50, 0.75),
    "open_rate": (0.45, 0.35, 0.30, 0.40, 0.12, 0.25, 0.12, 0.40),
    "click_rate": (0.30, 0.35, 0.28, 0.30, 0.15, 0.25, 0.10, 0.25),
    # offline (shop) orders per 30 days of CRM contacts (times the person's history rate
    # over its persona mean; none once lapsed)
    "store_orders_per_30d": (0.35, 0.10, 0.08, 0.10, 0.02, 0.02, 0.02, 0.02),
    # Order history before the period, for contacts created before it (BG/NBD-like): while
    # still a customer a person orders as a Poisson process, and after each order lapses for
    # good with a person-level probability. Contacts are often created by a first order.
    # first order minutes after the contact's creation (one-time buyers: their only order;
    # new sign-ups: no history)
    "history_signup_order": (0.6, 0.6, 0.5, 0.5, 0.15, 0.3, 1.0, 0.0),
    # orders per 30 days while a customer: (mean, shape) of the Gamma of person rates
    # (a lower shape spreads rates more)
    "history_rate": (
        (0.5, 2.0),
        (0.25, 1.5),
        (0.2, 1.5),
        (0.2, 1.5),
        (0.03, 1.0),
        (0.05, 1.0),
        (0.0, 1.0),
        (0.0, 1.0),
    ),
    # lapses for good after an order: (mean, a + b) of the Beta of person probabilities
    "history_dropout": (
        (0.04, 10.0),
        (0.12, 5.0),
        (0.2, 5.0),
        (0.15, 5.0),
        (0.3, 4.0),
        (0.25, 4.0),
        (1.0, 1.0),
        (0.2, 10.0),
    ),
    # history orders of account holders placed on the site (the rest, and all orders of
    # CRM-only persons, in the shop)
    "history_web_share": (0.65, 0.7, 0.8, 0.65, 0.6, 0.7, 0.6, 0.8),
    # traffic source of organic sessions, over CHANNELS
    "channel_mix": (
        (0.40, 0.22, 0.10, 0.06, 0.06, 0.06, 0.10),
        (0.12, 0.18, 0.18, 0.08, 0.06, 0.08, 0.30),
        (0.18, 0.12, 0.12, 0.30, 0.18, 0.05, 0.05),
        (0.25, 0.30, 0.08, 0.10, 0.12, 0.12, 0.03),
        (0.25, 0.25, 0.10, 0.12, 0.15, 0.10, 0.03),
        (0.20, 0.20, 0.15, 0.18, 0.10, 0.07, 0.10),
        (0.20, 0.25, 0.20, 0.15, 0.08, 0.07, 0.05),
        (0.20, 0.25, 0.15, 0.20, 0.10, 0.05, 0.05),
    ),
    # mean NPS answer; answers to "what matters most", over TOP_VALUES
    "nps_mean": (9.0, 7.0, 8.0, 8.0, 6.0, 5.5, 5.0, 7.5),
    "top_values": (
        (0.08, 0.15, 0.02, 0.55, 0.12, 0.08),
        (0.05, 0.05, 0.65, 0.10, 0.10, 0.05),
        (0.05, 0.45, 0.05, 0.10, 0.05, 0.30),
        (0.70, 0.03, 0.05, 0.12, 0.05, 0.05),
        (0.10, 0.20, 0.15, 0.15, 0.20, 0.20),
        (0.08, 0.12, 0.30, 0.15, 0.25, 0.10),
        (0.10, 0.10, 0.30, 0.15, 0.25, 0.10),
        (0.15, 0.20, 0.20, 0.15, 0.15, 0.15),
    ),
    # age range at the start of the period; shift of the income band
    "age": ((30, 70), (25, 65), (18, 40), (22, 60), (18, 80), (20, 55), (20, 75), (18, 45)),
    "income_shift": (2, -1, 0, 1, 0, 0, 0, -1),
}
# interest multipliers of categories (1 when not listed)
CATEGORY_BOOST = {
    LOYAL: {"jewelry_watches": 2.0, "electronics": 1.6, "fashion": 1.4},
    BARGAIN: {"toys_games": 1.5, "home_kitchen": 1.4, "books": 1.3},
    TREND: {"electronics": 2.2, "fashion": 1.8, "footwear": 1.6},
    ECO: {"home_kitchen": 1.6, "garden": 1.8, "beauty": 1.4, "fashion": 1.2},
    ABANDONER: {"fashion": 1.3, "footwear": 1.3},
}
DEFAULT_MIX = dict(zip(NAMES, PARAMETERS["share"], strict=True))


@cache
def column(name: str) -> np.ndarray:
    """A parameter for all personas, indexable by persona code (2-D for tuple rows)."""
    return np.array(PARAMETERS[name], dtype=np.float64)


def category_boost(categories: tuple[str, ...]) -> np.ndarray:
    """(persona, category) interest multipliers."""
    boost = np.ones((len(NAMES), len(categories)))
    for persona, factors in CATEGORY_BOOST.items():
        for category, factor in factors.items():
            boost[persona, categories.index(category)] = factor
    return boost


def check() -> None:
    """Fail loudly if the parameter table is malformed."""
    for name, values in PARAMETERS.items():
        if len(values) != len(NAMES):
            raise ValueError(f"persona parameter {name} has {len(values)} values")
    for name in ("share", "step_mix", "channel_mix", "top_values"):
        sums = column(name).sum(axis=-1)
        if not np.allclose(sums, 1.0):
            raise ValueError(f"persona parameter {name} does not sum to 1: {sums}")
    rate, dropout = column("history_rate"), column("history_dropout")
    if (rate < 0).any() or (rate[:, 1] <= 0).any():
        raise ValueError("persona parameter history_rate needs means >= 0 and shapes > 0")
    if not ((dropout[:, 0] > 0) & (dropout[:, 0] <= 1) & (dropout[:, 1] > 0)).all():
        raise ValueError("persona parameter history_dropout needs means in (0, 1], a + b > 0")
