"""The dbt target the Python side works against: the output of profiles.yml that `dbt build`
writes to (DBT_TARGET, else the profile's own `target:`), so commands read the warehouse dbt
built, on its engine, with its settings.

The file is rendered here rather than through dbt's profile loader, which needs dbt's global
flags and takes a second to import; only `env_var` is offered, the one function profiles.yml
uses, with dbt's meaning (the default when the variable is unset, else an error naming it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml

from orchestration.paths import PROJECT_DIR

PROFILE = "audience"
ENGINES = ("duckdb", "spark")


class TargetInvalid(ValueError):
    """profiles.yml does not name a target the Python side can work against."""


@dataclass(frozen=True)
class Target:
    name: str
    # the adapter type: duckdb, spark, snowflake...
    type: str
    # the output's fields, rendered
    settings: dict[str, Any]


def profiles_file() -> Path:
    """profiles.yml where dbt reads it: DBT_PROFILES_DIR (the Makefile sets it to the project),
    else the project's own."""
    return Path(os.environ.get("DBT_PROFILES_DIR") or PROJECT_DIR) / "profiles.yml"


def _env_var(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise TargetInvalid(f"environment variable {name} is not set and has no default")
    return value


def _render(value: Any, environment: jinja2.Environment) -> Any:
    if isinstance(value, dict):
        return {key: _render(item, environment) for key, item in value.items()}
    if isinstance(value, list):
        return [_render(item, environment) for item in value]
    if isinstance(value, str) and "{{" in value:
        return environment.from_string(value).render()
    return value


def active_target(path: Path | None = None) -> Target:
    """The output dbt writes to; TargetInvalid naming the file and field when it is missing or
    of an engine the Python side does not reach."""
    path = path or profiles_file()
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    environment.globals["env_var"] = _env_var
    try:
        profile = (yaml.safe_load(path.read_text()) or {})[PROFILE]
        name = os.environ.get("DBT_TARGET") or _render(profile["target"], environment)
        output = _render(profile["outputs"][name], environment)
    except (OSError, yaml.YAMLError, jinja2.TemplateError, TargetInvalid) as error:
        raise TargetInvalid(f"{path}: {error}") from None
    except (KeyError, TypeError) as error:
        raise TargetInvalid(f"{path}: profile {PROFILE!r} has no field {error}") from None
    kind = output.get("type")
    if kind not in ENGINES:
        raise TargetInvalid(
            f"{path}: outputs.{name}.type is {kind!r}; the Python side (quality checks, syncs, "
            f"reports) reaches {' and '.join(ENGINES)} warehouses"
        )
    return Target(name, kind, output)
