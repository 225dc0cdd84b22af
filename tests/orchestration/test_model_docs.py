"""Every description has one home: a column description written word for word in two places of
the dbt YAML must be a doc block that both places reference (a YAML anchor counts as one place)."""

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import yaml

from tests.support import PROJECT_DIR


def column_descriptions(node: yaml.Node, under_columns: bool = False) -> Iterator[yaml.Node]:
    """The description nodes of every column below `node` (an anchored list's nodes are the
    same objects wherever it is aliased, so they share their line)."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from column_descriptions(item, under_columns)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if under_columns and key.value == "description":
                yield value
            yield from column_descriptions(value, key.value == "columns")


def test_no_column_description_is_written_twice():
    places = defaultdict(set)
    for folder in ("models", "seeds", "snapshots"):
        for path in sorted((PROJECT_DIR / folder).rglob("*.yml")):
            root = yaml.compose(path.read_text())
            for node in column_descriptions(root) if root else ():
                text = " ".join(str(node.value).split())
                if "{{" not in text:
                    places[text].add(f"{path.relative_to(PROJECT_DIR)}:{node.start_mark.line + 1}")
    copies = {text: sorted(where) for text, where in places.items() if len(where) > 1}
    assert copies == {}, f"write these once, in a {{% docs %}} block: {copies}"


def test_a_copied_description_is_found(tmp_path: Path):
    path = tmp_path / "_x__models.yml"
    path.write_text(
        "models:\n  - name: a\n    columns: &shared\n      - name: id\n        description: Key.\n"
        "  - name: b\n    columns: *shared\n  - name: c\n    columns:\n"
        "      - name: id\n        description: Key.\n"
    )
    nodes = column_descriptions(yaml.compose(path.read_text()))
    assert {(node.value, node.start_mark.line + 1) for node in nodes} == {("Key.", 5), ("Key.", 11)}
