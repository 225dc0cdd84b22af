"""Experiments on three builds a week apart: assignments recomputed independently in Python from
the membership history, the seeds and the conversion events (md5 with hashlib), and the results
recomputed from the assignments with scipy's normal distribution."""

from __future__ import annotations

import hashlib
import math

import pandas as pd
import pytest
from scipy.stats import norm

from tests.support import PROJECT_DIR

pytestmark = pytest.mark.slow

SEEDS = PROJECT_DIR / "seeds"
Z_95 = norm.ppf(0.975)


def arm_of(experiment_id: str, person_id: str, variants: pd.DataFrame) -> str:
    digest = hashlib.md5(f"{experiment_id}:{person_id}".encode()).hexdigest()
    point = int(digest[:8], 16) / 2**32
    arms = variants.sort_values("variant")
    upper_bounds = arms["share"].cumsum()
    for variant, upper in zip(arms["variant"], upper_bounds, strict=True):
        if point < upper:
            return variant
    return arms["variant"].iloc[-1]


def expected_assignments(segment_builds: dict) -> pd.DataFrame:
    """One row per experiment and exposed person, from the definition in
    fct_experiment_assignments' YAML."""
    experiments = pd.read_csv(SEEDS / "experiments.csv", parse_dates=["starts_on", "ends_on"])
    variants = pd.read_csv(SEEDS / "experiment_variants.csv")
    history = segment_builds["history"]
    as_of = pd.Timestamp(segment_builds["dates"][-1])
    events = segment_builds["conversion_events"]
    events = events.assign(
        event_at=pd.to_datetime(events["event_at"], utc=True).dt.tz_localize(None)
    )
    rows = []
    for experiment in experiments.itertuples():
        last_exposure = as_of if pd.isna(experiment.ends_on) else min(experiment.ends_on, as_of)
        intervals = history[
            (history["segment_name"] == experiment.segment_name)
            & ~history["is_holdout"]
            & (pd.to_datetime(history["valid_from"]) <= last_exposure)
            & (
                history["valid_to"].isna()
                | (pd.to_datetime(history["valid_to"]) > experiment.starts_on)
            )
        ]
        starts = pd.to_datetime(intervals["valid_from"]).clip(lower=experiment.starts_on)
        exposed = starts.groupby(intervals["person_id"]).min()
        arms = variants[variants["experiment_id"] == experiment.experiment_id]
        for person_id, exposed_on in exposed.items():
            treated_from = exposed_on + pd.Timedelta(days=1)
            window_end = treated_from + pd.Timedelta(days=experiment.conversion_window_days)
            converting = events[
                (events["person_id"] == person_id)
                & (events["event_name"] == experiment.conversion_event)
                & (events["event_at"] >= treated_from)
                & (events["event_at"] < min(window_end, as_of + pd.Timedelta(days=1)))
            ]
            rows.append(
                {
                    "experiment_id": experiment.experiment_id,
                    "person_id": person_id,
                    "variant": arm_of(experiment.experiment_id, person_id, arms),
                    "exposed_on": exposed_on.date(),
                    "converted_at": converting["event_at"].min() if len(converting) else None,
                }
            )
    return pd.DataFrame(rows)


def as_tuples(frame: pd.DataFrame) -> list[tuple]:
    return sorted(
        (
            row.experiment_id,
            row.person_id,
            row.variant,
            pd.Timestamp(row.exposed_on).date(),
            None if pd.isna(row.converted_at) else pd.Timestamp(row.converted_at),
        )
        for row in frame.itertuples()
    )


@pytest.fixture(scope="module")
def assignments(segment_builds: dict) -> pd.DataFrame:
    frame = segment_builds["assignments"]
    assert len(frame) > 0, "nobody was exposed to any experiment"
    assert frame["is_converted"].any(), "nobody converted: the results would test nothing"
    assert frame["exposed_on"].nunique() >= 2, "exposures of only one build"
    return frame


def test_assignments_match_an_independent_recomputation(segment_builds, assignments):
    expected = expected_assignments(segment_builds)
    assert as_tuples(assignments) == as_tuples(expected)


def test_segment_holdout_members_are_never_assigned(segment_builds, assignments):
    experiments = pd.read_csv(SEEDS / "experiments.csv")
    history = segment_builds["history"]
    holdouts = history[history["is_holdout"]].merge(experiments, on="segment_name")
    assert len(holdouts) > 0, "no holdout member in an experiment's segment: nothing checked"
    leaked = holdouts.merge(assignments, on=["experiment_id", "person_id"])
    assert leaked.empty, leaked[["experiment_id", "person_id"]].head()


def test_arms_get_their_configured_share(assignments):
    variants = pd.read_csv(SEEDS / "experiment_variants.csv")
    for variant in variants.itertuples():
        exposed = assignments[assignments["experiment_id"] == variant.experiment_id]
        count = (exposed["variant"] == variant.variant).sum()
        expected = len(exposed) * variant.share
        spread = math.sqrt(len(exposed) * variant.share * (1 - variant.share))
        assert abs(count - expected) <= 4 * spread + 1, (variant, count, len(exposed))


def test_results_match_scipy(segment_builds, assignments):
    results = segment_builds["results"].set_index(["experiment_id", "variant"])
    variants = pd.read_csv(SEEDS / "experiment_variants.csv")
    min_samples = pd.read_csv(SEEDS / "experiments.csv").set_index("experiment_id")[
        "min_sample_per_arm"
    ]
    for experiment_id, arms in variants.groupby("experiment_id"):
        exposed = assignments[assignments["experiment_id"] == experiment_id]
        counts = exposed.groupby("variant")["is_converted"].agg(["size", "sum"])
        control = arms.loc[arms["is_control"], "variant"].item()
        n0, x0 = counts.loc[control]
        for variant in arms["variant"]:
            row = results.loc[(experiment_id, variant)]
            n1, x1 = counts.loc[variant] if variant in counts.index else (0, 0)
            assert (row["members"], row["conversions"]) == (n1, x1)
            assert row["is_below_min_sample"] == (n1 < min_samples[experiment_id])
            if variant == control or n1 == 0:
                assert pd.isna(row["p_value"])
                continue
            p1, p0, pooled = x1 / n1, x0 / n0, (x1 + x0) / (n1 + n0)
            assert row["absolute_lift"] == pytest.approx(p1 - p0, abs=1e-9)
            if p0 > 0:
                assert row["relative_lift"] == pytest.approx((p1 - p0) / p0, abs=1e-9)
            standard_error = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
            if standard_error == 0:
                assert pd.isna(row["z_score"]) and pd.isna(row["p_value"])
                continue
            z = (p1 - p0) / standard_error
            assert row["z_score"] == pytest.approx(z, abs=1e-9)
            assert row["p_value"] == pytest.approx(2 * norm.sf(abs(z)), abs=1e-6)
            half_width = Z_95 * math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
            assert row["absolute_lift_ci_lower"] == pytest.approx(p1 - p0 - half_width, abs=1e-9)
            assert row["absolute_lift_ci_upper"] == pytest.approx(p1 - p0 + half_width, abs=1e-9)
