"""The clustering model file, loaded once for the cluster tests, and archetype persons."""

from __future__ import annotations

from types import ModuleType

import pandas as pd
import pytest

from tests.clusters.synthetic import load_clusters_model, synthetic_users

SIZES = {
    "loyal_big_spenders": 60,
    "lapsed_discount_buyers": 150,
    "anonymous_browsers": 200,
    "video_and_email_fans": 90,
}


@pytest.fixture(scope="session")
def clusters() -> ModuleType:
    return load_clusters_model()


@pytest.fixture(scope="session")
def archetype_users() -> pd.DataFrame:
    return synthetic_users(SIZES, seed=3, extra_noise_persons=100)


@pytest.fixture(scope="session")
def archetype_clusters(clusters: ModuleType, archetype_users: pd.DataFrame) -> pd.DataFrame:
    """cluster_persons on archetype_users, with each person's archetype alongside."""
    out = clusters.cluster_persons(archetype_users)
    return out.merge(archetype_users[["person_id", "archetype"]], on="person_id", how="left")
