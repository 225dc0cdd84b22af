"""Sensors. New raw files: Parquet, CSV or JSON-lines files that appeared (or were rewritten)
anywhere below a table's folder (hive partitions included)
since the last evaluation start an hourly refresh, which picks their events up
incrementally.
Syncs: every successful refresh starts the sync job; a segment whose membership changed
outside a refresh (a `dbt build` by hand) starts the syncs of that segment."""

import hashlib
import json
from pathlib import Path

from dagster import (
    DagsterRunStatus,
    RunRequest,
    RunStatusSensorContext,
    SensorEvaluationContext,
    SkipReason,
    run_status_sensor,
    sensor,
)

from orchestration.defs.jobs import REFRESH_JOBS, hourly_refresh_job, sync_audiences_job
from orchestration.defs.resources import RawDataResource, WarehouseResource
from orchestration.defs.syncs import sync_key, sync_routes
from orchestration.relations import relation
from orchestration.warehouse import WarehouseError, connect_read_only

RAW_SUFFIXES = {".parquet", ".csv", ".tsv", ".jsonl", ".ndjson", ".json"}


def raw_files(raw_path: Path) -> dict[str, int]:
    """<table>/<path> -> modification time (ns) of every raw file the dbt hook reads
    (macros/raw/register_raw_files.sql)."""
    return {
        str(path.relative_to(raw_path)): path.stat().st_mtime_ns
        for path in raw_path.glob("*/**/*")
        if path.suffix.lower() in RAW_SUFFIXES and path.is_file()
    }


def new_files(files: dict[str, int], cursor: str | None) -> tuple[list[str], str]:
    """Files not seen before or rewritten since (their modification time changed), and the
    cursor after them: every file seen with its time. Not a newest-time watermark: a file moved
    or synced in keeps its old time (mv, rsync -a) and would be missed."""
    seen = json.loads(cursor) if cursor else {}
    new = sorted(name for name, mtime in files.items() if seen.get(name) != mtime)
    return new, json.dumps(files, sort_keys=True)


@sensor(job=hourly_refresh_job, minimum_interval_seconds=30)
def raw_files_sensor(context: SensorEvaluationContext, raw_data: RawDataResource):
    if not raw_data.path.exists():
        return SkipReason(f"raw folder {raw_data.path} (env AUDIENCE_RAW_PATH) does not exist")
    new, cursor = new_files(raw_files(raw_data.path), context.cursor)
    if not new:
        return SkipReason("no new raw files")
    context.update_cursor(cursor)
    return RunRequest(
        run_key=hashlib.sha256(cursor.encode()).hexdigest(),
        tags={"audience/new_raw_files": str(len(new)), "audience/first_new_file": new[0]},
    )


@run_status_sensor(
    run_status=DagsterRunStatus.SUCCESS,
    monitored_jobs=REFRESH_JOBS,
    request_job=sync_audiences_job,
    minimum_interval_seconds=30,
)
def syncs_after_refresh(context: RunStatusSensorContext):
    run_id = context.dagster_run.run_id
    return RunRequest(run_key=f"after-{run_id}", tags={"audience/after_refresh": run_id})


def membership_fingerprints(warehouse_path: Path) -> dict[str, str]:
    """segment -> a fingerprint of its current non-holdout members (count and a hash sum)."""
    memberships = relation("fct_segment_memberships")
    with connect_read_only(warehouse_path) as con:
        rows = con.execute(
            "select segment_name, count(*) || ':' || sum(hash(person_id)) "
            f"from {memberships} where not is_holdout group by segment_name"
        ).fetchall()
    return dict(rows)


def changed_segments(fingerprints: dict[str, str], cursor: str | None) -> list[str]:
    seen = json.loads(cursor) if cursor else {}
    gone = [segment for segment in seen if segment not in fingerprints]
    return sorted([s for s, f in fingerprints.items() if seen.get(s) != f] + gone)


@sensor(job=sync_audiences_job, minimum_interval_seconds=300)
def segment_membership_sensor(context: SensorEvaluationContext, warehouse: WarehouseResource):
    try:
        fingerprints = membership_fingerprints(warehouse.path)
    except (FileNotFoundError, WarehouseError) as error:
        # a refresh holding the write lock, or no warehouse yet: look again next time
        return SkipReason(f"warehouse not readable: {str(error).splitlines()[0]}")
    changed = set(changed_segments(fingerprints, context.cursor))
    cursor = json.dumps(fingerprints, sort_keys=True)
    context.update_cursor(cursor)
    keys = [
        sync_key(destination, segment)
        for destination, segments in sync_routes().items()
        for segment in segments
        if segment in changed
    ]
    if not keys:
        return SkipReason("no synced segment changed membership")
    return RunRequest(
        run_key=hashlib.sha256(cursor.encode()).hexdigest(),
        asset_selection=keys,
        tags={"audience/changed_segments": ",".join(sorted(changed))[:200]},
    )


SENSORS = [raw_files_sensor, syncs_after_refresh, segment_membership_sensor]
