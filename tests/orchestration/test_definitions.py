"""The code location loads and its graph is what the project promises: every dbt model, seed
and raw table is an asset in its layer's group, every dbt test and every expectation a check,
the quality gates sit between the layers, the refresh jobs select what they say, and every
segment's destination has a sync asset downstream of its export."""

import subprocess

import pytest
from dagster import AssetKey, in_process_executor

from orchestration.dbt_build import PRODUCTION_EXCLUSIONS
from orchestration.definitions import defs
from orchestration.defs.dbt_assets import export_models, warehouse_models
from orchestration.defs.project import manifest
from orchestration.defs.publishing import PUBLISHED_COPY
from orchestration.defs.quality_checks import quality_gate, table_asset_keys
from orchestration.defs.reporting import AUDIENCE_REPORT
from orchestration.defs.syncs import SYNC_ASSETS, SYNC_GROUP, SYNC_RETRY, sync_key
from orchestration.defs.translator import relation_key
from orchestration.quality.suites import Check, Suite, SuiteError, load_suites
from orchestration.refresh import build
from tests.support import PROJECT_DIR

GRAPH = defs.get_repository_def().asset_graph
MANIFEST = manifest()


def dbt_nodes(resource_type: str) -> list[dict]:
    return [n for n in MANIFEST["nodes"].values() if n["resource_type"] == resource_type]


def test_every_model_seed_and_snapshot_is_an_asset_and_every_raw_table_a_dependency():
    materializable = set(GRAPH.materializable_asset_keys)
    nodes = dbt_nodes("model") + dbt_nodes("seed") + dbt_nodes("snapshot")
    assert dbt_nodes("snapshot"), "the consent history snapshot"
    for node in nodes:
        assert relation_key(node) in materializable, node["unique_id"]
    for source in MANIFEST["sources"].values():
        assert AssetKey(["raw", source["name"]]) in GRAPH.get_all_asset_keys()
    syncs = {key for key in materializable if GRAPH.get(key).group_name == SYNC_GROUP}
    assert len(materializable - syncs - {PUBLISHED_COPY, AUDIENCE_REPORT}) == len(nodes)


def test_every_segment_destination_has_a_sync_asset_downstream_of_its_export():
    routes = {
        (destination, node["name"].removeprefix("segment_"))
        for node in dbt_nodes("model")
        for destination in node["config"].get("meta", {}).get("segment", {}).get("destinations", [])
    }
    assert len(routes) > 30 and {d for d, _ in routes} >= {"meta_ads", "klaviyo", "files"}
    sync_keys = {
        k for k in GRAPH.materializable_asset_keys if GRAPH.get(k).group_name == SYNC_GROUP
    }
    assert sync_keys == {sync_key(d, s) for d, s in routes}
    for destination, segment in routes:
        export = AssetKey(["exports", f"exp_{destination}"])
        assert GRAPH.get(sync_key(destination, segment)).parent_keys == {export}


def test_syncs_run_as_their_own_job_and_are_retried_with_backoff():
    job = defs.resolve_job_def("sync_audiences")
    assert job.asset_layer.selected_asset_keys == set().union(*(a.keys for a in SYNC_ASSETS))
    for asset in SYNC_ASSETS:
        assert asset.op.retry_policy == SYNC_RETRY
        assert SYNC_RETRY.max_retries >= 3 and SYNC_RETRY.backoff is not None


@pytest.mark.parametrize(
    ("key", "group"),
    [
        ("raw/tracks", "raw"),
        ("reference/countries", "reference"),
        ("staging/stg_segment__tracks", "staging"),
        ("intermediate/int_identifiers_resolved", "identity"),
        ("analytics/dim_persons", "profiles"),
        ("analytics/fct_sessions", "profiles"),
        ("snapshots/snap_persons_consent", "profiles"),
        ("analytics/fct_rfm_scores", "scores"),
        ("intermediate/int_persons_clustered", "scores"),
        ("segments/segment_cart_abandoners", "segments"),
        ("analytics/fct_segment_memberships", "segments"),
        ("exports/exp_meta_ads", "exports"),
        ("pii/int_segment_members_routed", "exports"),
    ],
)
def test_assets_are_grouped_by_layer(key, group):
    assert GRAPH.get(AssetKey(key.split("/"))).group_name == group


def test_every_dbt_test_on_a_model_is_an_asset_check_of_it():
    check_keys = set(GRAPH.asset_check_keys)
    models = {n["unique_id"]: n for n in dbt_nodes("model")}
    tested = 0
    for test in dbt_nodes("test"):
        attached = test.get("attached_node")
        if attached in models:
            key = relation_key(models[attached])
            assert any(c.asset_key == key and c.name == test["name"] for c in check_keys), test
            tested += 1
    assert tested > 300


