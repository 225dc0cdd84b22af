"""What happens inside web sessions: page views and track events in funnel order.

A session is laid out on a fixed grid of positions (landing page, up to MAX_STEPS browse
steps, login, cart, checkout, order, advocacy); persona-dependent coin flips switch
positions on, and the grid is flattened into time-ordered events. Gaps between events
are seconds to minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import personas, site
from .devices import Devices
from .sampling import beta_int, categorical, lognormal_seconds, segmented_cumsum
from .sessions import AGENT, LOGIN, NONE, SIGNUP, Sessions
from .world import World

MAX_STEPS = 10
LIST, PRODUCT, SEARCH = range(3)
PAGE, MAIN, SCROLL, VIDEO_START, VIDEO_PLAY, ADD, REMOVE = range(7)
SUBS = 7
STEP_POS = np.array([1] + [10 + SUBS * (b - 1) for b in range(1, MAX_STEPS)])
HOME_POS, AUTH_PAGE, AUTH_TRACK = 0, 8, 9
(
    CART_PAGE,
    CART_TRACK,
    CHECKOUT_PAGE,
    CHECKOUT_TRACK,
    CONFIRM_PAGE,
    ORDER_TRACK,
    REVIEW,
    REFERRAL,
) = range(10 + SUBS * (MAX_STEPS - 1), 18 + SUBS * (MAX_STEPS - 1))
N_POS = REFERRAL + 1
STEP_OF_POS = np.full(N_POS, -1)
SUB_OF_POS = np.full(N_POS, -1)
for _b, _p in enumerate(STEP_POS):
    STEP_OF_POS[_p : _p + SUBS] = _b
    SUB_OF_POS[_p : _p + SUBS] = np.arange(SUBS)
# median seconds since the previous event, per position
GAP = np.zeros(N_POS)
GAP[SUB_OF_POS >= 0] = np.array([30, 0.4, 18, 6, 0, 15, 25])[SUB_OF_POS[SUB_OF_POS >= 0]]
_FIXED_GAP = {
    AUTH_PAGE: 12,
    AUTH_TRACK: 20,
    CART_PAGE: 12,
    CART_TRACK: 0.4,
    CHECKOUT_PAGE: 20,
    CHECKOUT_TRACK: 0.4,
    CONFIRM_PAGE: 90,
    ORDER_TRACK: 0.4,
    REVIEW: 45,
    REFERRAL: 30,
}
GAP[list(_FIXED_GAP)] = tuple(_FIXED_GAP.values())
FIXED_TRACKS = {
    AUTH_TRACK: "Logged In",
    CART_TRACK: "Cart Viewed",
    CHECKOUT_TRACK: "Checkout Started",
    ORDER_TRACK: "Order Completed",
    REVIEW: "Review Submitted",
    REFERRAL: "Referral Sent",
}
SUB_TRACKS = {
    SCROLL: "Page Scrolled",
    VIDEO_START: "Video Playback Started",
    VIDEO_PLAY: "Video Content Playing",
    ADD: "Product Added",
    REMOVE: "Product Removed",
}
MAIN_TRACKS = ("Product List Viewed", "Product Viewed", "Products Searched")
FIXED_PAGES = {
    HOME_POS: site.HOME,
    CART_PAGE: site.CART,
    CHECKOUT_PAGE: site.CHECKOUT,
    CONFIRM_PAGE: site.CONFIRMATION,
}
FIRST_PURCHASE_BOOST = 5.0  # add-to-cart boost in a one-time buyer's first session
INTENT_SHARE = 0.7  # browse steps about the session's intent category
REMOVE_RATE = 0.08
CART_VIEW_RATE = 0.6
REVIEW_RATE, REFERRAL_RATE = 0.12, 0.06  # for loyal persons, per logged-in session
RATINGS, RATING_PROBS = np.array([2, 3, 4, 5]), np.array([0.03, 0.1, 0.32, 0.55])


@dataclass(frozen=True)
class Events:
    """Web events of a chunk in session/time order (pages and tracks interleaved)."""

    session: np.ndarray
    ts_us: np.ndarray
    page: np.ndarray  # page index for page views, -1 for tracks
    track: np.ndarray  # tracking-plan index for tracks, -1 for page views
    has_user: np.ndarray  # the session's user id is attached
    product: np.ndarray
    category: np.ndarray
    quantity: np.ndarray
    cart_cents: np.ndarray
    order: np.ndarray  # web order index (Order Completed), else -1
    percent_watched: np.ndarray
    scroll_depth: np.ndarray
    query: np.ndarray
    rating: np.ndarray
    identify_at: np.ndarray  # session -> time of its identify call (-1: none)


@dataclass(frozen=True)
class WebOrders:
    """Orders completed on the site: one per ordering session, with its lines."""

    session: np.ndarray
    ordered_us: np.ndarray
    logged_in: np.ndarray
    line_order: np.ndarray
    line_product: np.ndarray
    line_quantity: np.ndarray


def _steps(rng: np.random.Generator, world: World, s: Sessions, persona: np.ndarray):
    n, cat = len(s), world.catalogue
    n_steps = 1 + np.minimum(rng.poisson(personas.column("browse_steps")[persona]), MAX_STEPS - 1)
    present = np.arange(MAX_STEPS)[None, :] < n_steps[:, None]
    kind = categorical(rng, personas.column("step_mix"), np.repeat(persona, MAX_STEPS))
    kind = kind.reshape(n, MAX_STEPS)
    kind[:, 0] = np.select(
        [s.landing == site.LANDING_CATEGORY, s.landing == site.LANDING_PRODUCT],
        [LIST, PRODUCT],
        kind[:, 0],
    )
    own = categorical(rng, cat.category_interest(), np.repeat(persona, MAX_STEPS))
    category = np.where(
        rng.random(n * MAX_STEPS) < INTENT_SHARE, np.repeat(s.intent, MAX_STEPS), own
    ).reshape(n, MAX_STEPS)
    product = np.full((n, MAX_STEPS), -1)
    cells = np.flatnonzero((present & (kind == PRODUCT)).ravel())
    product.flat[cells] = cat.sample(
        rng, np.repeat(persona, MAX_STEPS)[cells], category.flat[cells]
    )
    category = np.where(product >= 0, cat.category[np.maximum(product, 0)], category)
    first_query = np.searchsorted(cat.query_category, np.arange(len(cat.categories)))
    per_category = np.bincount(cat.query_category, minlength=len(cat.categories))
    pick = (rng.random(category.shape) * per_category[category]).astype(int)
    query = first_query[category] + pick
    return present, kind, category, product, query


def _tracks(world: World, pos: np.ndarray, signup: np.ndarray, step_kind: np.ndarray) -> np.ndarray:
    """Tracking-plan index of each event at grid position pos (-1: a page view)."""
    plan = {
        name: world.contract.event_index(name)
        for name in (*FIXED_TRACKS.values(), *SUB_TRACKS.values(), *MAIN_TRACKS, "Signed Up")
    }
    track = np.full(len(pos), -1)
    for position, name in FIXED_TRACKS.items():
        track[pos == position] = plan[name]
    track[(pos == AUTH_TRACK) & signup] = plan["Signed Up"]
    sub = SUB_OF_POS[pos]
    for code, name in SUB_TRACKS.items():
        track[sub == code] = plan[name]
    main = sub == MAIN
    track[main] = np.array([plan[t] for t in MAIN_TRACKS])[step_kind[main]]
    return track


def _pages(
    world: World,
    pos: np.ndarray,
    signup: np.ndarray,
    step_kind: np.ndarray,
    category: np.ndarray,
    product: np.ndarray,
    query: np.ndarray,
) -> np.ndarray:
    """Page index of each event at grid position pos (-1: a track)."""
    page = np.full(len(pos), -1)
    for position, page_code in FIXED_PAGES.items():
        page[pos == position] = page_code
    auth = pos == AUTH_PAGE
    page[auth] = np.where(signup[auth], site.SIGNUP, site.LOGIN)
    pages, steps = world.pages, SUB_OF_POS[pos] == PAGE
    page[steps] = np.select(
        [step_kind[steps] == LIST, step_kind[steps] == PRODUCT],
        [pages.first_category + category[steps], pages.first_product + product[steps]],
        pages.first_search + query[steps],
    )
    return page


def build_events(
    rng: np.random.Generator,
    world: World,
    devices: Devices,
    s: Sessions,
    persona_of_person: np.ndarray,
) -> tuple[Events, WebOrders]:
    """Expand finalized sessions into events and the web orders they complete."""
    p = personas.column
    n, cat = len(s), world.catalogue
    persona = persona_of_person[s.person]
    present, kind, category, product, query = _steps(rng, world, s, persona)
    is_product = present & (kind == PRODUCT)
    first_buy = (persona == personas.ONE_TIME_BUYER) & (s.rank_in_person == 0)
    boost = np.where(first_buy, FIRST_PURCHASE_BOOST, 1.0)[:, None]
    video_seconds = cat.video_seconds[np.maximum(product, 0)]
    grid = {
        SCROLL: present & (rng.random(present.shape) < p("scroll_rate")[persona][:, None]),
        VIDEO_START: is_product
        & (video_seconds > 0)
        & (rng.random(present.shape) < p("video_rate")[persona][:, None]),
        ADD: is_product
        & (rng.random(present.shape) < np.minimum(p("add_rate")[persona][:, None] * boost, 0.9)),
    }
    grid[VIDEO_PLAY] = grid[VIDEO_START]
    grid[REMOVE] = grid[ADD] & (rng.random(present.shape) < REMOVE_RATE)
    quantity = 1 + (rng.random(present.shape) < 0.15) + (rng.random(present.shape) < 0.05)
    added = np.where(grid[ADD], cat.price_cents[np.maximum(product, 0)] * quantity, 0)
    net = np.where(grid[REMOVE], 0, added)
    cart_after = np.cumsum(net, axis=1)
    cart = net.sum(axis=1)

    has_cart = cart > 0
    checkout_rate = np.where(first_buy, 0.9, p("checkout_rate")[persona])
    order_rate = np.where(
        persona == personas.ONE_TIME_BUYER, np.where(first_buy, 0.95, 0.0), p("order_rate")[persona]
    )
    checkout = has_cart & (s.auth != AGENT) & (rng.random(n) < checkout_rate)
    order = checkout & (rng.random(n) < order_rate)
    user_at_end = s.logged_in | (s.auth == LOGIN) | (s.auth == SIGNUP)
    loyal = user_at_end & (persona == personas.LOYAL)

    mask = np.zeros((n, N_POS), dtype=bool)
    mask[:, HOME_POS] = s.landing == site.LANDING_HOME
    for sub in (PAGE, MAIN):
        mask[:, STEP_POS + sub] = present
    for sub, cells in grid.items():
        mask[:, STEP_POS + sub] = cells
    mask[:, [AUTH_PAGE, AUTH_TRACK]] = (s.auth != NONE)[:, None]
    mask[:, [CART_PAGE, CART_TRACK]] = (has_cart & (rng.random(n) < CART_VIEW_RATE))[:, None]
    mask[:, [CHECKOUT_PAGE, CHECKOUT_TRACK]] = checkout[:, None]
    mask[:, [CONFIRM_PAGE, ORDER_TRACK]] = order[:, None]
    mask[:, REVIEW] = loyal & (rng.random(n) < REVIEW_RATE)
    mask[:, REFERRAL] = loyal & (rng.random(n) < REFERRAL_RATE)

    sess, pos = np.nonzero(mask)
    step, sub = STEP_OF_POS[pos], SUB_OF_POS[pos]
    cell = sess * MAX_STEPS + np.maximum(step, 0)
    in_step = step >= 0
    ev_product = np.where(in_step, product.flat[cell], -1)
    play = sub == VIDEO_PLAY
    percent = np.full(len(pos), -1)
    percent[play] = beta_int(rng, *p("watch_share")[persona[sess[play]]].T, 100)
    gap = lognormal_seconds(rng, GAP[pos], 0.8, 0.05, 600)
    gap[play] = (np.maximum(percent[play], 1) * video_seconds.flat[cell[play]] * 10_000).astype(int)
    first = np.r_[True, sess[1:] != sess[:-1]]
    ts = s.start_us[sess] + segmented_cumsum(np.where(first, 0, gap), sess)

    signup = s.auth[sess] == SIGNUP
    track = _tracks(world, pos, signup, kind.flat[cell])
    page = _pages(
        world,
        pos,
        signup,
        kind.flat[cell],
        category.flat[cell],
        product.flat[cell],
        query.flat[cell],
    )
    order_index = np.cumsum(order) - 1
    product_events = np.isin(sub, (MAIN, VIDEO_START, VIDEO_PLAY, ADD, REMOVE)) & (ev_product >= 0)
    review = pos == REVIEW
    ev_product[review] = cat.sample(rng, persona[sess[review]])
    scrolled = sub == SCROLL
    scroll = np.full(len(pos), -1)
    scroll[scrolled] = np.maximum(
        beta_int(rng, *p("scroll_depth")[persona[sess[scrolled]]].T, 100), 5
    )
    rating = np.full(len(pos), -1)
    rating[review] = RATINGS[categorical(rng, RATING_PROBS, np.zeros(review.sum(), int))]
    identify_at = np.full(n, -1)
    auth_rows = pos == AUTH_TRACK
    identify_at[sess[auth_rows]] = ts[auth_rows] - 150_000
    events = Events(
        session=sess,
        ts_us=ts,
        page=page,
        track=track,
        has_user=s.logged_in[sess] | ((s.auth[sess] != NONE) & (pos >= AUTH_TRACK)),
        product=np.where(product_events | review, ev_product, -1),
        category=np.where(in_step, category.flat[cell], -1),
        quantity=np.where(np.isin(sub, (ADD, REMOVE)), quantity.flat[cell], 0),
        cart_cents=np.select(
            [sub == ADD, sub == REMOVE],
            [(cart_after - net + added).flat[cell], cart_after.flat[cell]],
            cart[sess],
        ),
        order=np.where(pos == ORDER_TRACK, order_index[sess], -1),
        percent_watched=percent,
        scroll_depth=scroll,
        query=np.where(in_step, query.flat[cell], -1),
        rating=rating,
        identify_at=identify_at,
    )
    lines = order[:, None] & grid[ADD] & ~grid[REMOVE]
    line_session, line_step = np.nonzero(lines)
    orders = WebOrders(
        session=np.flatnonzero(order),
        ordered_us=ts[pos == ORDER_TRACK],
        logged_in=user_at_end[order],
        line_order=order_index[line_session],
        line_product=product[line_session, line_step],
        line_quantity=quantity[line_session, line_step],
    )
    return events, orders
