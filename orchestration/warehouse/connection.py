"""What a warehouse connection offers on every engine: statements with `?` parameters, the
answer as rows or a pandas frame, in-memory tables under a name for a statement to join, and
the catalog questions commands ask (which relations a schema holds, a relation's columns)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa

from orchestration.relations import Relation


class Result(Protocol):
    """The answer of one statement, read once."""

    @property
    def description(self) -> Sequence[tuple[Any, ...]] | None: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...
    def fetchone(self) -> tuple[Any, ...] | None: ...
    def fetchmany(self, size: int) -> list[tuple[Any, ...]]: ...
    def df(self) -> pd.DataFrame: ...


class Warehouse(ABC):
    """One connection; a context manager that closes it."""

    # "duckdb" or "spark", for the few statements written per engine
    engine: str

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        """Run one statement; WarehouseError (MissingRelation for an unknown relation)."""

    @abstractmethod
    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        """The answer of a query as an Arrow table, without a copy through Python rows: for the
        large reads (a sync's changed members)."""

    @abstractmethod
    def register(self, name: str, data: pa.Table | pd.DataFrame) -> None:
        """Make `data` readable as the temporary relation `name` on this connection."""

    @abstractmethod
    def unregister(self, name: str) -> None: ...

    @abstractmethod
    def relation_names(self, schema: str) -> list[str]:
        """The tables and views of `schema`, sorted; empty when there is no such schema."""

    @abstractmethod
    def columns(self, relation: Relation) -> list[tuple[str, str]]:
        """(name, type) of the relation's columns in order; empty when it does not exist."""

    @abstractmethod
    def close(self) -> None: ...

    @contextmanager
    def many_small_writes(self) -> Iterator[None]:
        """Around a run of many small transactions (a sync writing its state per batch), for an
        engine that would otherwise do costly upkeep after each."""
        yield

    def has_relation(self, relation: Relation) -> bool:
        """Whether the warehouse holds the table or view: for the state tables dbt does not
        build and the models a command can meet unbuilt."""
        return relation.name in self.relation_names(relation.schema)

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
