"""Population, features and the build not crashing on small or degenerate data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.clusters.synthetic import synthetic_users


def test_population_keeps_customers_known_visitors_and_repeat_visitors(clusters):
    users = pd.DataFrame(
        {
            "person_id": list("abcdefg"),
            "orders": [1, 0, 0, 0, 0, 3, None],
            "sessions_last_90_days": [0, 1, 1, 2, 0, 5, None],
            "is_known": [False, True, False, False, True, False, None],
        }
    )
    kept = users.loc[clusters.in_population(users), "person_id"].tolist()
    # c: anonymous with one session; e: known but inactive; g: nothing.
    assert kept == ["a", "b", "d", "f"]


def test_conditional_features_are_standardized_among_those_who_have_them(clusters):
    users = pd.DataFrame(
        {
            "orders": [0, 1, 3],
            "average_order_value": [None, 99.0, 19.0],
            "days_since_last_order": [None, 10, 30],
            "discount_order_share": [None, 0.0, 1.0],
            "engagement_score": [5, None, 50],
            "sessions_last_90_days": [2, 0, 9],
            "product_views": [3, 0, None],
            "add_to_carts": [0, 0, 1],
            "email_opens": [0, 2, None],
            "email_click_rate": [None, 0.5, None],
            "video_views": [0, 0, 4],
            "video_completion_share": [None, None, 0.25],
        }
    )
    features = clusters.build_features(users)
    assert list(features.columns) == list(clusters.FEATURE_NAMES)
    assert features["orders"].tolist() == np.log1p([0, 1, 3]).tolist()
    assert features["has_email_opens"].tolist() == [0.0, 1.0, 0.0]
    assert features["has_video_views"].tolist() == [0.0, 0.0, 1.0]
    assert features["engagement_score"].tolist() == [5.0, 0.0, 50.0]
    assert features["product_views"].tolist() == np.log1p([3, 0, 0]).tolist()
    z, mean, _ = clusters.standardize(features)
    assert np.isfinite(z).all()
    column = list(clusters.FEATURE_NAMES).index
    # Recency among the two customers only: log1p(10) and log1p(30) -> -1 and +1; the
    # non-customer sits at their mean, 0.
    recency = column("days_since_last_order")
    assert mean[recency] == pytest.approx((np.log1p(10) + np.log1p(30)) / 2)
    assert z[:, recency] == pytest.approx([0.0, -1.0, 1.0])
    assert z[:, column("discount_order_share")] == pytest.approx([0.0, -1.0, 1.0])
    # One person has a click rate and one a completion share: constant among them, so 0.
    assert (z[:, column("email_click_rate")] == 0).all()
    assert (z[:, column("video_completion_share")] == 0).all()
    # Ordinary features use every person: engagement 5, 0, 50.
    engagement = np.array([5.0, 0.0, 50.0])
    assert z[:, column("engagement_score")] == pytest.approx(
        (engagement - engagement.mean()) / engagement.std()
    )


def test_too_few_persons_puts_everyone_in_one_unclustered_cluster(clusters):
    users = synthetic_users({"anonymous_browsers": 20, "loyal_big_spenders": 20}, seed=1)
    out = clusters.cluster_persons(users)
    assert len(out) == 40
    assert set(out["cluster_model_status"]) == {"insufficient_data"}
    assert set(out["cluster_algorithm"]) == {"none"}
    assert set(out["cluster_id"]) == {0}
    assert set(out["cluster_name"]) == {clusters.UNCLUSTERED_NAME}
    assert out["k_silhouette"].isna().all()
    assert np.isfinite(out[["distance_to_centroid", "pca_x", "pca_y"]].to_numpy()).all()
    # 50 persons and k_min 3 is enough; k_min 6 needs 60.
    enough = synthetic_users({"anonymous_browsers": 25, "loyal_big_spenders": 25}, seed=1)
    assert set(clusters.cluster_persons(enough)["cluster_model_status"]) == {"clustered"}
    needs_more = clusters.cluster_persons(enough, k_min=6, k_max=8)
    assert set(needs_more["cluster_model_status"]) == {"insufficient_data"}


def test_no_one_to_cluster_gives_an_empty_table_with_the_schema(clusters):
    users = synthetic_users({"anonymous_browsers": 5}, seed=1).iloc[0:0]
    out = clusters.cluster_persons(users)
    assert len(out) == 0
    assert list(out.columns) == list(clusters.OUTPUT_COLUMNS)
    for column, dtype in clusters.OUTPUT_DTYPES.items():
        assert str(out[column].dtype) == dtype


def test_identical_persons_are_not_split_into_clusters(clusters):
    users = synthetic_users({"anonymous_browsers": 100}, seed=1)
    for column in ("engagement_score", "sessions_last_90_days", "product_views", "add_to_carts"):
        users[column] = 5
    out = clusters.cluster_persons(users)
    assert set(out["cluster_model_status"]) == {"insufficient_data"}
    assert (out["distance_to_centroid"] == 0).all()
    assert (out[["pca_x", "pca_y"]] == 0).all().all()


def test_constant_features_get_zero_scores_and_do_not_break_the_fit(clusters, archetype_users):
    users = archetype_users.copy()
    users["email_opens"] = 0
    users["email_click_rate"] = None
    users["video_views"] = 0
    users["video_completion_share"] = None
    population = users[clusters.in_population(users)]
    z, _, scale = clusters.standardize(clusters.build_features(population))
    constant = [
        clusters.FEATURE_NAMES.index(name) for name in ("has_email_opens", "has_video_views")
    ]
    assert (z[:, constant] == 0).all()
    assert (scale[constant] == 1).all()
    out = clusters.cluster_persons(users)
    assert set(out["cluster_model_status"]) == {"clustered"}
    assert np.isfinite(out[["distance_to_centroid", "pca_x", "pca_y", "k_silhouette"]]).all().all()
