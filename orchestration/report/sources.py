"""What the report reads. The marketing charts read the published copy, never the warehouse the
next build writes; the operations tables (quality gates, syncs) read the warehouse's run history
read-only, since gates and syncs run after a publish. When the warehouse is busy or has no
history yet, the report says so instead of failing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import orjson
import pandas as pd

from orchestration.publish.location import DATABASE, MANIFEST, current_version
from orchestration.quality.frames import RESULTS_TABLE
from orchestration.quality.gates import GATES
from orchestration.relations import Relation, relation
from orchestration.sync.state import SYNC_RUNS_TABLE
from orchestration.warehouse import (
    MissingRelation,
    WarehouseBusy,
    connect_file,
    connect_read_only,
)

# the dbt models the charts read (the report's exposure depends on exactly these)
REPORT_MODELS: Final = (
    "agg_segment_sizes",
    "agg_segment_overlap",
    "fct_rfm_scores",
    "agg_lifecycle_transition_matrix",
    "agg_acquisition_cohorts",
    "fct_cluster_memberships",
    "dim_clusters",
    "agg_experiment_results",
)
# persons drawn on the cluster plane: enough to see each cluster's shape, few enough to keep the
# file small; chosen by a hash of the person id, so the same persons each time
CLUSTER_SAMPLE: Final = 5000


class ReportSourceError(RuntimeError):
    """Nothing to report on: no published copy, or one without the tables the report reads."""


@dataclass(frozen=True)
class ReportData:
    version: str
    published_at: str | None
    frames: dict[str, pd.DataFrame]
    gates: pd.DataFrame
    syncs: pd.DataFrame
    # why the operations tables are empty, when they are
    operations_note: str | None = None
    generated_at: datetime.datetime = field(
        default_factory=lambda: datetime.datetime.now(datetime.UTC)
    )


def _queries() -> dict[str, str]:
    r = {name: relation(name) for name in REPORT_MODELS}
    return {
        "sizes": f"""
            select as_of_date, segment_name, members, entries, exits
            from {r["agg_segment_sizes"]} order by as_of_date, segment_name""",
        "overlap": f"""
            select segment_a, segment_b, share_of_a, share_of_b, shared_members
            from {r["agg_segment_overlap"]}""",
        "rfm": f"""
            with latest as (
                select * from {r["fct_rfm_scores"]}
                where as_of_date = (select max(as_of_date) from {r["fct_rfm_scores"]})
            )
            select as_of_date, recency_score, frequency_score, rfm_segment, count(*) as persons
            from latest group by all""",
        "lifecycle": f"""
            select from_stage, to_stage, sum(persons) as persons,
                min(month_start_date) as first_month, max(month_start_date) as last_month
            from {r["agg_lifecycle_transition_matrix"]}
            where from_stage <> to_stage
            group by all""",
        "cohorts": f"""
            select cohort_month, months_since_acquisition, cohort_customers,
                cast(retention_rate as double) as retention_rate
            from {r["agg_acquisition_cohorts"]}""",
        "clusters": f"""
            select cluster_name, pca_x, pca_y
            from {r["fct_cluster_memberships"]}
            where pca_x is not null and pca_y is not null
            order by hash(person_id) limit {CLUSTER_SAMPLE}""",
        "centroids": f"""
            select cluster_name, members, avg_pca_x, avg_pca_y from {r["dim_clusters"]}""",
        "experiments": f"""
            select experiment_id, variant, is_control, members, members_with_complete_window,
                conversions, conversion_rate, absolute_lift, absolute_lift_ci_lower,
                absolute_lift_ci_upper, is_significant, is_below_min_sample
            from {r["agg_experiment_results"]}
            order by experiment_id, is_control desc, variant""",
    }


def published_frames(publish_dir: Path) -> tuple[str, str | None, dict[str, pd.DataFrame]]:
    """(version, published_at, one frame per chart) from the current published copy."""
    folder = current_version(publish_dir)
    if folder is None:
        raise ReportSourceError(
            f"no published copy in {publish_dir}: run `audience refresh` or `audience publish`"
        )
    manifest = orjson.loads((folder / MANIFEST).read_bytes())
    con = connect_file(folder / DATABASE, read_only=True)
    try:
        frames = {name: con.execute(sql).df() for name, sql in _queries().items()}
    except MissingRelation as error:
        raise ReportSourceError(
            f"published version {folder.name} lacks a table the report reads "
            f"({error.args[0].splitlines()[0]}): publish a build of this project version"
        ) from None
    finally:
        con.close()
    return folder.name, manifest.get("published_at"), frames


GATES_QUERY = f"""
with suite_runs as (
    select suite, run_id, max(checked_at) as checked_at
    from {RESULTS_TABLE}
    group by suite, run_id
),

