"""Destination connection settings: orchestration/sync/destinations.yml, or the file
AUDIENCE_SYNC_CONFIG names. Credentials are named by environment variable, never written in
the file, and never logged."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_CONFIG = Path(__file__).with_name("destinations.yml")
MODES = ("mirror", "upsert", "additive", "full_replace")
KEYS = {"base_url", "credentials", "mode", "audiences", "options", "requests_per_second"}
RETRY_KEYS = {"max_attempts", "base_delay_seconds", "max_delay_seconds", "timeout_seconds"}


class SyncConfigError(ValueError):
    """Bad sync configuration; the message names the file, the field and what was expected."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay_seconds: float = 1.0
    max_delay_seconds: float = 60.0
    timeout_seconds: float = 30.0


@dataclass(frozen=True)
class DestinationConfig:
    name: str
    path: Path
    base_url: str
    credentials: dict[str, str] = field(default_factory=dict)
    mode: str = "mirror"
    audiences: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    requests_per_second: float | None = None
    retry: RetryPolicy = RetryPolicy()

    def error(self, key: str, expected: str, got: Any) -> SyncConfigError:
        return SyncConfigError(
            f"{self.path}: destinations.{self.name}.{key}: expected {expected}, got {got!r}"
        )

    def secret(self, name: str) -> str:
        """The credential `name`, read from the environment variable the config names."""
        variable = self.credentials.get(name)
        if not variable:
            raise self.error(f"credentials.{name}", "the name of an environment variable", None)
        value = os.environ.get(variable)
        if not value:
            raise SyncConfigError(
                f"{self.path}: destinations.{self.name}.credentials.{name}: "
                f"environment variable {variable} is not set"
            )
        return value

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


def config_path() -> Path:
    return Path(os.environ.get("AUDIENCE_SYNC_CONFIG", DEFAULT_CONFIG))


def load_config(path: Path | None = None) -> dict[str, DestinationConfig]:
    path = path or config_path()
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SyncConfigError(f"{path}: cannot read the sync configuration: {error}") from error
    destinations = document.get("destinations") if isinstance(document, dict) else None
    if not isinstance(destinations, dict):
        raise SyncConfigError(f"{path}: destinations: expected a mapping of destination names")
    retry = _retry(path, document.get("retry", {}))
    return {name: _destination(path, name, body, retry) for name, body in destinations.items()}


def _retry(path: Path, body: Any) -> RetryPolicy:
    if not isinstance(body, dict) or set(body) - RETRY_KEYS:
        raise SyncConfigError(f"{path}: retry: expected a mapping with keys {sorted(RETRY_KEYS)}")
    for key, value in body.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise SyncConfigError(f"{path}: retry.{key}: expected a positive number, got {value!r}")
    return RetryPolicy(**body)


def _destination(path: Path, name: str, body: Any, retry: RetryPolicy) -> DestinationConfig:
    where = f"{path}: destinations.{name}"
    if not isinstance(body, dict):
        raise SyncConfigError(f"{where}: expected a mapping, got {body!r}")
    unknown = set(body) - KEYS
    if unknown:
        raise SyncConfigError(f"{where}: unknown keys {sorted(unknown)}; expected {sorted(KEYS)}")
    base_url = os.environ.get(f"AUDIENCE_SYNC_{name.upper()}_BASE_URL", body.get("base_url"))
    if not isinstance(base_url, str) or not base_url:
        raise SyncConfigError(f"{where}.base_url: expected a URL or a directory, got {base_url!r}")
    mode = body.get("mode", "mirror")
    if mode not in MODES:
        raise SyncConfigError(f"{where}.mode: expected one of {list(MODES)}, got {mode!r}")
    for key in ("credentials", "audiences", "options"):
        if not isinstance(body.get(key, {}), dict):
            raise SyncConfigError(f"{where}.{key}: expected a mapping, got {body[key]!r}")
    rate = body.get("requests_per_second")
    if rate is not None and (not isinstance(rate, int | float) or rate <= 0):
        raise SyncConfigError(
            f"{where}.requests_per_second: expected a positive number, got {rate!r}"
        )
    return DestinationConfig(
        name=name,
        path=path,
        base_url=base_url.rstrip("/"),
        credentials={str(k): str(v) for k, v in body.get("credentials", {}).items()},
        mode=mode,
        audiences={str(k): str(v) for k, v in body.get("audiences", {}).items()},
        options=dict(body.get("options", {})),
        requests_per_second=rate,
        retry=retry,
    )
