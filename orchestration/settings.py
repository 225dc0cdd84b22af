"""Values the commands take from a flag, else an environment variable, else a default, each
remembering where it came from, so that an error names the flag or the variable to fix."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar, overload

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    value: T
    # "--warehouse", "environment variable AUDIENCE_DUCKDB_PATH", "the default (...)"; empty when
    # a caller passed the bare value from a configuration of its own
    origin: str = ""

    def __str__(self) -> str:
        """The value as messages show it: `x.duckdb (from --warehouse)`."""
        return f"{self.value} (from {self.origin})" if self.origin else str(self.value)


@overload
def resolve(
    given: T | None, flag: str, variable: str, parse: Callable[[str], T], default: T
) -> Setting[T]: ...
@overload
def resolve(
    given: T | None, flag: str, variable: str, parse: Callable[[str], T], default: None = None
) -> Setting[T] | None: ...
def resolve(
    given: T | None, flag: str, variable: str, parse: Callable[[str], T], default: T | None = None
) -> Setting[T] | None:
    """The flag's value when given, else the variable's (set and not empty), else the default."""
    if given is not None:
        return Setting(given, flag)
    if raw := os.environ.get(variable):
        return Setting(parse(raw), f"environment variable {variable}")
    if default is None:
        return None
    return Setting(default, f"the default, as neither {flag} nor {variable} is set")


def as_setting(value: Setting[T] | T) -> Setting[T]:
    """A value a caller passed: a Setting as it is, a bare value with no origin to name."""
    return value if isinstance(value, Setting) else Setting(value)
