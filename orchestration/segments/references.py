"""Segments that use other segments (rule `segment: <name>`): the name must be another segment,
the dependency must be declared (dbt cannot see YAML when it parses SQL: `audience segment-deps`
writes it into macros/segments/segment_dependencies.sql; a hand-written `-- depends_on` line in the
SQL file counts too), and the references must not go round in a circle, which dbt would only
report as a cycle of its graph."""

from __future__ import annotations

from collections.abc import Iterator

from orchestration.segments.definitions import Segment
from orchestration.segments.dependencies import COMMAND, DEPENDENCIES_MACRO, Dependencies
from orchestration.segments.findings import Finding
from orchestration.segments.rules import segment_references

Edges = dict[str, dict[str, str]]  # segment -> referenced segment -> field path of the reference


def reference_findings(
    segments: list[Segment], generated: Dependencies | None = None
) -> Iterator[Finding]:
    """Findings of the segments whose rules conform to the schema (`segments`); `generated`: the
    dependencies the generated macro declares, by model."""
    names = {segment.name for segment in segments}
    edges: Edges = {}
    for segment in segments:
        edges[segment.name] = {}
        used = set()
        for path, name in segment_references(segment.definition["rule"]):
            used.add(name)
            if name not in names:
                yield segment.finding(
                    path,
                    "expected the name of a segment (a model segment_<name> with"
                    f" config.meta.segment), got '{name}'",
                )
            elif name == segment.name:
                yield segment.finding(path, "expected another segment, got the segment itself")
            else:
                edges[segment.name].setdefault(name, path)
                declared = (generated or {}).get(f"segment_{segment.name}", [])
                is_declared = name in segment.refs or f"segment_{name}" in declared
                if segment.sql_file and not is_declared:
                    yield segment.finding(path, missing_dependency(name))
        for name in sorted(segment.refs - used - {segment.name}):
            yield segment.finding(
                "segment.rule",
                f"{segment.sql_file} refs segment_{name} but the rule does not use it: expected"
                " a depends_on line only for the segments the rule names",
                "warning",
            )
            if name in names:
                edges[segment.name].setdefault(name, "segment.rule")
    by_name = {segment.name: segment for segment in segments}
    for cycle in find_cycles(edges):
        first = by_name[cycle[0]]
        chain = " -> ".join(f"segment_{name}" for name in [*cycle, cycle[0]])
        yield first.finding(edges[cycle[0]][cycle[1]], f"expected no reference cycle, got {chain}")


def missing_dependency(name: str) -> str:
    """Worded as the compiler words it (macro _segment_rule_sql)."""
    return (
        f"expected the dependency on segment_{name} in {DEPENDENCIES_MACRO.as_posix()}:"
        f" run `{COMMAND}` to write that file from the definitions"
    )


def find_cycles(edges: Edges) -> list[list[str]]:
    """Cycles of the reference graph, each once, starting at its smallest name (at least one for
    every group of segments that reach each other)."""
    cycles: set[tuple[str, ...]] = set()
    done: set[str] = set()

    def visit(node: str, stack: list[str]) -> None:
        if node in stack:
            cycle = stack[stack.index(node) :]
            start = cycle.index(min(cycle))
            cycles.add(tuple(cycle[start:] + cycle[:start]))
            return
        if node in done:
            return
        stack.append(node)
        for successor in sorted(edges.get(node, {})):
            visit(successor, stack)
        stack.pop()
        done.add(node)

    for node in sorted(edges):
        visit(node, [])
    return [list(cycle) for cycle in sorted(cycles)]
