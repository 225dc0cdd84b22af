"""The Great Expectations suites as Dagster asset checks, one op per gate. Each expectation is
a check on the table it names (raw tables' checks sit on the staging model that reads them,
which is where a raw table first exists in the warehouse); blocking expectations are blocking
checks. As in `audience refresh`: a blocking failure on raw, staging or mart tables stops the
exports, and one on the exports stops the syncs."""

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    multi_asset_check,
)

from orchestration.defs.project import manifest
from orchestration.defs.resources import WAREHOUSE_POOL, WarehouseResource
from orchestration.defs.translator import relation_key
from orchestration.quality.gates import GATES
from orchestration.quality.runner import CheckResult, run_suites
from orchestration.quality.suites import Check, Suite, SuiteError, load_suites


def table_asset_keys(manifest: Mapping[str, Any]) -> dict[str, AssetKey]:
    """<schema>.<table>, as suites name tables -> the asset a check on it attaches to."""
    keys = {
        f"{node['schema']}.{node['alias']}": relation_key(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] in ("model", "seed")
    }
    models = {node["name"]: node for node in manifest["nodes"].values()}
    for source in manifest["sources"].values():
        # the base model of a raw table is the one staging model reading it as it comes
        base = models.get(f"base_{source['source_name']}__{source['name']}")
        if base is not None:
            keys[f"raw.{source['name']}"] = relation_key(base)
    return keys


def check_spec(check: Check, keys: Mapping[str, AssetKey]) -> AssetCheckSpec:
    if check.table not in keys:
        raise SuiteError(
            f"expectations/{check.suite}.json: expectation {check.index}: meta.table: expected a "
            f"table of the dbt project (<schema>.<name>), got {check.table!r}"
        )
    return AssetCheckSpec(
        name=f"{check.suite}__{check.column}",
        asset=keys[check.table],
        description=f"{check.table}: {check.description}",
        blocking=check.is_blocking,
        metadata={"suite": check.suite, "table": check.table, "expectation": check.name},
    )


def check_result(key: AssetCheckKey, result: CheckResult) -> AssetCheckResult:
    check = result.check
    expected = {k: v for k, v in check.configuration.kwargs.items() if k != "column"}
    return AssetCheckResult(
        asset_key=key.asset_key,
        check_name=key.name,
        passed=result.is_success,
        severity=AssetCheckSeverity.ERROR if check.is_blocking else AssetCheckSeverity.WARN,
        description=None if result.is_success else result.describe(),
        metadata={
            "table": check.table,
            "observed_value": result.observed_value,
            "expected": str(expected),
            "blocking": check.is_blocking,
        },
    )


def quality_gate(name: str, suites: list[Suite], keys: Mapping[str, AssetKey]):
    specs = {(c.suite, c.index): check_spec(c, keys) for s in suites for c in s.checks}
    check_keys = {position: spec.key for position, spec in specs.items()}
    duplicated = {k for k, count in Counter(check_keys.values()).items() if count > 1}
    if duplicated:
        raise SuiteError(
            f"expectations: two expectations would be the same Dagster check {sorted(duplicated)}:"
            " expected one metric name per table and suite"
        )

    @multi_asset_check(
        name=name,
        specs=list(specs.values()),
        can_subset=True,
        pool=WAREHOUSE_POOL,
        compute_kind="great_expectations",
        description=f"Great Expectations suites {', '.join(s.name for s in suites)}",
    )
    def gate(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator:
        selected = context.selected_asset_check_keys
        chosen = [
            Suite(
                s.name, s.path, [c for c in s.checks if check_keys[(c.suite, c.index)] in selected]
            )
            for s in suites
        ]
        run = run_suites(warehouse.path, [s for s in chosen if s.checks], warehouse.now())
        context.log.info(f"check run {run.run_id} stored in quality.check_results")
        for result in run.results:
            yield check_result(check_keys[(result.check.suite, result.check.index)], result)

    return gate


def checked_assets(suite_names: list[str]) -> list[AssetKey]:
    """The assets the checks of these suites are on."""
    keys = table_asset_keys(manifest())
    suites = load_suites(names=suite_names)
    return sorted({check_spec(c, keys).asset_key for s in suites for c in s.checks})


def quality_checks() -> list[AssetChecksDefinition]:
    keys = table_asset_keys(manifest())
    return [quality_gate(name, load_suites(names=names), keys) for name, names in GATES.items()]
