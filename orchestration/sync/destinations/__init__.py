"""The destinations a segment can sync to. Each is one module of this package,
orchestration/sync/destinations/<name>.py, holding one concrete Destination subclass; its name is
the module's. They are found here at import (modules starting with '_' and `base` are not
destinations), so there is no list to keep. What dbt knows of them (seeds/destinations.csv, the
export models exports.exp_<name> and their contracts) is written from them by
`python -m orchestration.sync.destinations` (orchestration/sync/destinations/_dbt_files.py)."""

from __future__ import annotations

import contextlib
import importlib
import inspect
import pkgutil
from pathlib import Path

from orchestration.sync.config import DestinationConfig, SyncConfigError
from orchestration.sync.destinations.base import CONSENT_PURPOSES, EXPORT_COLUMNS, Destination
from orchestration.sync.http import HttpClient

NOT_DESTINATIONS = {"base"}


class DestinationModuleError(TypeError):
    """A module of the package that is not a well-formed destination; the message names the
    file, the attribute and what was expected."""


def _problems(cls: type[Destination]) -> list[str]:
    """What is missing or wrong in the class attributes a destination must set."""
    problems = []
    for attribute in ("platform", "description"):
        value = getattr(cls, attribute, None)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{attribute}: expected a non-empty string, got {value!r}")
    purpose = getattr(cls, "consent_purpose", None)
    if purpose not in CONSENT_PURPOSES:
        problems.append(
            f"consent_purpose: expected one of {list(CONSENT_PURPOSES)}, got {purpose!r}"
        )
    identifiers = getattr(cls, "identifiers", None)
    if (
        not isinstance(identifiers, tuple)
        or not identifiers
        or not set(identifiers) <= set(EXPORT_COLUMNS[2:])
    ):
        problems.append(
            "identifiers: expected a non-empty tuple of export columns of "
            f"{list(EXPORT_COLUMNS[2:])}, got {identifiers!r}"
        )
    size = getattr(cls, "batch_size", None)
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        problems.append(f"batch_size: expected a positive whole number, got {size!r}")
    return problems


def _destination_of(module_name: str) -> type[Destination]:
    module = importlib.import_module(f"{__name__}.{module_name}")
    where = Path(module.__file__ or module_name).name
    found = [
        cls
        for cls in vars(module).values()
        if inspect.isclass(cls)
        and issubclass(cls, Destination)
        and cls.__module__ == module.__name__
        and not inspect.isabstract(cls)
    ]
    if len(found) != 1:
        raise DestinationModuleError(
            f"orchestration/sync/destinations/{where}: expected one concrete Destination subclass "
            f"(the destination {module_name!r}), found {len(found)}"
            + (f": {', '.join(c.__name__ for c in found)}" if found else "")
        )
    cls = found[0]
    if "name" in vars(cls) and cls.name != module_name:
        raise DestinationModuleError(
            f"orchestration/sync/destinations/{where}: {cls.__name__}.name: expected "
            f"{module_name!r} (the module's name) or nothing, got {cls.name!r}"
        )
    cls.name = module_name
    problems = _problems(cls)
    if problems:
        raise DestinationModuleError(
            f"orchestration/sync/destinations/{where}: "
            + "; ".join(f"{cls.__name__}.{problem}" for problem in problems)
        )
    return cls


def discover() -> dict[str, type[Destination]]:
    """Every destination module of the package, by name, sorted."""
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(__path__)
        if not info.ispkg and not info.name.startswith("_") and info.name not in NOT_DESTINATIONS
    )
    return {name: _destination_of(name) for name in names}


DESTINATIONS: dict[str, type[Destination]] = discover()


def build_destination(config: DestinationConfig, **http_options) -> Destination:
    cls = DESTINATIONS.get(config.name)
    if cls is None:
        raise SyncConfigError(
            f"{config.path}: destinations.{config.name}: unknown destination; "
            f"expected one of {sorted(DESTINATIONS)} (a module of orchestration/sync/destinations/)"
        )
    for name in config.credentials:  # read now, so every error from here on is scrubbed of them
        with contextlib.suppress(SyncConfigError):
            config.secret(name)
    if not cls.uses_http:
        return cls(config, None)
    config.https_base_url()
    client = HttpClient(
        config, pool_size=cls.concurrency, error_fields=cls.error_fields, **http_options
    )
    return cls(config, client)