def test_every_expectation_is_a_check_blocking_as_its_suite_says():
    keys = table_asset_keys(MANIFEST)
    for suite in load_suites():
        for check in suite.checks:
            spec = GRAPH.get_check_spec(
                next(
                    k
                    for k in GRAPH.asset_check_keys
                    if k.asset_key == keys[check.table]
                    and k.name == f"{suite.name}__{check.column}"
                )
            )
            assert spec.blocking == check.is_blocking, spec.key


def test_raw_checks_sit_on_the_model_reading_the_raw_table():
    keys = table_asset_keys(MANIFEST)
    assert keys["raw.tracks"] == AssetKey(["staging", "base_segment__tracks"])
    assert keys["raw.orders"] == AssetKey(["staging", "base_crm__orders"])


def upstream_ops(job_name: str) -> dict[str, set[str]]:
    job = defs.resolve_job_def(job_name)
    structure = job.graph.dependency_structure
    return {
        node.name: {o.node_name for o in structure.all_upstream_outputs_from_node(node.name)}
        for node in job.graph.nodes
    }


@pytest.mark.parametrize("job_name", ["hourly_refresh", "nightly_refresh"])
def test_quality_gates_sit_between_the_layers(job_name):
    upstream = upstream_ops(job_name)
    assert upstream["warehouse_models"] == set()
    assert upstream["warehouse_quality"] == {"warehouse_models"}
    assert upstream["export_models"] == {"warehouse_models", "warehouse_quality"}
    assert upstream["exports_quality"] == {"export_models"}
    assert upstream["published__copy"] == {"warehouse_models", "warehouse_quality"}
    assert upstream["reporting__audience_report"] == {"published__copy"}


def test_every_export_waits_on_every_table_the_warehouse_gate_checks():
    keys = table_asset_keys(MANIFEST)
    gated = {
        keys[c.table] for s in load_suites(names=["raw", "staging", "marts"]) for c in s.checks
    }
    for key in export_models.keys:
        assert gated <= set(GRAPH.get(key).parent_keys), key


def test_every_dbt_test_runs_in_one_of_the_two_builds():
    """A test reading models of both builds would run in neither (indirect selection)."""
    for test in dbt_nodes("test"):
        parents = MANIFEST["parent_map"][test["unique_id"]]
        in_exports = {
            p for p in parents if "export" in MANIFEST["nodes"].get(p, {}).get("tags", [])
        }
        assert not in_exports or len(in_exports) == len(parents), test["name"]


def test_the_hourly_refresh_keeps_the_last_fit_and_the_nightly_one_retrains():
    hourly = defs.resolve_job_def("hourly_refresh").asset_layer.selected_asset_keys
    nightly = defs.resolve_job_def("nightly_refresh").asset_layer.selected_asset_keys
    retrained = {
        AssetKey(["intermediate", "int_persons_clustered"]),
        AssetKey(["intermediate", "int_persons_clv_predicted"]),
    }
    assert not retrained & hourly
    assert retrained <= nightly
    assert nightly - hourly == retrained
    all_dbt = warehouse_models.keys | export_models.keys
    assert nightly == all_dbt | {PUBLISHED_COPY, AUDIENCE_REPORT}


def test_the_nightly_refresh_rebuilds_from_raw_but_keeps_history():
    config = defs.resolve_job_def("nightly_refresh").run_config
    assert not defs.resolve_job_def("hourly_refresh").run_config
    for op in ("warehouse_models", "export_models"):
        assert config["ops"][op]["config"] == {"full_refresh": True}


def test_a_suite_naming_a_table_outside_the_project_is_a_clear_error():
    real = load_suites(names=["marts"])[0]
    check = real.checks[0]
    wrong = Check(**{**check.__dict__, "table": "analytics.dim_customers"})
    with pytest.raises(SuiteError) as error:
        quality_gate("broken", [Suite("marts", real.path, [wrong])], table_asset_keys(MANIFEST))
    message = str(error.value)
    assert "expectations/marts.json" in message
    assert "meta.table" in message
    assert "'analytics.dim_customers'" in message


@pytest.mark.parametrize("job_name", ["hourly_refresh", "nightly_refresh"])
def test_refreshes_run_their_steps_in_one_process(job_name):
    assert defs.resolve_job_def(job_name).executor_def is in_process_executor


def test_production_builds_leave_out_the_unit_tests_ci_runs(monkeypatch, tmp_path):
    ran = []

    def run(args, **_):
        ran.append(args)
        return subprocess.CompletedProcess(args, 0)

    monkeypatch.setattr(subprocess, "run", run)
    assert build(tmp_path / "audience.duckdb", ["--select", "tag:export"])
    assert " ".join(PRODUCTION_EXCLUSIONS) in " ".join(ran[0])
    assert "--exclude-resource-type unit_test" not in (PROJECT_DIR / "Makefile").read_text()
