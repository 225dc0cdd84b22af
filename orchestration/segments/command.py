"""`audience check-segments`: check every segment definition before dbt runs, print each error
and warning, exit 1 when there is an error (or, with --strict, a warning)."""

from __future__ import annotations

import argparse
from pathlib import Path

import jsonschema
import yaml

from orchestration.segments.check import check_segments
from orchestration.segments.definitions import SEGMENTS_DIR


def segments_report(project_dir: Path) -> tuple[list[str], int, int]:
    """Lines for people, the number of errors and of warnings. Never raises for a broken project:
    a file that cannot be read is reported as an error."""
    try:
        segments, findings = check_segments(project_dir)
    except (OSError, ValueError, yaml.YAMLError, jsonschema.SchemaError) as error:
        return [f"error: cannot check the segment definitions: {error}"], 1, 0
    errors = [finding for finding in findings if finding.severity == "error"]
    warnings = [finding for finding in findings if finding.severity == "warning"]
    lines = [f"error: {finding}" for finding in errors]
    lines += [f"warning: {finding}" for finding in warnings]
    lines.append(
        f"{len(segments)} segment definitions checked:"
        f" {len(errors)} errors, {len(warnings)} warnings"
    )
    return lines, len(errors), len(warnings)


def run_check_segments(args: argparse.Namespace) -> int:
    if not (args.project_dir / SEGMENTS_DIR).is_dir():
        print(f"error: --project-dir: no {SEGMENTS_DIR}/ under {args.project_dir.resolve()}")
        return 2
    lines, errors, warnings = segments_report(args.project_dir)
    print("\n".join(lines))
    return 1 if errors or (args.strict and warnings) else 0


def add_check_segments_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-segments",
        help="check the segment definitions (models/activation/segments/**/*.yml), no dbt run",
        description=(
            "Check every segment definition before dbt runs, print each error and warning, and "
            "exit 1 when there is an error (or, with --strict, a warning)."
        ),
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=Path(),
        help="the dbt project (default: the current directory)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    parser.set_defaults(handler=run_check_segments)
