"""Spark through a Thrift server (HiveServer2 protocol), the way dbt-spark's `method: thrift`
reaches a cluster: the Python side talks to the same server, with the target's host, port, user
and session settings, so a cluster needs no second door for it.

The protocol binds no parameters: `?` markers are replaced by literals that sqlglot writes in
Spark's syntax (quotes and backslashes escaped), never pasted as text."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
import pandas as pd
import pyarrow as pa
import sqlglot
from pyhive import exc, hive
from sqlglot import exp
from thrift.transport.TTransport import TTransportException

from orchestration.relations import Relation
from orchestration.warehouse.connection import Result
from orchestration.warehouse.errors import MissingRelation, WarehouseError
from orchestration.warehouse.spark_catalog import SparkCatalog
from orchestration.warehouse.target import Target

_MISSING = ("TABLE_OR_VIEW_NOT_FOUND", "SCHEMA_NOT_FOUND")
# Arrow types of registered frames -> Spark's
_SPARK_TYPES = {
    "string": "string",
    "large_string": "string",
    "int64": "bigint",
    "int32": "int",
    "double": "double",
    "bool": "boolean",
    "date32[day]": "date",
}


def _spark_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_timestamp(arrow_type):
        return "timestamp"
    return _SPARK_TYPES.get(str(arrow_type), "string")


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except exc.Error as error:
        message = str(error)
        if any(condition in message for condition in _MISSING):
            raise MissingRelation(message) from error
        raise WarehouseError(message) from error


def bound(sql: str, params: Sequence[Any]) -> str:
    """The statement with each `?` replaced, in order, by its value as a Spark literal."""
    values = iter(params)
    tree = sqlglot.parse_one(sql, read="spark")
    return tree.transform(
        lambda node: exp.convert(next(values)) if isinstance(node, exp.Placeholder) else node
    ).sql(dialect="spark")


def _date(text: str | None) -> datetime.date | None:
    return None if text is None else datetime.date.fromisoformat(text)


def _parsed(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


# the protocol sends these as text; the session's rows hold them as values
_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "DATE_TYPE": _date,
    "ARRAY_TYPE": _parsed,
    "MAP_TYPE": _parsed,
    "STRUCT_TYPE": _parsed,
}


class ThriftResult:
    def __init__(self, cursor: Any):
        self.cursor = cursor
        kinds = [column[1] for column in cursor.description or []]
        self._converters = {
            i: _CONVERTERS[kind] for i, kind in enumerate(kinds) if kind in _CONVERTERS
        }

    def _row(self, row: Sequence[Any]) -> tuple[Any, ...]:
        if not self._converters:
            return tuple(row)
        return tuple(
            self._converters[i](value) if i in self._converters else value
            for i, value in enumerate(row)
        )

    @property
    def description(self) -> Sequence[tuple[Any, ...]] | None:
        return self.cursor.description

    def fetchall(self) -> list[tuple[Any, ...]]:
        with _errors():
            return [self._row(row) for row in self.cursor.fetchall()]

    def fetchone(self) -> tuple[Any, ...] | None:
        with _errors():
            row = self.cursor.fetchone()
        return None if row is None else self._row(row)

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        with _errors():
            return [self._row(row) for row in self.cursor.fetchmany(size)]

    def df(self) -> pd.DataFrame:
        columns = [column[0] for column in self.description or []]
        return pd.DataFrame(self.fetchall(), columns=columns)


class ThriftWarehouse(SparkCatalog):
    def __init__(self, target: Target):
        settings = target.settings
        host, port = settings.get("host"), int(settings.get("port") or 10000)
        try:
            self.connection = hive.connect(
                host=host,
                port=port,
                username=settings.get("user"),
                auth=settings.get("auth"),
                kerberos_service_name=settings.get("kerberos_service_name"),
                configuration={
                    key: str(value)
                    for key, value in (settings.get("server_side_parameters") or {}).items()
                },
            )
        except (TTransportException, OSError) as error:
            raise WarehouseError(
                f"no Spark Thrift server answers at {host}:{port} (outputs.{target.name}.host "
                f"and port in profiles.yml): {error}"
            ) from None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        cursor = self.connection.cursor()
        with _errors():
            cursor.execute(bound(sql, params) if params else sql)
        return ThriftResult(cursor)

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        return pa.Table.from_pandas(self.execute(sql, params).df(), preserve_index=False)

    def register(self, name: str, data: pa.Table | pd.DataFrame) -> None:
        """A temporary view of the rows as literals: the frames registered are small (a check
        run's results), and the server cannot read this process's memory."""
        table = (
            data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
        )
        names = [f"`{column}`" for column in table.column_names]
        casts = ", ".join(
            f"cast({column} as {_spark_type(field.type)}) as {column}"
            for column, field in zip(names, table.schema, strict=True)
        )
        rows = table.to_pylist() or [dict.fromkeys(table.column_names)]
        values = ", ".join(
            "(" + ", ".join(exp.convert(value).sql(dialect="spark") for value in row.values()) + ")"
            for row in rows
        )
        where = "" if table.num_rows else " where false"
        self.execute(
            f"create or replace temporary view `{name}` as select {casts} "
            f"from values {values} as v({', '.join(names)}){where}"
        )

    def unregister(self, name: str) -> None:
        self.execute(f"drop view if exists `{name}`")

    def columns(self, relation: Relation) -> list[tuple[str, str]]:
        try:
            rows = self.execute(f"describe table {relation}").fetchall()
        except MissingRelation:
            return []
        found = []
        for name, kind, *_ in rows:
            if not name or name.startswith("#"):
                break
            found.append((name, kind))
        return found

    def close(self) -> None:
        self.connection.close()
