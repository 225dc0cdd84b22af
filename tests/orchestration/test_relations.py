"""Relation names come from the dbt manifest: the schema dbt built a model in (custom schema,
AUDIENCE_SCHEMA_PREFIX applied) and its alias; one project root and one list of gates."""

from __future__ import annotations

import pytest

from orchestration import paths, refresh
from orchestration.quality import gates, suites
from orchestration.relations import Relation, relation, relations, schema, schemas, source

MANIFEST = {
    "nodes": {
        "model.audience.dim_persons": {
            "resource_type": "model",
            "name": "dim_persons",
            "alias": "dim_persons",
            "schema": "dev_alice_analytics",
            "config": {"schema": "analytics"},
        },
        "model.audience.stg_crm__orders": {
            "resource_type": "model",
            "name": "stg_crm__orders",
            "alias": "orders_staged",
            "schema": "dev_alice_staging",
            "config": {"schema": "staging"},
        },
        "test.audience.unique_dim_persons": {
            "resource_type": "test",
            "name": "unique_dim_persons",
            "alias": "unique_dim_persons",
            "schema": "dev_alice_tests",
            "config": {"schema": "tests"},
        },
    },
    "sources": {
        "source.audience.crm.orders": {
            "source_name": "crm",
            "name": "orders",
            "identifier": "orders",
            "schema": "landing",
        }
    },
}


def test_a_model_is_named_by_the_schema_and_alias_dbt_built_it_as():
    assert relation("dim_persons", MANIFEST) == Relation("dev_alice_analytics", "dim_persons")
    assert str(relation("stg_crm__orders", MANIFEST)) == "dev_alice_staging.orders_staged"
    assert set(relations(MANIFEST)) == {"dim_persons", "stg_crm__orders"}  # no tests


def test_custom_schemas_and_sources_map_to_the_built_schemas():
    assert schema("analytics", MANIFEST) == "dev_alice_analytics"
    assert schemas(MANIFEST) == {"analytics": "dev_alice_analytics", "staging": "dev_alice_staging"}
    assert str(source("crm.orders", MANIFEST)) == "landing.orders"


def test_an_unknown_name_says_what_it_expected():
    with pytest.raises(KeyError, match="not a model, seed or snapshot"):
        relation("dim_users_typo", MANIFEST)
    with pytest.raises(KeyError, match="custom schema"):
        schema("marts", MANIFEST)


def test_the_project_manifest_names_the_renamed_models():
    assert str(relation("dim_persons")) == "analytics.dim_persons"
    assert str(relation("agg_segment_sizes")) == "analytics.agg_segment_sizes"
    assert schema("serving") == "serving"


def test_one_project_root_and_one_list_of_gates():
    assert (paths.PROJECT_DIR / "dbt_project.yml").is_file()
    assert suites.SUITES_DIR == paths.PROJECT_DIR / "expectations"
    assert refresh.GATE_SUITES == gates.GATES[gates.WAREHOUSE_GATE] == ["raw", "staging", "marts"]
    assert refresh.EXPORT_SUITES == gates.GATES[gates.EXPORTS_GATE] == ["exports"]
