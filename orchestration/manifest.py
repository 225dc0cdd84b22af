"""The dbt manifest Python reads relation names and the asset graph from, parsed only when the
project or its settings changed since: a parse takes a minute, reading a current manifest
milliseconds. No Dagster here, so commands that only need names (summary, publish) stay fast."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from functools import cache
from pathlib import Path

from orchestration.paths import PROJECT_DIR
from orchestration.segments.command import segments_report

# the dbt installed beside this Python (the venv's), else the one on PATH
_VENV_DBT = Path(sys.executable).with_name("dbt")
DBT_EXECUTABLE = str(_VENV_DBT) if _VENV_DBT.exists() else (shutil.which("dbt") or "dbt")

# A target folder of its own, so these parses never overwrite a hand-run dbt's artifacts.
TARGET_PATH = Path("target") / "dagster"
TARGET_DIR = PROJECT_DIR / TARGET_PATH
MANIFEST_PATH = TARGET_DIR / "manifest.json"

# What a parse reads: the project's files, and the environment variables their Jinja reads
# (`env_var(...)`) but those only read when models run; profiles.yml's connection settings do
# not change the manifest.
PROJECT_SOURCES = ("dbt_project.yml", "models", "macros", "seeds", "snapshots", "tests/dbt")
RUN_TIME_SETTINGS = {"AUDIENCE_RAW_PATH", "AUDIENCE_PII_SALT"}
PARTIAL_PARSE = "partial_parse.msgpack"
PARSED_SETTINGS = TARGET_DIR / "parsed_settings.sha256"
_ENV_VAR = re.compile(r"""env_var\(\s*['"](\w+)['"]""")


class SegmentDefinitionsInvalid(Exception):
    """The segment definitions have errors (`audience check-segments`): no manifest is made of
    them, since a reference cycle would only surface as a cycle of the asset graph."""


class ParseFailed(Exception):
    """`dbt parse` failed; the message holds the end of its output."""


def _project_files() -> list[Path]:
    paths = [PROJECT_DIR / source for source in PROJECT_SOURCES]
    return [f for p in paths if p.exists() for f in ([p] if p.is_file() else p.rglob("*"))]


def _settings_fingerprint(files: list[Path]) -> str:
    """A digest of the settings a parse reads (hashed, so no value is written down)."""
    names = {
        name
        for f in files
        if f.suffix in (".sql", ".yml", ".py") and f.is_file()
        for name in _ENV_VAR.findall(f.read_text(errors="replace"))
    } - RUN_TIME_SETTINGS
    settings = [(name, os.environ.get(name)) for name in sorted(names)]
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()


def manifest_is_current() -> bool:
    """The prepared manifest was parsed after the last edit of the project, with the same
    settings."""
    if not (MANIFEST_PATH.exists() and PARSED_SETTINGS.exists()):
        return False
    files = _project_files()
    return (
        PARSED_SETTINGS.read_text() == _settings_fingerprint(files)
        and max(f.stat().st_mtime for f in files) <= MANIFEST_PATH.stat().st_mtime
    )


def parse() -> None:
    """Prepare the manifest, unless it is current (`make manifest` does it ahead of time). The
    segment definitions are checked first. dbt parses into a folder of its own, and the files
    are then renamed into place, so a process reading the manifest meanwhile never reads a
    half-written one."""
    if manifest_is_current():
        return
    lines, errors, _ = segments_report(PROJECT_DIR)
    if errors:
        raise SegmentDefinitionsInvalid("\n".join(lines))
    TARGET_DIR.mkdir(parents=True, exist_ok=True)
    fingerprint = _settings_fingerprint(_project_files())
    with tempfile.TemporaryDirectory(dir=TARGET_DIR.parent) as folder:
        parsing = Path(folder)
        _copy_prepared_state(parsing)
        command = [DBT_EXECUTABLE, "parse", "--quiet", "--target-path", str(parsing)]
        result = subprocess.run(
            [*command, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)],
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise ParseFailed(f"dbt parse failed:\n{(result.stdout + result.stderr)[-3000:]}")
        (parsing / PARSED_SETTINGS.name).write_text(fingerprint)
        for name in (PARTIAL_PARSE, PARSED_SETTINGS.name, "manifest.json"):
            os.replace(parsing / name, TARGET_DIR / name)


def seeded_target(name: str) -> Path:
    """A target folder of its own for one dbt invocation, holding the prepared partial-parse
    state: dbt then only checks what changed since the prepared parse (7 s, not 20 at the
    demo's size). dagster-dbt seeds only from target/, which only a hand-run dbt writes."""
    target = TARGET_DIR / f"{name}-{uuid.uuid4().hex[:7]}"
    target.mkdir(parents=True)
    _copy_prepared_state(target)
    return target


def _copy_prepared_state(folder: Path) -> None:
    """The last parse's partial-parse state into folder, when there is one."""
    if (TARGET_DIR / PARTIAL_PARSE).exists():
        shutil.copy2(TARGET_DIR / PARTIAL_PARSE, folder / PARTIAL_PARSE)


@cache
def manifest() -> dict:
    """The project's manifest, parsed first when it is not current."""
    parse()
    return json.loads(MANIFEST_PATH.read_text())
