"""A small hand-made ReportData: two segments over two days, a few RFM cells, stage moves, two
cohorts, two clusters, one experiment with a significant and a non-significant arm, gate runs
and syncs."""

from __future__ import annotations

import datetime

import pandas as pd

from orchestration.report.sources import ReportData, gate_frame

DAY_1, DAY_2 = datetime.date(2026, 10, 29), datetime.date(2026, 10, 30)


def frames() -> dict[str, pd.DataFrame]:
    return {
        "sizes": pd.DataFrame(
            {
                "as_of_date": [DAY_1, DAY_1, DAY_2, DAY_2],
                "segment_name": ["churn_risk", "champions", "churn_risk", "champions"],
                "members": [10, 4, 12, 3],
                "entries": [10, 4, 3, 0],
                "exits": [0, 0, 1, 1],
            }
        ),
        "overlap": pd.DataFrame(
            {
                "segment_a": ["churn_risk"],
                "segment_b": ["champions"],
                "share_of_a": [0.25],
                "share_of_b": [1.0],
                "shared_members": [3],
            }
        ),
        "rfm": pd.DataFrame(
            {
                "as_of_date": [DAY_2] * 3,
                "recency_score": [5, 5, 1],
                "frequency_score": [5, 5, 1],
                "rfm_segment": ["Champions", "Loyal Customers", "Lost"],
                "persons": [7, 2, 9],
            }
        ),
        "lifecycle": pd.DataFrame(
            {
                "from_stage": ["New Customer", "Repeat Buyer"],
                "to_stage": ["Repeat Buyer", "Lapsed"],
                "persons": [5, 2],
                "first_month": [pd.Timestamp("2026-09-01")] * 2,
                "last_month": [pd.Timestamp("2026-10-01")] * 2,
            }
        ),
        "cohorts": pd.DataFrame(
            {
                "cohort_month": [pd.Timestamp("2026-09-01")] * 2 + [pd.Timestamp("2026-10-01")],
                "months_since_acquisition": [0, 1, 0],
                "cohort_customers": [20, 20, 8],
                "retention_rate": [1.0, 0.35, 1.0],
            }
        ),
        "clusters": pd.DataFrame(
            {
                "cluster_name": ["Typical visitors", "Typical visitors", "Engaged buyers"],
                "pca_x": [-1.0, -0.8, 2.0],
                "pca_y": [0.1, -0.2, 1.5],
            }
        ),
        "centroids": pd.DataFrame(
            {
                "cluster_name": ["Typical visitors", "Engaged buyers"],
                "members": [2, 1],
                "avg_pca_x": [-0.9, 2.0],
                "avg_pca_y": [-0.05, 1.5],
            }
        ),
        "experiments": pd.DataFrame(
            {
                "experiment_id": ["offer"] * 3,
                "variant": ["control", "ten_off", "twenty_off"],
                "is_control": [True, False, False],
                "members": [100, 100, 100],
                "members_with_complete_window": [100, 100, 100],
                "conversions": [10, 25, 12],
                "conversion_rate": [0.1, 0.25, 0.12],
                "absolute_lift": [None, 0.15, 0.02],
                "absolute_lift_ci_lower": [None, 0.05, -0.06],
                "absolute_lift_ci_upper": [None, 0.25, 0.10],
                "is_significant": [False, True, False],
                "is_below_min_sample": [False, False, False],
            }
        ),
    }


def suite_runs() -> pd.DataFrame:
    checked_at = pd.Timestamp("2026-10-30 01:00")
    return pd.DataFrame(
        {
            "suite": ["raw", "staging", "marts"],
            "checked_at": [checked_at] * 3,
            "expectations": [40, 30, 8],
            "failed": [3, 0, 1],
            "blocking_failed": [0, 0, 1],
        }
    )


def syncs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "destination": ["files", "klaviyo"],
            "last_sync_at": [pd.Timestamp("2026-10-30 02:00")] * 2,
            "segments": [1, 3],
            "succeeded": [1, 2],
            "partial_or_failed": [0, 1],
            "added": [229, 40],
            "removed": [0, 2],
            "changed": [0, 1],
        }
    )


def report_data(**replaced: pd.DataFrame) -> ReportData:
    return ReportData(
        version="20261030T020000000000Z-abcdef",
        published_at="2026-10-30T02:00:00+00:00",
        frames=frames() | replaced,
        gates=gate_frame(suite_runs()),
        syncs=syncs(),
    )
