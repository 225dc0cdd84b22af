"""K-means clusters of engaged persons on standardized RFM, engagement and behaviour features.

One row per clustered person (see in_population): their cluster, its name, the distance to its
centroid and 2-D PCA coordinates for plotting. k is chosen by silhouette score within
[cluster_k_min, cluster_k_max]; above cluster_minibatch_threshold persons, mini-batch k-means is
used. Method, features and measured numbers: _clusters__docs.md (doc `clusters_method`).

The file is self-contained on purpose: dbt Python models cannot import each other, and tests
import the functions below by file path. The same data gives the same labels: rows are sorted by
person_id before fitting, every random step is seeded and clusters are numbered by a rule on
their members (not sklearn's label order).
"""

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

RANDOM_SEED = 42
K_MIN = 3
K_MAX = 8
MINIBATCH_THRESHOLD = 50_000
# Silhouette is computed on a seeded sample of at most this many persons (it is quadratic).
SILHOUETTE_SAMPLE = 10_000
# Fewer persons than max(MIN_PERSONS, PERSONS_PER_CLUSTER * k_min): no clustering
# (cluster_model_status `insufficient_data`, everyone in cluster 0).
MIN_PERSONS = 50
PERSONS_PER_CLUSTER = 10
MINIBATCH_BATCH_SIZE = 4096
# Population: persons active in the last 90 days this often (or known, or customers).
MIN_RECENT_SESSIONS_ANONYMOUS = 2
# A feature names a cluster when its centroid is at least this many standard deviations off.
NAME_MIN_Z = 0.5
NAME_MAX_WORDS = 2

STATUS_CLUSTERED = "clustered"
STATUS_INSUFFICIENT_DATA = "insufficient_data"
ALGORITHM_KMEANS = "kmeans"
ALGORITHM_MINIBATCH = "minibatch_kmeans"
ALGORITHM_NONE = "none"
UNCLUSTERED_NAME = "Unclustered (insufficient data)"

# Columns of dim_persons the model reads.
INPUT_COLUMNS = (
    "person_id",
    "as_of_date",
    "is_known",
    "orders",
    "revenue",
    "average_order_value",
    "days_since_last_order",
    "discount_order_share",
    "engagement_score",
    "sessions_last_90_days",
    "product_views",
    "add_to_carts",
    "email_opens",
    "email_click_rate",
    "video_views",
    "video_completion_share",
)


@dataclass(frozen=True)
class Feature:
    """A clustering feature: its dim_persons source, whether it is log1p-transformed, the words
    naming a cluster whose centroid is high or low on it (`purchase` features only name clusters
    of buyers), whether it is `conditional` (exists only for some persons: null stays null until
    standardize; other nulls count as 0) and its topic (a name uses one word per topic; default
    the feature's own name)."""

    name: str
    source: str
    log: bool
    high: str
    low: str
    purchase: bool = False
    conditional: bool = False
    topic: str = ""


FEATURES = (
    Feature("days_since_last_order", "days_since_last_order", True, "lapsed", "recent", True, True),
    Feature("orders", "orders", True, "frequent", "one-time", True),
    Feature(
        "average_order_value", "average_order_value", True, "big-basket", "small-basket", True, True
    ),
    Feature(
        "discount_order_share",
        "discount_order_share",
        False,
        "discount-driven",
        "full-price",
        True,
        True,
    ),
    Feature("engagement_score", "engagement_score", False, "highly engaged", "disengaged"),
    Feature("sessions_last_90_days", "sessions_last_90_days", True, "frequent-visit", "rare-visit"),
    Feature("product_views", "product_views", True, "product-browsing", "light-browsing"),
    Feature("add_to_carts", "add_to_carts", True, "cart-building", "non-carting"),
    Feature("has_email_opens", "email_opens", False, "email-reading", "", topic="email"),
    Feature(
        "email_click_rate",
        "email_click_rate",
        False,
        "email-clicking",
        "email-ignoring",
        conditional=True,
        topic="email",
    ),
    Feature("has_video_views", "video_views", False, "video-watching", "", topic="video"),
    Feature(
        "video_completion_share",
        "video_completion_share",
        False,
        "video-finishing",
        "video-skipping",
        conditional=True,
        topic="video",
    ),
)
FEATURE_NAMES = tuple(f.name for f in FEATURES)

