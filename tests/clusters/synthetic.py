"""The clustering model file, and dim_persons rows drawn from known behavioural archetypes."""

from __future__ import annotations

import datetime
from types import ModuleType

import numpy as np
import pandas as pd

from tests.dbt_python_models import load_model_file

AS_OF = datetime.date(2026, 3, 31)

# Typical dim_persons values of each archetype (None: null). Far apart on purpose, so a sound
# clustering finds exactly these groups.
ARCHETYPES: dict[str, dict] = {
    "loyal_big_spenders": {
        "is_known": True,
        "orders": 20,
        "average_order_value": 600.0,
        "days_since_last_order": 4,
        "discount_order_share": 0.05,
        "engagement_score": 85,
        "sessions_last_90_days": 25,
        "product_views": 60,
        "add_to_carts": 15,
        "email_opens": 0,
        "email_click_rate": None,
        "video_views": 0,
        "video_completion_share": None,
    },
    "lapsed_discount_buyers": {
        "is_known": True,
        "orders": 1,
        "average_order_value": 30.0,
        "days_since_last_order": 700,
        "discount_order_share": 1.0,
        "engagement_score": 0,
        "sessions_last_90_days": 0,
        "product_views": 0,
        "add_to_carts": 0,
        "email_opens": 0,
        "email_click_rate": None,
        "video_views": 0,
        "video_completion_share": None,
    },
    "anonymous_browsers": {
        "is_known": False,
        "orders": 0,
        "average_order_value": None,
        "days_since_last_order": None,
        "discount_order_share": None,
        "engagement_score": 40,
        "sessions_last_90_days": 8,
        "product_views": 30,
        "add_to_carts": 4,
        "email_opens": 0,
        "email_click_rate": None,
        "video_views": 0,
        "video_completion_share": None,
    },
    "video_and_email_fans": {
        "is_known": True,
        "orders": 0,
        "average_order_value": None,
        "days_since_last_order": None,
        "discount_order_share": None,
        "engagement_score": 60,
        "sessions_last_90_days": 3,
        "product_views": 2,
        "add_to_carts": 0,
        "email_opens": 12,
        "email_click_rate": 0.9,
        "video_views": 10,
        "video_completion_share": 0.95,
    },
}


def load_clusters_model() -> ModuleType:
    return load_model_file("models/activation/clusters/int_persons_clustered.py")


def _jitter(rng: np.random.Generator, value, n: int) -> np.ndarray:
    """n values scattered by about 10% around value (never below 0; shares at most 1). Counts
    are not rounded: rounding small counts makes stacks of identical persons, tight sub-clusters
    that a silhouette rightly rewards splitting."""
    if value is None:
        return np.full(n, np.nan)
    drawn = np.maximum(value * rng.lognormal(0.0, 0.1, n), 0.0)
    if isinstance(value, float) and value <= 1.0:
        drawn = value * rng.uniform(0.9, 1.0, n)
    return drawn


def synthetic_users(
    sizes: dict[str, int], seed: int = 0, extra_noise_persons: int = 0
) -> pd.DataFrame:
    """dim_persons rows (the columns the model reads, plus `archetype`) with sizes[name] persons of
    each archetype, and extra_noise_persons anonymous one-session persons (outside the clustered
    population) with archetype `noise`."""
    rng = np.random.default_rng(seed)
    frames = []
    for name, n in sizes.items():
        spec = ARCHETYPES[name]
        frame = {"archetype": [name] * n, "is_known": [spec["is_known"]] * n}
        for column, value in spec.items():
            if column == "is_known":
                continue
            frame[column] = _jitter(rng, value, n)
        frames.append(pd.DataFrame(frame))
    if extra_noise_persons:
        noise = {
            column: np.zeros(extra_noise_persons) for column in ARCHETYPES["anonymous_browsers"]
        }
        noise.update(
            archetype=["noise"] * extra_noise_persons,
            is_known=[False] * extra_noise_persons,
            sessions_last_90_days=np.ones(extra_noise_persons),
            average_order_value=np.nan,
            days_since_last_order=np.nan,
            discount_order_share=np.nan,
            email_click_rate=np.nan,
            video_completion_share=np.nan,
        )
        frames.append(pd.DataFrame(noise))
    users = pd.concat(frames, ignore_index=True)
    users["revenue"] = (users["orders"] * users["average_order_value"]).fillna(0.0)
    users["as_of_date"] = AS_OF
    users["person_id"] = [f"p{i:07d}" for i in rng.permutation(len(users))]
    return users
