"""The dbt entry point, model(dbt, session), with stand-ins for dbt's ref and config."""

from __future__ import annotations

import pandas as pd

from tests.dbt_python_models import FakeDbt


def test_model_reads_dim_users_and_the_knobs_from_meta(clusters, archetype_users):
    users = archetype_users.assign(unrelated_column="x")
    meta = {
        "cluster_k_min": "3",
        "cluster_k_max": "4",
        "cluster_minibatch_threshold": "100",
        "cluster_random_seed": "7",
    }
    out = clusters.model(FakeDbt({"dim_persons": users}, meta), session=None)
    assert list(out.columns) == list(clusters.OUTPUT_COLUMNS)
    assert set(out["cluster_algorithm"]) == {"minibatch_kmeans"}
    assert set(out["silhouette_by_k"]) == {out["silhouette_by_k"].iloc[0]}
    assert [part.split(":")[0] for part in out["silhouette_by_k"].iloc[0].split(",")] == ["3", "4"]
    expected = clusters.cluster_persons(
        users[list(clusters.INPUT_COLUMNS)], k_min=3, k_max=4, minibatch_threshold=100, seed=7
    )
    pd.testing.assert_frame_equal(out, expected)
    assert str(out["as_of_date"].iloc[0]) == str(users["as_of_date"].iloc[0])


def test_model_defaults_apply_when_meta_is_empty(clusters, archetype_users):
    out = clusters.model(FakeDbt({"dim_persons": archetype_users}, {}), session=None)
    assert set(out["cluster_algorithm"]) == {"kmeans"}
    assert [int(p.split(":")[0]) for p in out["silhouette_by_k"].iloc[0].split(",")] == list(
        range(3, 9)
    )
