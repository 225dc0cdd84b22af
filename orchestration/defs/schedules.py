"""Refresh schedules (UTC). A tick is skipped while the job's previous run is still queued or
going, so a slow refresh never piles up behind itself."""

from dagster import (
    DagsterRunStatus,
    RunRequest,
    RunsFilter,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from orchestration.defs.jobs import hourly_refresh_job, nightly_refresh_job

UNFINISHED = [
    DagsterRunStatus.QUEUED,
    DagsterRunStatus.NOT_STARTED,
    DagsterRunStatus.STARTING,
    DagsterRunStatus.STARTED,
    DagsterRunStatus.CANCELING,
]


def request_unless_running(context: ScheduleEvaluationContext, job_name: str):
    running = context.instance.get_run_records(
        RunsFilter(job_name=job_name, statuses=UNFINISHED), limit=1
    )
    if running:
        return SkipReason(f"{job_name} run {running[0].dagster_run.run_id} is still going")
    return RunRequest()


@schedule(job=hourly_refresh_job, cron_schedule="0 * * * *", execution_timezone="UTC")
def hourly_refresh_schedule(context: ScheduleEvaluationContext):
    return request_unless_running(context, hourly_refresh_job.name)


@schedule(job=nightly_refresh_job, cron_schedule="30 2 * * *", execution_timezone="UTC")
def nightly_refresh_schedule(context: ScheduleEvaluationContext):
    return request_unless_running(context, nightly_refresh_job.name)


SCHEDULES = [hourly_refresh_schedule, nightly_refresh_schedule]