OUTPUT_DTYPES = {
    "person_id": "string",
    "cluster_id": "int64",
    "cluster_name": "string",
    "distance_to_centroid": "float64",
    "pca_x": "float64",
    "pca_y": "float64",
    "k_silhouette": "float64",
    "silhouette_by_k": "string",
    "cluster_algorithm": "string",
    "cluster_model_status": "string",
}
OUTPUT_COLUMNS = (
    "person_id",
    "as_of_date",
    "cluster_id",
    "cluster_name",
    "distance_to_centroid",
    "pca_x",
    "pca_y",
    "k_silhouette",
    "silhouette_by_k",
    "cluster_algorithm",
    "cluster_model_status",
)


# --- Population and features ------------------------------------------------------------------


def _numeric(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").astype("float64")


def in_population(users: pd.DataFrame) -> pd.Series:
    """Persons clustered: customers (a completed order), known persons with a session in the
    last 90 days and anonymous persons with at least MIN_RECENT_SESSIONS_ANONYMOUS of them."""
    orders = _numeric(users["orders"]).fillna(0)
    sessions = _numeric(users["sessions_last_90_days"]).fillna(0)
    known = users["is_known"].fillna(False).astype(bool)
    engaged = (
        (orders >= 1) | (known & (sessions >= 1)) | (sessions >= MIN_RECENT_SESSIONS_ANONYMOUS)
    )
    return engaged.astype(bool)


def build_features(users: pd.DataFrame) -> pd.DataFrame:
    """FEATURE_NAMES of each row of `users`, before standardizing.

    Counts and amounts are log1p-transformed (heavy right tails). Conditional features exist only
    for some persons and stay null for the others: recency, order value and discount share
    without orders, email_click_rate without email opens, video_completion_share without video
    views (see standardize). has_email_opens / has_video_views are their missing indicators
    (orders is the indicator of the purchase features). Other nulls count as 0.
    """
    out = {}
    for feature in FEATURES:
        values = _numeric(users[feature.source])
        if feature.name.startswith("has_"):
            values = (values.fillna(0) > 0).astype("float64")
        elif not feature.conditional:
            values = values.fillna(0.0)
        if feature.log:
            values = np.log1p(values.clip(lower=0))
        out[feature.name] = values.to_numpy("float64")
    return pd.DataFrame(out, index=users.index)


def standardize(features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """z-scores: each feature minus its mean over the persons who have it, over its (population)
    standard deviation among them; a missing value then gets 0, the mean of those who have it.
    Standardizing a conditional feature among all persons would shrink its deviation by the
    share of persons who have it and so inflate its weight; among those who have it, it weighs
    like any other. A constant feature gets 0 everywhere (its scale is taken as 1). Returns z,
    mean and scale."""
    values = features.to_numpy("float64")
    observed = ~np.isnan(values)
    counts = observed.sum(axis=0)
    filled = np.where(observed, values, 0.0)
    mean = filled.sum(axis=0) / np.maximum(counts, 1)
    deviation = np.where(observed, values - mean, 0.0)
    scale = np.sqrt((deviation**2).sum(axis=0) / np.maximum(counts, 1))
    scale = np.where(scale > 1e-12, scale, 1.0)
    return deviation / scale, mean, scale


# --- Fitting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterFit:
    """The chosen clustering: labels renumbered by order_clusters, centroids in z units."""

    status: str
    algorithm: str
    k: int
    labels: np.ndarray
    centroids: np.ndarray
    silhouette: float
    silhouette_by_k: dict[int, float]


def _estimator(k: int, minibatch: bool, seed: int):
    if minibatch:
        return MiniBatchKMeans(
            n_clusters=k,
            n_init=3,
            batch_size=MINIBATCH_BATCH_SIZE,
            random_state=seed,
        )
    return KMeans(n_clusters=k, n_init=10, random_state=seed)


def order_clusters(labels: np.ndarray, z: np.ndarray, revenue: np.ndarray) -> np.ndarray:
    """New id of each original label: by mean member revenue (descending), then members
    (descending), then the centroid's z values (ascending): a rule on the members, so the ids do
    not depend on sklearn's label order."""
    keys = []
    for label in np.unique(labels):
        members = labels == label
        centroid = z[members].mean(axis=0)
        keys.append(
            (
                -round(float(revenue[members].mean()), 6),
                -int(members.sum()),
                *np.round(centroid, 9).tolist(),
                int(label),
            )
        )
    order = sorted(keys)
    mapping = np.zeros(int(labels.max()) + 1, dtype=np.int64)
    for new_id, key in enumerate(order):
        mapping[key[-1]] = new_id
    return mapping[labels]


def fit_clusters(
    z: np.ndarray,
    revenue: np.ndarray,
    k_min: int = K_MIN,
    k_max: int = K_MAX,
    minibatch_threshold: int = MINIBATCH_THRESHOLD,
    seed: int = RANDOM_SEED,
    silhouette_sample: int = SILHOUETTE_SAMPLE,
) -> ClusterFit:
    """Fit k-means for each k in [k_min, k_max] and keep the k of highest silhouette score
    (the smaller k on a tie). A k whose fit yields fewer than k distinct clusters is skipped;
    too few persons, or no valid k, gives `insufficient_data` with everyone in cluster 0."""
    # One thread: OpenMP spin-waits slow k-means down badly on a busy machine, and a fixed
    # summation order keeps the labels the same on any machine.
    with threadpool_limits(limits=1):
        return _fit_clusters(z, revenue, k_min, k_max, minibatch_threshold, seed, silhouette_sample)


def _fit_clusters(z, revenue, k_min, k_max, minibatch_threshold, seed, silhouette_sample):
    n = len(z)
    minibatch = n > minibatch_threshold
    algorithm = ALGORITHM_MINIBATCH if minibatch else ALGORITHM_KMEANS
    scores: dict[int, float] = {}
    fits: dict[int, np.ndarray] = {}
    if n >= max(MIN_PERSONS, PERSONS_PER_CLUSTER * k_min):
        distinct = len(np.unique(np.round(z, 9), axis=0))
        sample = min(n, silhouette_sample)
        for k in range(k_min, min(k_max, distinct - 1) + 1):
            labels = _estimator(k, minibatch, seed).fit_predict(z)
            if len(np.unique(labels)) < k:
                continue
            scores[k] = float(silhouette_score(z, labels, sample_size=sample, random_state=seed))
            fits[k] = labels
    if not scores:
        labels = np.zeros(n, dtype=np.int64)
        centroids = z.mean(axis=0, keepdims=True) if n else np.zeros((1, z.shape[1]))
        return ClusterFit(
            STATUS_INSUFFICIENT_DATA,
            ALGORITHM_NONE,
            1 if n else 0,
            labels,
            centroids,
            float("nan"),
            {},
        )
    best = max(scores, key=lambda k: (round(scores[k], 12), -k))
    labels = order_clusters(fits[best], z, revenue)
    centroids = np.stack([z[labels == c].mean(axis=0) for c in range(best)])
    return ClusterFit(STATUS_CLUSTERED, algorithm, best, labels, centroids, scores[best], scores)


def pca_coordinates(z: np.ndarray, seed: int = RANDOM_SEED) -> np.ndarray:
    """n x 2 coordinates on the first two principal components of z (zeros where there is no
    variance to project). Signs are fixed so that each component's largest loading is positive."""
    n, width = z.shape
    coords = np.zeros((n, 2))
    components = min(2, n, width)
    if n < 2 or components == 0 or not np.any(z.std(axis=0) > 1e-12):
        return coords
    pca = PCA(n_components=components, svd_solver="full", random_state=seed).fit(z)
    loadings = pca.components_
    signs = np.sign(loadings[np.arange(components), np.argmax(np.abs(loadings), axis=1)])
    projected = (z - pca.mean_) @ (loadings * signs[:, None]).T
    coords[:, :components] = projected
    return np.nan_to_num(coords, nan=0.0, posinf=0.0, neginf=0.0)


# --- Names ------------------------------------------------------------------------------------


def _phrase(words: list[str], noun: str) -> str:
    text = ", ".join(words) + f" {noun}" if words else f"typical {noun}"
    return text[0].upper() + text[1:]


def _topic(feature: Feature) -> str:
    return feature.topic or feature.name


def _cluster_words(centroid: np.ndarray, is_buyers: bool) -> list[str]:
    """The naming words of one centroid: of the features with |z| >= NAME_MIN_Z, farthest from 0
    first (ties by feature order), one per topic."""
    ranked = sorted(
        (-abs(float(centroid[i])), i)
        for i, feature in enumerate(FEATURES)
        if (is_buyers or not feature.purchase) and abs(float(centroid[i])) >= NAME_MIN_Z
    )
    words: list[str] = []
    topics: set[str] = set()
    for _, i in ranked:
        feature = FEATURES[i]
        word = feature.high if centroid[i] > 0 else feature.low
        if not word or _topic(feature) in topics:  # missing indicators name only by presence
            continue
        topics.add(_topic(feature))
        words.append(word)
    return words


def name_clusters(centroids: np.ndarray, buyer_share: np.ndarray) -> list[str]:
    """A name for each cluster from its centroid (z units, FEATURE_NAMES order).

    The noun is `buyers` when at least half the members have a completed order, else
    `visitors`. The words are the high/low words of the NAME_MAX_WORDS features farthest from 0
    with |z| >= NAME_MIN_Z, one per topic (email opens and click rate are one topic, video views
    and completion another); purchase features name only buyer clusters, and the missing
    indicators (has_email_opens, has_video_views) only when high: lacking a minority behaviour
    says little. None qualifies: `Typical buyers` / `Typical visitors`. A name already given to
    a cluster of lower id takes the cluster's further qualifying words one at a time until it is
    new, else gets ` (cluster <id>)`.
    """
    names: list[str] = []
    for cluster, centroid in enumerate(centroids):
        is_buyers = bool(buyer_share[cluster] >= 0.5)
        noun = "buyers" if is_buyers else "visitors"
        words = _cluster_words(centroid, is_buyers)
        count = min(NAME_MAX_WORDS, len(words))
        name = _phrase(words[:count], noun)
        while name in names and count < len(words):
            count += 1
            name = _phrase(words[:count], noun)
        if name in names:
            name = f"{name} (cluster {cluster})"
        names.append(name)
    return names


# --- dbt --------------------------------------------------------------------------------------


def _silhouette_text(scores: dict[int, float]) -> str:
    return ",".join(f"{k}:{scores[k]:.4f}" for k in sorted(scores))


def cluster_persons(
    users: pd.DataFrame,
    as_of_date: datetime.date | None = None,
    k_min: int = K_MIN,
    k_max: int = K_MAX,
    minibatch_threshold: int = MINIBATCH_THRESHOLD,
    seed: int = RANDOM_SEED,
) -> pd.DataFrame:
    """The model's rows (OUTPUT_COLUMNS, stable dtypes) from dim_persons rows (INPUT_COLUMNS),
    sorted by person_id. as_of_date defaults to the users' as_of_date."""
    users = users[users["person_id"].notna()]
    users = users[in_population(users)]
    users = users.sort_values("person_id", kind="stable").reset_index(drop=True)
    if as_of_date is None and len(users):
        as_of_date = pd.Timestamp(users["as_of_date"].iloc[0]).date()
    z, _, _ = standardize(build_features(users))
    revenue = _numeric(users["revenue"]).fillna(0.0).to_numpy()
    fit = fit_clusters(z, revenue, k_min, k_max, minibatch_threshold, seed)
    has_orders = _numeric(users["orders"]).fillna(0).to_numpy() > 0
    if fit.status == STATUS_CLUSTERED:
        buyer_share = np.array([has_orders[fit.labels == c].mean() for c in range(fit.k)])
        names = np.array(name_clusters(fit.centroids, buyer_share), dtype=object)
    else:
        names = np.array([UNCLUSTERED_NAME], dtype=object)
    coords = pca_coordinates(z, seed)
    distance = np.linalg.norm(z - fit.centroids[fit.labels], axis=1) if len(z) else np.zeros(0)
    n = len(users)
    out = pd.DataFrame(
        {
            "person_id": users["person_id"].astype("string"),
            "cluster_id": fit.labels.astype("int64"),
            "cluster_name": names[fit.labels] if n else np.array([], dtype=object),
            "distance_to_centroid": distance,
            "pca_x": coords[:, 0],
            "pca_y": coords[:, 1],
            "k_silhouette": np.full(n, fit.silhouette),
            "silhouette_by_k": [_silhouette_text(fit.silhouette_by_k)] * n,
            "cluster_algorithm": [fit.algorithm] * n,
            "cluster_model_status": [fit.status] * n,
        }
    ).astype(OUTPUT_DTYPES)
    out["as_of_date"] = pd.Series(
        [as_of_date] * n, index=out.index, dtype=pd.ArrowDtype(pa.date32())
    )
    return out[list(OUTPUT_COLUMNS)]


def _as_int(value, default: int) -> int:
    """A meta value (rendered from a var, so text) as an int; default when unset."""
    return default if value is None or str(value).strip() == "" else int(value)


def model(dbt, session):
    # dbt reads config calls statically: their arguments must be literals.
    k_min = dbt.config.meta_get("cluster_k_min")
    k_max = dbt.config.meta_get("cluster_k_max")
    minibatch_threshold = dbt.config.meta_get("cluster_minibatch_threshold")
    seed = dbt.config.meta_get("cluster_random_seed")
    # only the features leave DuckDB: the whole dim_persons in pandas was most of the build's memory
    users = dbt.ref("dim_persons").project(", ".join(f'"{c}"' for c in INPUT_COLUMNS)).df()
    return cluster_persons(
        users,
        k_min=_as_int(k_min, K_MIN),
        k_max=_as_int(k_max, K_MAX),
        minibatch_threshold=_as_int(minibatch_threshold, MINIBATCH_THRESHOLD),
        seed=_as_int(seed, RANDOM_SEED),
    )
