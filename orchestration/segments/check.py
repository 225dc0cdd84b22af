"""All checks of the segment definitions of a project, in one call."""

from __future__ import annotations

from pathlib import Path

from orchestration.segments.ambiguities import rule_ambiguities
from orchestration.segments.columns import input_columns
from orchestration.segments.definitions import Segment, load_segments
from orchestration.segments.dependencies import dependency_findings, written_dependencies
from orchestration.segments.findings import Finding
from orchestration.segments.references import reference_findings
from orchestration.segments.rules import RuleContext, rule_problems
from orchestration.segments.schema import load_schema, schema_errors
from orchestration.segments.settings import known_destinations, settings_findings


def check_segments(project_dir: Path) -> tuple[list[Segment], list[Finding]]:
    """The segments of the project and what the checks found, errors and warnings, by file,
    segment and field. Rules that break the schema get no further checks."""
    segments, findings = load_segments(project_dir)
    schema = load_schema(project_dir)
    context = RuleContext(input_columns(project_dir), schema)
    conforming = []
    for segment in segments:
        if segment.sql_file is None:
            findings.append(
                segment.finding(
                    "segment",
                    f"expected a model file segment_{segment.name}.sql (its body:"
                    " {{ audience.segment_members() }}) under models/, found none",
                )
            )
        errors = [segment.finding(*error) for error in schema_errors(segment.definition, schema)]
        findings += errors
        if errors:
            continue
        conforming.append(segment)
        rule = segment.definition["rule"]
        findings += [
            segment.finding(*problem) for problem in rule_problems(rule, "segment.rule", context)
        ]
        findings += [segment.finding(*problem, "warning") for problem in rule_ambiguities(rule)]
    generated = written_dependencies(project_dir)
    findings += reference_findings(conforming, generated)
    findings += dependency_findings(segments, generated)
    findings += settings_findings(conforming, known_destinations(project_dir))
    return segments, findings
