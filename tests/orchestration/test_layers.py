"""The dbt tree reads in the order data flows: no model reads a model of a later layer, and the
README's layout table lists exactly the folders of that order."""

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from orchestration.defs.project import manifest
from tests.support import PROJECT_DIR

# models/<layer>/ or models/activation/<step>/, in the order data flows; steps of one rank read
# the same inputs and not each other
FLOW = (
    ("staging",),
    ("intermediate",),
    ("marts",),
    ("activation/clusters",),
    ("activation/segments",),
    ("activation/memberships",),
    ("activation/experiments", "activation/personalization", "activation/kpis"),
    ("activation/routing",),
    ("activation/exports",),
    ("serving",),
    ("deprecated",),
)
RANKS = {folder: rank for rank, folders in enumerate(FLOW) for folder in folders}


def layer(path: str) -> str:
    """The FLOW folder of a model's path (models/activation/<step>/..., models/<layer>/...)."""
    parts = PurePosixPath(path).parts
    return "/".join(parts[1:3]) if parts[1] == "activation" else parts[1]


def back_references(nodes: Mapping[str, dict]) -> Iterable[str]:
    """'<model> (<layer>) reads <model> (<later layer>)' for every model that reads a later
    layer, and '<model>: folder <layer> is in no layer' for a model outside FLOW."""
    models = {key: node for key, node in nodes.items() if node["resource_type"] == "model"}
    for node in models.values():
        own = layer(node["original_file_path"])
        if own not in RANKS:
            yield f"{node['name']}: folder {own} is in no layer of FLOW"
            continue
        for parent_key in node["depends_on"]["nodes"]:
            parent = models.get(parent_key)
            if parent is None:
                continue
            theirs = layer(parent["original_file_path"])
            if RANKS.get(theirs, -1) > RANKS[own]:
                yield f"{node['name']} ({own}) reads {parent['name']} ({theirs})"


def test_no_model_reads_a_later_layer():
    assert list(back_references(manifest()["nodes"])) == []


def test_a_back_reference_is_reported():
    nodes = {
        "model.a.int_x": {
            "resource_type": "model",
            "name": "int_x",
            "original_file_path": "models/intermediate/x/int_x.sql",
            "depends_on": {"nodes": ["model.a.dim_y"]},
        },
        "model.a.dim_y": {
            "resource_type": "model",
            "name": "dim_y",
            "original_file_path": "models/marts/y/dim_y.sql",
            "depends_on": {"nodes": []},
        },
        "model.a.new": {
            "resource_type": "model",
            "name": "new",
            "original_file_path": "models/elsewhere/new.sql",
            "depends_on": {"nodes": []},
        },
    }
    assert list(back_references(nodes)) == [
        "int_x (intermediate) reads dim_y (marts)",
        "new: folder elsewhere is in no layer of FLOW",
    ]


def test_the_readme_layout_table_lists_the_model_folders_in_flow_order():
    readme = (PROJECT_DIR / "README.md").read_text()
    listed = re.findall(r"^\| `models/([a-z_/]+?)/(?:<[a-z]+>/)?` \|", readme, re.MULTILINE)
    expected = [folder for folders in FLOW for folder in folders]
    assert listed == expected
    for folder in expected:
        assert (PROJECT_DIR / "models" / folder).is_dir(), folder
    on_disk = {
        layer(str(path.relative_to(PROJECT_DIR)))
        for path in (PROJECT_DIR / "models").rglob("*")
        if path.suffix in {".sql", ".py"}
    }
    assert on_disk == set(expected)
