"""Sensors. New raw files: Parquet files that appeared (or were rewritten) in the raw folder
since the last evaluation start an hourly refresh, which picks their events up incrementally."""

import hashlib
import json
from pathlib import Path

from dagster import RunRequest, SensorEvaluationContext, SkipReason, sensor

from orchestration.defs.jobs import hourly_refresh_job
from orchestration.defs.resources import RawDataResource


def raw_files(raw_path: Path) -> dict[str, int]:
    """<table>/<file> -> modification time (ns) of every raw Parquet file."""
    return {
        str(path.relative_to(raw_path)): path.stat().st_mtime_ns
        for path in raw_path.glob("*/*.parquet")
    }


def new_files(files: dict[str, int], cursor: str | None) -> tuple[list[str], str]:
    """Files not seen before or rewritten since (their modification time changed), and the
    cursor after them: every file seen with its time. Not a newest-time watermark: a file moved
    or synced in keeps its old time (mv, rsync -a) and would be missed."""
    seen = json.loads(cursor) if cursor else {}
    new = sorted(name for name, mtime in files.items() if seen.get(name) != mtime)
    return new, json.dumps(files, sort_keys=True)


@sensor(job=hourly_refresh_job, minimum_interval_seconds=60)
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


SENSORS = [raw_files_sensor]
