"""Sync assets: one per segment and destination its definition lists (config.meta.segment.
destinations), downstream of the destination's export model, so the exports' blocking quality
checks gate them. Each destination is one multi-asset whose selected segments sync in one
process; a failed sync fails the step, which is retried with exponential backoff (safe: a sync
only sends what the destination has not confirmed)."""

from collections.abc import Iterator

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    Backoff,
    Failure,
    Jitter,
    MaterializeResult,
    RetryPolicy,
    multi_asset,
)

from orchestration.defs.project import manifest
from orchestration.defs.resources import WAREHOUSE_POOL, SyncConfigResource, WarehouseResource
from orchestration.relations import relation
from orchestration.sync.config import SyncConfigError
from orchestration.sync.destinations import build_destination
from orchestration.sync.engine import SyncRefused, exports_check_passed, run_sync
from orchestration.warehouse import WarehouseBusy, connect

SYNC_GROUP = "syncs"
SYNC_RETRY = RetryPolicy(
    max_retries=3, delay=30, backoff=Backoff.EXPONENTIAL, jitter=Jitter.PLUS_MINUS
)
RESULT_FIELDS = [
    "status", "mode", "added", "removed", "changed", "unchanged", "rejected", "invalid",
    "skipped_consent", "skipped_holdout", "erased", "batches", "requests", "retries",
]  # fmt: skip


def sync_routes() -> dict[str, list[str]]:
    """destination -> the segments whose definitions list it."""
    routes: dict[str, list[str]] = {}
    for node in manifest()["nodes"].values():
        segment = (
            node["config"].get("meta", {}).get("segment")
            if node["resource_type"] == "model"
            else None
        )
        for destination in (segment or {}).get("destinations") or []:
            routes.setdefault(destination, []).append(node["name"].removeprefix("segment_"))
    return {destination: sorted(segments) for destination, segments in sorted(routes.items())}


def sync_key(destination: str, segment: str) -> AssetKey:
    return AssetKey(["sync", destination, segment])


def _sync_asset(destination: str, segments: list[str]):
    specs = [
        AssetSpec(
            sync_key(destination, segment),
            # the export model's asset: <schema>/<name> of its relation (translator.relation_key)
            deps=[AssetKey(list(relation(f"exp_{destination}")))],
            group_name=SYNC_GROUP,
            description=f"Segment {segment} synced to {destination} (diff-based, consent-aware).",
            kinds={"python"},
            tags={"audience/destination": destination, "audience/segment": segment},
        )
        for segment in segments
    ]

    @multi_asset(
        name=f"sync_{destination}",
        specs=specs,
        can_subset=True,
        retry_policy=SYNC_RETRY,
        pool=WAREHOUSE_POOL,
    )
    def sync(
        context: AssetExecutionContext,
        warehouse: WarehouseResource,
        sync_config: SyncConfigResource,
    ) -> Iterator[MaterializeResult]:
        try:
            config = sync_config.load()[destination]
        except (SyncConfigError, KeyError) as error:
            raise Failure(f"sync configuration: {error}", allow_retries=False) from None
        try:
            target = build_destination(config)
        except SyncConfigError as error:
            raise Failure(f"sync configuration: {error}", allow_retries=False) from None
        failed = []
        try:
            con = connect(warehouse.path)
        except WarehouseBusy as busy:
            raise Failure(str(busy)) from None  # retried by the step's policy
        with con:
            try:
                exports_check_passed(con)
            except SyncRefused as error:
                raise Failure(str(error), allow_retries=False) from error
            for key in sorted(context.selected_asset_keys, key=lambda k: k.path[-1]):
                run = run_sync(
                    con,
                    target,
                    key.path[-1],
                    triggered_by=f"dagster run {context.run.run_id}",
                )
                if run.status == "failed":
                    failed.append(f"{key.path[-1]}: {run.error}")
                    continue
                metadata = {field: getattr(run, field) for field in RESULT_FIELDS}
                metadata["run_id"] = run.run_id
                yield MaterializeResult(asset_key=key, metadata=metadata)
        if failed:
            raise Failure(f"{destination}: {len(failed)} sync(s) failed: " + "; ".join(failed))

    return sync


SYNC_ASSETS = [
    _sync_asset(destination, segments) for destination, segments in sync_routes().items()
]
