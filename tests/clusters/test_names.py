"""Cluster names derived from centroids."""

from __future__ import annotations

import numpy as np


def centroid(clusters, **z_values) -> np.ndarray:
    values = np.zeros(len(clusters.FEATURE_NAMES))
    for name, value in z_values.items():
        values[clusters.FEATURE_NAMES.index(name)] = value
    return values


def test_the_two_features_farthest_from_zero_name_a_cluster(clusters):
    names = clusters.name_clusters(
        np.stack(
            [
                centroid(clusters, discount_order_share=2.0, orders=1.0, engagement_score=0.6),
                centroid(clusters, days_since_last_order=1.5, orders=-0.8),
                centroid(clusters, add_to_carts=0.9, engagement_score=-1.2),
            ]
        ),
        np.array([0.9, 1.0, 0.1]),
    )
    assert names == [
        "Discount-driven, frequent buyers",
        "Lapsed, one-time buyers",
        "Disengaged, cart-building visitors",
    ]


def test_features_under_half_a_deviation_do_not_name_a_cluster(clusters):
    names = clusters.name_clusters(
        np.stack([centroid(clusters, orders=0.49), centroid(clusters, product_views=0.7)]),
        np.array([1.0, 0.0]),
    )
    assert names == ["Typical buyers", "Product-browsing visitors"]


def test_purchase_features_do_not_name_visitor_clusters(clusters):
    [name] = clusters.name_clusters(
        np.array(
            [centroid(clusters, orders=-3.0, average_order_value=2.0, sessions_last_90_days=1)]
        ),
        np.array([0.2]),
    )
    assert name == "Frequent-visit visitors"


def test_one_word_per_topic(clusters):
    [name] = clusters.name_clusters(
        np.array(
            [centroid(clusters, has_video_views=3.0, video_completion_share=2.5, add_to_carts=1)]
        ),
        np.array([0.0]),
    )
    assert name == "Video-watching, cart-building visitors"


def test_duplicate_names_take_more_words_until_unique(clusters):
    base = dict(orders=2.0, engagement_score=1.5)
    names = clusters.name_clusters(
        np.stack(
            [
                centroid(clusters, **base, add_to_carts=0.2),
                centroid(clusters, **base, add_to_carts=-0.6, product_views=0.55),
                centroid(clusters, **base, add_to_carts=0.3),
            ]
        ),
        np.ones(3),
    )
    # Words under half a deviation are never used, not even to tell clusters apart.
    assert names == [
        "Frequent, highly engaged buyers",
        "Frequent, highly engaged, non-carting buyers",
        "Frequent, highly engaged buyers (cluster 2)",
    ]


def test_built_names_are_unique_and_start_with_the_farthest_feature(clusters, archetype_users):
    out = clusters.cluster_persons(archetype_users)
    per_cluster = out.groupby("cluster_id")["cluster_name"].agg(["nunique", "first"])
    assert (per_cluster["nunique"] == 1).all()
    assert per_cluster["first"].is_unique
    population = archetype_users[clusters.in_population(archetype_users)]
    population = population.sort_values("person_id", ignore_index=True)
    z, _, _ = clusters.standardize(clusters.build_features(population))
    labels = out["cluster_id"].to_numpy()
    buyers = population["orders"].to_numpy() > 0
    for cluster, name in per_cluster["first"].items():
        members = labels == cluster
        assert name.endswith("buyers" if buyers[members].mean() >= 0.5 else "visitors")
        centroid = z[members].mean(axis=0)
        eligible = [
            i
            for i, feature in enumerate(clusters.FEATURES)
            if (buyers[members].mean() >= 0.5 or not feature.purchase)
            and (centroid[i] > 0 or feature.low)
        ]
        top = max(eligible, key=lambda i: abs(centroid[i]))
        feature = clusters.FEATURES[top]
        assert abs(centroid[top]) >= 0.5
        expected = feature.high if centroid[top] > 0 else feature.low
        assert name.lower().startswith(expected)
