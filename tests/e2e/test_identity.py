"""Identity stitching against an independent connected-components computation (networkx)."""

from __future__ import annotations

import itertools
import random
import shutil
from pathlib import Path

import duckdb
import networkx as nx
import pyarrow as pa
import pytest

from tests.support import BuiltWarehouse, run_dbt


def random_identity_graph(seed: int, min_nodes: int) -> nx.Graph:
    """Many small persons, some long chains of linked devices and a few large trees."""
    rng = random.Random(seed)
    graph = nx.Graph()
    node = 0
    while node < min_nodes:
        kind = rng.random()
        size = rng.randint(1, 6) if kind < 0.97 else rng.randint(50, 400) if kind < 0.995 else 2000
        members = list(range(node + 1, node + size + 1))
        graph.add_nodes_from(members)
        shuffled = rng.sample(members, len(members))
        if kind < 0.97:
            graph.add_edges_from(
                (shuffled[i], rng.choice(shuffled[:i])) for i in range(1, len(shuffled))
            )
        else:
            graph.add_edges_from(itertools.pairwise(shuffled))
        node += size
    # relabel so ids do not follow the components
    order = list(graph.nodes)
    rng.shuffle(order)
    return nx.relabel_nodes(graph, {old: new for new, old in enumerate(order, start=1)})


def partition(pairs) -> set[frozenset]:
    groups: dict[object, set] = {}
    for member, group in pairs:
        groups.setdefault(group, set()).add(member)
    return {frozenset(members) for members in groups.values()}


def test_clustering_matches_networkx_on_a_graph_of_over_100k_identifiers(tmp_path: Path):
    graph = random_identity_graph(seed=3, min_nodes=120_000)
    assert graph.number_of_nodes() >= 100_000
    duckdb_path = tmp_path / "graph.duckdb"
    sources, targets = zip(*graph.edges, strict=True)
    nodes = list(graph.nodes)
    edges = pa.table(
        {
            "node_id": pa.array([*sources, *targets, *nodes], pa.int64()),
            "linked_node_id": pa.array([*targets, *sources, *nodes], pa.int64()),
        }
    )
    with duckdb.connect(str(duckdb_path)) as con:
        con.execute("create schema intermediate")
        con.register("edges", edges)
        con.execute(
            "create table intermediate.int_identifier_links_filtered as select * from edges"
        )
    result = run_dbt(
        ["run", "--select", "int_identifiers_clustered"],
        tmp_path / "raw",
        duckdb_path,
        extra_env={"AUDIENCE_RAW_FORMAT": "table"},
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "converged in" in result.stdout
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        labels = con.execute(
            "select node_id, component_id from intermediate.int_identifiers_clustered"
        ).fetchall()
        leftovers = con.execute(
            "select count(*) from information_schema.tables where table_name like '%__cc_%'"
        ).fetchone()[0]
    expected = {frozenset(c) for c in nx.connected_components(graph)}
    assert partition(labels) == expected
    assert {component for _, component in labels} == {min(c) for c in expected}
    assert leftovers == 0


def test_persons_are_the_components_of_the_usable_links(defective_warehouse: BuiltWarehouse):
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        identities = con.execute(
            "select identifier_key, person_id, is_excluded_from_merging from pii.dim_identities"
        ).fetchall()
        links = con.execute(
            """
            select
                links.identifier_type || ':' || links.identifier_value,
                links.linked_type || ':' || links.linked_value
            from intermediate.int_identifier_links_unioned as links
            """
        ).fetchall()
    excluded = {key for key, _, is_excluded in identities if is_excluded}
    graph = nx.Graph()
    graph.add_nodes_from(key for key, _, _ in identities)
    graph.add_edges_from((a, b) for a, b in links if a not in excluded and b not in excluded)
    assert graph.number_of_nodes() == len(identities)
    expected = {frozenset(c) for c in nx.connected_components(graph)}
    assert partition((key, person) for key, person, _ in identities) == expected
    assert len(excluded) > 0


@pytest.fixture()
def warehouse_copy(defective_warehouse: BuiltWarehouse, tmp_path: Path) -> Path:
    copy = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, copy)
    return copy


def test_person_ids_are_stable_when_nothing_changes(
    defective_warehouse: BuiltWarehouse, warehouse_copy: Path
):
    query = "select identifier_key, person_id from pii.dim_identities order by 1"
    with duckdb.connect(str(warehouse_copy), read_only=True) as con:
        before = con.execute(query).fetchall()
    result = run_dbt(
        ["run", "--select", "int_identifiers_resolved+"],
        defective_warehouse.raw_path,
        warehouse_copy,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(warehouse_copy), read_only=True) as con:
        assert con.execute(query).fetchall() == before
        assert con.execute("select count(*) from analytics.fct_identity_merges").fetchone() == (0,)
