"""The segment definitions of a dbt project as its YAML states them: every model under
models/activation/segments/ with config.meta.segment, with its SQL file and the segments the SQL
refs
(`-- depends_on: {{ ref('segment_<name>') }}`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from orchestration.segments.findings import Finding, Severity

SEGMENTS_DIR = Path("models") / "activation" / "segments"
# libyaml's loader when PyYAML has it: the project's YAML is large for the pure-Python one
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SEGMENT_REF = re.compile(r"""\bref\(\s*['"]segment_([a-z0-9_]+)['"]\s*\)""")


@dataclass(frozen=True)
class Segment:
    name: str  # the model name without segment_
    yaml_file: str  # relative to the project, as dbt names it
    definition: Any  # config.meta.segment, as written
    sql_file: str | None = None
    refs: frozenset[str] = field(default_factory=frozenset)  # segments the SQL refs

    def finding(self, path: str, message: str, severity: Severity = "error") -> Finding:
        return Finding(self.yaml_file, self.name, path, message, severity)


def load_segments(project_dir: Path) -> tuple[list[Segment], list[Finding]]:
    """Every segment definition of the project, sorted by name, and what could not be read: YAML
    files that do not parse, segment models (SQL calling segment_members) without a definition."""
    segments, findings = [], []
    sql_files = {
        path.stem: path for path in sorted((project_dir / "models").rglob("segment_*.sql"))
    }
    for path in sorted((project_dir / SEGMENTS_DIR).rglob("*.yml")):
        yaml_file = path.relative_to(project_dir).as_posix()
        try:
            document = yaml.load(path.read_text(), Loader=YAML_LOADER) or {}
        except yaml.YAMLError as error:
            findings.append(Finding(yaml_file, "?", "yaml", f"expected valid YAML: {error}"))
            continue
        for model in document.get("models") or []:
            # dbt merges a model's own meta into config.meta
            meta = {**(model.get("meta") or {}), **((model.get("config") or {}).get("meta") or {})}
            if "segment" not in meta or not str(model.get("name", "")).startswith("segment_"):
                continue
            sql_path = sql_files.pop(model["name"], None)
            sql_file = sql_path.relative_to(project_dir).as_posix() if sql_path else None
            refs = frozenset(SEGMENT_REF.findall(sql_path.read_text())) if sql_path else frozenset()
            name = model["name"].removeprefix("segment_")
            segments.append(Segment(name, yaml_file, meta["segment"], sql_file, refs))
    for model_name, sql_path in sql_files.items():
        if "segment_members()" in sql_path.read_text():
            findings.append(
                Finding(
                    sql_path.relative_to(project_dir).as_posix(),
                    model_name.removeprefix("segment_"),
                    "segment",
                    f"expected a definition under config.meta.segment of model {model_name}"
                    " in its YAML",
                )
            )
    return sorted(segments, key=lambda segment: segment.name), findings
