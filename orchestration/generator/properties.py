"""Event `properties` JSON objects, assembled column-wise with the keys the tracking plan
expects for each event (and only those)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .contract import ContractError
from .strings import concat, decimals, integers, lookup
from .world import World


@dataclass(frozen=True)
class PropertyValues:
    """Per-track inputs of the properties (index arrays use -1 for 'none')."""

    track: np.ndarray  # tracking-plan index
    product: np.ndarray
    category: np.ndarray
    quantity: np.ndarray
    cart_cents: np.ndarray
    order: np.ndarray  # web order index
    percent_watched: np.ndarray
    scroll_depth: np.ndarray
    query: np.ndarray
    campaign: np.ndarray  # email campaign index
    rating: np.ndarray


def _json_strings(values: list[str] | tuple[str, ...]) -> list[str]:
    return [json.dumps(v) for v in values]


Source = Callable[[PropertyValues, np.ndarray], pa.Array]


def value_sources(
    world: World, order_ids: pa.Array, revenue: pa.Array, currency: pa.Array
) -> dict[str, Source]:
    """For each property key: a function giving the JSON value text of the given rows."""
    cat = world.catalogue
    video_ids = [
        f"vid_{p.split('-')[-1]}" if s else ""
        for p, s in zip(cat.product_id, cat.video_seconds > 0, strict=True)
    ]
    texts = {
        "product_id": _json_strings(cat.product_id),
        "category": _json_strings(cat.categories),
        "price": decimals(cat.price_cents),
        "order_id": concat('"', order_ids, '"'),
        "revenue": revenue,
        "currency": concat('"', currency, '"'),
        "query": _json_strings(cat.queries),
        "campaign_id": _json_strings(world.traffic.email_campaign_id),
        "video_id": _json_strings(video_ids),
    }
    index_of = {
        "product_id": "product",
        "category": "category",
        "price": "product",
        "order_id": "order",
        "revenue": "order",
        "currency": "order",
        "query": "query",
        "campaign_id": "campaign",
        "video_id": "product",
    }
    sources: dict[str, Source] = {
        key: (lambda v, rows, key=key: lookup(texts[key], getattr(v, index_of[key])[rows]))
        for key in texts
    }
    for key, name in (
        ("quantity", "quantity"),
        ("percent_watched", "percent_watched"),
        ("scroll_depth", "scroll_depth"),
        ("rating", "rating"),
    ):
        sources[key] = lambda v, rows, name=name: integers(getattr(v, name)[rows])
    sources["cart_value"] = lambda v, rows: decimals(v.cart_cents[rows])
    return sources


def properties_json(
    world: World, values: PropertyValues, order_ids: pa.Array, revenue: pa.Array, currency: pa.Array
) -> pa.Array:
    """`{"key":value,...}` per track, with exactly the keys of its tracking-plan entry."""
    plan = world.contract.tracking_plan
    sources = value_sources(world, order_ids, revenue, currency)
    unknown = sorted({k for e in plan for k in e.properties} - set(sources))
    if unknown:
        raise ContractError(f"tracking plan properties the generator cannot fill: {unknown}")
    order = np.argsort(values.track, kind="stable")
    pieces = []
    for code in np.unique(values.track):
        rows = order[
            np.searchsorted(values.track[order], code) : np.searchsorted(
                values.track[order], code, side="right"
            )
        ]
        parts = [concat(f'"{key}":', sources[key](values, rows)) for key in plan[code].properties]
        body = (
            pc.binary_join_element_wise(*parts, ",")
            if parts
            else pa.array([""] * len(rows), pa.string())
        )
        pieces.append(concat("{", body, "}"))
    if not pieces:
        return pa.array([], pa.string())
    inverse = np.empty(len(order), dtype=np.int64)
    inverse[order] = np.arange(len(order))
    return pa.concat_arrays(pieces).take(pa.array(inverse))
