"""Destination connection settings: orchestration/sync/destinations.yml, or the file
AUDIENCE_SYNC_CONFIG names. Credentials are named by environment variable, never written in
the file, and never logged."""

from __future__ import annotations

import ipaddress
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints

from orchestration.settings import Setting, as_setting, resolve
from orchestration.sync import redact

DEFAULT_CONFIG = Path(__file__).with_name("destinations.yml")
MODES = ("mirror", "upsert", "additive", "full_replace")
# names become relation names (exports.exp_<name>) and environment variable names
DestinationName = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
# conventional names only: a pasted token rarely fits, and one that does would be echoed back
VariableName = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Z_][A-Z0-9_]{0,63}$")]
PositiveNumber = Annotated[float, Strict(), Field(gt=0)]


class SyncConfigError(ValueError):
    """Bad sync configuration; the message names the file, the field and what was expected."""

    kind = "configuration"


@pydantic.dataclasses.dataclass(frozen=True, config=ConfigDict(extra="forbid"))
class RetryPolicy:
    max_attempts: Annotated[int, Strict(), Field(gt=0)] = 6
    base_delay_seconds: PositiveNumber = 1.0
    max_delay_seconds: PositiveNumber = 60.0
    # the longest wait for one read, and for a whole request (connect, send, answer)
    timeout_seconds: PositiveNumber = 30.0
    deadline_seconds: PositiveNumber = 120.0


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
    retry: RetryPolicy = field(default_factory=RetryPolicy)

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


class _Entry(BaseModel):
    """A destination's entry in the file, as written (base_url may come from the environment)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    base_url: str | None = None
    credentials: dict[str, VariableName] = {}
    mode: Literal[MODES] = "mirror"
    audiences: dict[str, Annotated[str | int, pydantic.AfterValidator(str)]] = {}
    options: dict[str, Any] = {}
    requests_per_second: PositiveNumber | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    retry: RetryPolicy = RetryPolicy()
    destinations: dict[DestinationName, _Entry]


# what a field holds, for errors; other fields get pydantic's own words
EXPECTED = {
    "destinations": "a mapping of destination names",
    "base_url": "a URL or a directory",
    "mode": f"one of {list(MODES)}",
    "max_attempts": "a positive whole number",
    "requests_per_second": "a positive number",
} | {name: "a positive number" for name in ("base_delay_seconds", "max_delay_seconds",
                                             "timeout_seconds", "deadline_seconds")}  # fmt: skip
NAME_EXPECTED = "names of lowercase letters, digits and '_' starting with a letter"
VARIABLE_EXPECTED = (
    "the name of an environment variable in capitals, digits and '_' (the secret itself never "
    "goes in this file)"
)


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
    try:
        parsed = _File.model_validate(document)
    except pydantic.ValidationError as error:
        raise SyncConfigError("\n".join(_messages(path, error))) from None
    return {
        name: _destination(path, name, entry, parsed.retry)
        for name, entry in parsed.destinations.items()
    }


def _messages(path: Path, error: pydantic.ValidationError) -> list[str]:
    """One line per field, naming the file, the field and what was expected; the values of
    credentials are never shown (a secret pasted there instead of its variable's name)."""
    expected: dict[str, list[str]] = defaultdict(list)  # a union's alternatives, in order
    shown: dict[str, str] = {}
    unknown: dict[str, list[str]] = defaultdict(list)
    for problem in error.errors(include_url=False):
        kind, got = problem["type"], problem["input"]
        loc = [str(part) for part in problem["loc"] if part not in ("str", "int")]
        where = ".".join(loc) or "destinations"
        if kind in ("extra_forbidden", "unexpected_keyword_argument"):
            unknown[".".join(loc[:-1])].append(loc[-1])
            continue
        if loc in ([], ["destinations"]):  # no mapping of destinations at all
            wanted = EXPECTED["destinations"]
        elif loc[-1] == "[key]":  # <mapping>.<key>.[key]
            where = ".".join(loc[:-2])
            wanted = f"{NAME_EXPECTED if len(loc) == 3 else 'keys that are text'}, got {got!r}"
        elif len(loc) == 4 and loc[2] == "credentials":
            wanted = VARIABLE_EXPECTED
        elif kind in ("model_type", "dict_type", "dataclass_type"):
            wanted = f"a mapping, got {type(got).__name__}"
        else:
            said = problem["msg"].removeprefix("Input should be ").removeprefix("String should ")
            wanted = EXPECTED.get(loc[-1], "a value" if kind == "missing" else said)
            shown[where] = "" if kind == "missing" else f", got {got!r}"
        expected[where].append(wanted)
    messages = [
        f"{path}: {where}: expected {' or '.join(wanted)}{shown.get(where, '')}"
        for where, wanted in expected.items()
    ]
    for where, keys in unknown.items():
        model = {"": _File, "retry": RetryPolicy}.get(where, _Entry)
        messages.append(
            f"{path}: {where or 'the top level'}: unknown keys {sorted(keys)}; "
            f"expected {sorted(model.__pydantic_fields__)}"
        )
    return messages


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _destination(path: Path, name: str, entry: _Entry, retry: RetryPolicy) -> DestinationConfig:
    where = f"{path}: destinations.{name}"
    variable = f"AUDIENCE_SYNC_{name.upper()}_BASE_URL"
    base_url = os.environ.get(variable) or entry.base_url
    source = f"environment variable {variable}" if os.environ.get(variable) else f"{where}.base_url"
    if not base_url:
        raise SyncConfigError(f"{source}: expected a URL or a directory, got {base_url!r}")
    return DestinationConfig(
        name=name,
        path=path,
        base_url=base_url.rstrip("/"),
        base_url_source=source,
        credentials=entry.credentials,
        mode=entry.mode,
        audiences=entry.audiences,
        options=entry.options,
        requests_per_second=entry.requests_per_second,
        retry=retry,
    )
