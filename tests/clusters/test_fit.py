"""Choosing k, numbering clusters and staying deterministic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from tests.clusters.conftest import SIZES


def blobs(centers: int, per_blob: int = 150, dims: int = 6, seed: int = 0):
    """Gaussian blobs of unit spread whose centres are at least 12 apart."""
    rng = np.random.default_rng(seed)
    middles = (
        np.eye(centers, dims) * 12.0 if centers <= dims else rng.normal(0, 12, (centers, dims))
    )
    truth = np.repeat(np.arange(centers), per_blob)
    return middles[truth] + rng.normal(0, 1, (len(truth), dims)), truth


@pytest.mark.parametrize("centers", [3, 4, 6])
def test_silhouette_chooses_the_number_of_well_separated_blobs(clusters, centers):
    z, truth = blobs(centers)
    fit = clusters.fit_clusters(z, np.zeros(len(z)))
    assert fit.status == "clustered"
    assert fit.k == centers
    assert adjusted_rand_score(truth, fit.labels) == pytest.approx(1.0)
    assert fit.silhouette == max(fit.silhouette_by_k.values()) > 0.7
    assert sorted(fit.silhouette_by_k) == list(range(3, 9))


def test_k_stays_within_the_configured_range(clusters):
    z, _ = blobs(6)
    fit = clusters.fit_clusters(z, np.zeros(len(z)), k_min=3, k_max=4)
    assert fit.k in (3, 4)
    assert sorted(fit.silhouette_by_k) == [3, 4]


def test_archetypes_are_recovered_as_clusters(archetype_clusters):
    clustered = archetype_clusters
    assert (clustered["cluster_model_status"] == "clustered").all()
    assert clustered["k_silhouette"].iloc[0] > 0.5
    assert clustered["cluster_id"].nunique() == len(SIZES)
    assert adjusted_rand_score(clustered["archetype"], clustered["cluster_id"]) == 1.0


def test_cluster_ids_are_ordered_by_members_revenue(archetype_clusters):
    by_cluster = archetype_clusters.groupby("cluster_id")["archetype"].first()
    # Big spenders have the most revenue, lapsed one-order buyers some, the rest none: the two
    # zero-revenue clusters are ordered by size (browsers are more numerous).
    assert by_cluster.tolist() == [
        "loyal_big_spenders",
        "lapsed_discount_buyers",
        "anonymous_browsers",
        "video_and_email_fans",
    ]


def test_cluster_ids_do_not_depend_on_sklearn_label_order(clusters):
    z, truth = blobs(4)
    revenue = truth * 10.0  # blob 3 has the most revenue, so it must become cluster 0
    expected = 3 - truth
    for permutation in ([0, 1, 2, 3], [2, 0, 3, 1], [3, 2, 1, 0]):
        labels = np.asarray(permutation)[truth]
        assert clusters.order_clusters(labels, z, revenue).tolist() == expected.tolist()


def test_same_data_gives_the_same_rows_whatever_the_row_order(clusters, archetype_users):
    first = clusters.cluster_persons(archetype_users)
    again = clusters.cluster_persons(archetype_users)
    shuffled = clusters.cluster_persons(archetype_users.sample(frac=1.0, random_state=7))
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(first, shuffled)


def test_minibatch_kmeans_is_used_above_the_threshold(clusters, archetype_users, monkeypatch):
    fitted = []

    def recording(estimator):
        def make(**options):
            fitted.append(estimator.__name__)
            return estimator(**options)

        return make

    monkeypatch.setattr(clusters, "KMeans", recording(clusters.KMeans))
    monkeypatch.setattr(clusters, "MiniBatchKMeans", recording(clusters.MiniBatchKMeans))
    persons = int(clusters.in_population(archetype_users).sum())
    at_threshold = clusters.cluster_persons(archetype_users, minibatch_threshold=persons)
    assert set(fitted) == {"KMeans"}
    fitted.clear()
    above = clusters.cluster_persons(archetype_users, minibatch_threshold=persons - 1)
    assert set(fitted) == {"MiniBatchKMeans"}
    assert set(at_threshold["cluster_algorithm"]) == {"kmeans"}
    assert set(above["cluster_algorithm"]) == {"minibatch_kmeans"}
    # Mini-batch finds the same archetypes on such clear data.
    merged = above.merge(archetype_users[["person_id", "archetype"]], on="person_id")
    assert adjusted_rand_score(merged["archetype"], merged["cluster_id"]) == 1.0
    again = clusters.cluster_persons(archetype_users, minibatch_threshold=persons - 1)
    pd.testing.assert_frame_equal(above, again)


def test_distance_to_centroid_is_the_distance_in_z_units(clusters, archetype_users):
    population = archetype_users[clusters.in_population(archetype_users)]
    population = population.sort_values("person_id", ignore_index=True)
    z, _, _ = clusters.standardize(clusters.build_features(population))
    out = clusters.cluster_persons(archetype_users)
    labels = out["cluster_id"].to_numpy()
    centroids = np.stack([z[labels == c].mean(axis=0) for c in range(labels.max() + 1)])
    expected = np.linalg.norm(z - centroids[labels], axis=1)
    np.testing.assert_allclose(out["distance_to_centroid"], expected, rtol=1e-9, atol=1e-12)
    # No person is closer to another cluster's centroid (k-means converged).
    distances = np.linalg.norm(z[:, None, :] - centroids[None, :, :], axis=2)
    assert (distances.argmin(axis=1) == labels).all()


def test_pca_coordinates_are_finite_and_follow_the_main_axis(clusters, archetype_clusters):
    assert np.isfinite(archetype_clusters[["pca_x", "pca_y"]].to_numpy()).all()
    rng = np.random.default_rng(1)
    main = rng.normal(0, 5, 400)
    z = np.column_stack([main, rng.normal(0, 1, 400), np.zeros(400)])
    coords = clusters.pca_coordinates(z)
    assert coords.shape == (400, 2)
    assert np.corrcoef(coords[:, 0], main)[0, 1] > 0.99  # sign fixed: largest loading positive
    assert np.var(coords[:, 0]) > np.var(coords[:, 1])
    assert (clusters.pca_coordinates(np.zeros((5, 3))) == 0).all()
    assert clusters.pca_coordinates(np.ones((1, 3))).shape == (1, 2)