runs as (
    select suite, run_id, checked_at
    from (
        select *, row_number() over (partition by suite order by checked_at desc) as newness
        from suite_runs
    )
    where newness = 1
)
select
    runs.suite, runs.checked_at,
    count(*) as expectations,
    count(case when not results.is_success then 1 end) as failed,
    count(case when not results.is_success and results.is_blocking then 1 end) as blocking_failed
from runs
inner join {RESULTS_TABLE} as results using (suite, run_id)
group by all
"""
SYNCS_QUERY = f"""
with latest as (
    select *
    from (
        select *, row_number() over (
            partition by destination, segment_name order by started_at desc
        ) as newness
        from {SYNC_RUNS_TABLE}
        where not is_dry_run
    )
    where newness = 1
)
select
    destination,
    max(coalesce(finished_at, started_at)) as last_sync_at,
    count(*) as segments,
    count(case when status = 'success' then 1 end) as succeeded,
    count(case when status <> 'success' then 1 end) as partial_or_failed,
    cast(sum(coalesce(added, 0)) as bigint) as added,
    cast(sum(coalesce(removed, 0)) as bigint) as removed,
    cast(sum(coalesce(changed, 0)) as bigint) as changed
from latest
group by destination
order by destination
"""


def gate_frame(suite_runs: pd.DataFrame) -> pd.DataFrame:
    """One row per gate and suite, in pipeline order; a suite never run shows as such."""
    rows = []
    for gate, suites in GATES.items():
        for suite in suites:
            found = suite_runs[suite_runs["suite"] == suite]
            if found.empty:
                rows.append({"gate": gate, "suite": suite, "status": "never run"})
                continue
            run = found.iloc[0]
            status = "blocked" if run["blocking_failed"] else "passed"
            if status == "passed" and run["failed"]:
                status = "passed with warnings"
            rows.append({"gate": gate, "suite": suite, "status": status, **run.to_dict()})
    return pd.DataFrame(rows)


def operations_frames(warehouse: Path) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """(gates, syncs, a note when either could not be read) from the warehouse's history."""
    empty_runs = pd.DataFrame(
        columns=["suite", "checked_at", "expectations", "failed", "blocking_failed"]
    )
    try:
        con = connect_read_only(warehouse)
    except FileNotFoundError:
        return gate_frame(empty_runs), pd.DataFrame(), f"no warehouse at {warehouse}"
    except WarehouseBusy:
        note = "the warehouse is busy (a refresh or sync is running): run the report again after"
        return gate_frame(empty_runs), pd.DataFrame(), note
    try:
        suite_runs = (
            con.execute(GATES_QUERY).df()
            if con.has_relation(Relation(*RESULTS_TABLE.split(".")))
            else empty_runs
        )
        syncs = (
            con.execute(SYNCS_QUERY).df()
            if con.has_relation(Relation(*SYNC_RUNS_TABLE.split(".")))
            else pd.DataFrame()
        )
    finally:
        con.close()
    note = None if not syncs.empty else "no audience has been synced yet"
    return gate_frame(suite_runs), syncs, note


def report_data(publish_dir: Path, warehouse: Path) -> ReportData:
    version, published_at, frames = published_frames(publish_dir)
    gates, syncs, note = operations_frames(warehouse)
    return ReportData(version, published_at, frames, gates, syncs, note)
