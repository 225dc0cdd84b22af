"""Destination connection settings: orchestration/sync/destinations.yml, or the file
AUDIENCE_SYNC_CONFIG names. Credentials are named by environment variable, never written in
the file, and never logged."""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from orchestration.settings import Setting, as_setting, resolve
from orchestration.sync import redact

DEFAULT_CONFIG = Path(__file__).with_name("destinations.yml")
MODES = ("mirror", "upsert", "additive", "full_replace")
KEYS = {"base_url", "credentials", "mode", "audiences", "options", "requests_per_second"}
RETRY_KEYS = {
    "max_attempts", "base_delay_seconds", "max_delay_seconds", "timeout_seconds",
    "deadline_seconds",
}  # fmt: skip
# names become relation names (exports.exp_<name>) and environment variable names
DESTINATION_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
# conventional names only: a pasted token rarely fits, and one that does would be echoed back
VARIABLE_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")


class SyncConfigError(ValueError):
    """Bad sync configuration; the message names the file, the field and what was expected."""

    kind = "configuration"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6
    base_delay_seconds: float = 1.0
    max_delay_seconds: float = 60.0
    # the longest wait for one read, and for a whole request (connect, send, answer)
    timeout_seconds: float = 30.0
    deadline_seconds: float = 120.0


@dataclass(frozen=True)
class DestinationConfig:
    name: str
    path: Path
    base_url: str
    # where base_url came from, for errors: the file's field or the overriding variable
    base_url_source: str = ""
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
        redact.register_secret(value)
        return value

    def https_base_url(self) -> str:
        """base_url, checked for a platform's API: https with a host and nothing else in it;
        plain http only to a loopback address (local fakes and tunnels)."""
        expected = "an https:// URL (http:// only for a loopback address such as 127.0.0.1)"
        try:
            parts = urlsplit(self.base_url)
            _ = parts.port
        except ValueError:
            raise SyncConfigError(
                f"{self.base_url_source}: expected {expected}, got a URL that does not parse "
                "(its host or port)"
            ) from None
        shown = f"{parts.scheme}://{parts.hostname}" if parts.scheme else "a path"
        problem = None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problem = f"got {shown}"
        elif parts.username or parts.password:
            problem = "got a URL with credentials in it (name them under credentials)"
        elif parts.query or parts.fragment or "\\" in self.base_url:
            problem = "got a URL with a query string, fragment or backslash"
        elif parts.scheme == "http" and not _is_loopback(parts.hostname):
            problem = f"got {shown}"
        if problem:
            raise SyncConfigError(f"{self.base_url_source}: expected {expected}, {problem}")
        return self.base_url

    def option(self, key: str, default: Any = None) -> Any:
        return self.options.get(key, default)


def config_setting(given: Path | None = None) -> Setting[Path]:
    """The sync configuration: --config, else AUDIENCE_SYNC_CONFIG, else destinations.yml."""
    return resolve(given, "--config", "AUDIENCE_SYNC_CONFIG", Path, DEFAULT_CONFIG)


def load_config(config: Setting[Path] | Path | None = None) -> dict[str, DestinationConfig]:
    setting = as_setting(config) if config else config_setting()
    path = setting.value
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except OSError as error:
        raise SyncConfigError(
            f"{setting}: cannot read the sync configuration: {error.strerror}"
        ) from None
    except yaml.YAMLError as error:
        # yaml's message quotes the offending line, which may hold a pasted secret
        mark = getattr(error, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise SyncConfigError(
            f"{path}: cannot read the sync configuration: {problem}{at}"
        ) from None
    destinations = document.get("destinations") if isinstance(document, dict) else None
    if not isinstance(destinations, dict):
        raise SyncConfigError(f"{path}: destinations: expected a mapping of destination names")
    retry = _retry(path, document.get("retry", {}))
    return {name: _destination(path, name, body, retry) for name, body in destinations.items()}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _retry(path: Path, body: Any) -> RetryPolicy:
    if not isinstance(body, dict) or set(body) - RETRY_KEYS:
        raise SyncConfigError(f"{path}: retry: expected a mapping with keys {sorted(RETRY_KEYS)}")
    for key, value in body.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
            raise SyncConfigError(f"{path}: retry.{key}: expected a positive number, got {value!r}")
    return RetryPolicy(**body)


def _destination(path: Path, name: str, body: Any, retry: RetryPolicy) -> DestinationConfig:
    where = f"{path}: destinations.{name}"
    if not isinstance(name, str) or not DESTINATION_NAME.fullmatch(name):
        raise SyncConfigError(
            f"{path}: destinations: expected names of lowercase letters, digits and '_' "
            f"starting with a letter, got {name!r}"
        )
    if not isinstance(body, dict):
        raise SyncConfigError(f"{where}: expected a mapping, got {type(body).__name__}")
    unknown = set(body) - KEYS
    if unknown:
        raise SyncConfigError(f"{where}: unknown keys {sorted(unknown)}; expected {sorted(KEYS)}")
    variable = f"AUDIENCE_SYNC_{name.upper()}_BASE_URL"
    base_url = os.environ.get(variable) or body.get("base_url")
    source = f"environment variable {variable}" if os.environ.get(variable) else f"{where}.base_url"
    if not isinstance(base_url, str) or not base_url:
        raise SyncConfigError(f"{source}: expected a URL or a directory, got {base_url!r}")
    mode = body.get("mode", "mirror")
    if mode not in MODES:
        raise SyncConfigError(f"{where}.mode: expected one of {list(MODES)}, got {mode!r}")
    for key in ("credentials", "audiences", "options"):
        if not isinstance(body.get(key, {}), dict):
            raise SyncConfigError(
                f"{where}.{key}: expected a mapping, got {type(body[key]).__name__}"
            )
    for key, variable in body.get("credentials", {}).items():
        if not isinstance(variable, str) or not VARIABLE_NAME.fullmatch(variable):
            # never echoed: a secret pasted here instead of its variable's name
            raise SyncConfigError(
                f"{where}.credentials.{key}: expected the name of an environment variable in "
                "capitals, digits and '_' (the secret itself never goes in this file)"
            )
    rate = body.get("requests_per_second")
    if rate is not None and (not isinstance(rate, int | float) or rate <= 0):
        raise SyncConfigError(
            f"{where}.requests_per_second: expected a positive number, got {rate!r}"
        )
    return DestinationConfig(
        name=name,
        path=path,
        base_url=base_url.rstrip("/"),
        base_url_source=source,
        credentials={str(k): str(v) for k, v in body.get("credentials", {}).items()},
        mode=mode,
        audiences={str(k): str(v) for k, v in body.get("audiences", {}).items()},
        options=dict(body.get("options", {})),
        requests_per_second=rate,
        retry=retry,
    )
