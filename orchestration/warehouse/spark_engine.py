"""The Spark engine: a pyspark session built from the dbt target's `server_side_parameters`,
as dbt-spark's `method: session` builds its own, so Python reads the same metastore and
warehouse folder dbt wrote (spark.master decides whether that is this machine or a cluster).

Not the adapter's connection: dbt-spark's session cursor pastes parameters into the statement
unquoted; Spark's own parameter markers are used instead."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pyarrow as pa
from py4j.protocol import Py4JError
from pyspark.errors import AnalysisException, PySparkException
from pyspark.sql import DataFrame, SparkSession

from orchestration.relations import Relation
from orchestration.warehouse.connection import Result
from orchestration.warehouse.errors import MissingRelation, WarehouseBusy, WarehouseError
from orchestration.warehouse.spark_catalog import SparkCatalog
from orchestration.warehouse.target import Target, TargetInvalid

_MISSING = {"TABLE_OR_VIEW_NOT_FOUND", "SCHEMA_NOT_FOUND"}
# embedded Derby, the local metastore, lets one process in at a time
_LOCKED = "Another instance of Derby may have already booted the database"


@contextmanager
def _errors() -> Iterator[None]:
    try:
        yield
    except AnalysisException as error:
        if error.getCondition() in _MISSING:
            raise MissingRelation(error.getMessage()) from error
        raise WarehouseError(error.getMessage()) from error
    except (PySparkException, Py4JError) as error:
        if _LOCKED in str(error):
            raise WarehouseBusy(
                "the Spark metastore is in use by another process (a dbt build or a sync): "
                "wait for it to finish, then run this again"
            ) from None
        raise WarehouseError(str(error)) from error


class SparkResult:
    def __init__(self, frame: DataFrame):
        self.frame = frame
        self._rows: Iterator[Any] | None = None

    @property
    def description(self) -> list[tuple[Any, ...]]:
        return [
            (field.name, field.dataType.simpleString(), None, None, None, None, field.nullable)
            for field in self.frame.schema.fields
        ]

    def _iterator(self) -> Iterator[Any]:
        if self._rows is None:
            with _errors():
                self._rows = iter(self.frame.toLocalIterator())
        return self._rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._iterator()]

    def fetchone(self) -> tuple[Any, ...] | None:
        row = next(self._iterator(), None)
        return None if row is None else tuple(row)

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        rows = self._iterator()
        return [tuple(row) for _, row in zip(range(size), rows, strict=False)]

    def df(self) -> pd.DataFrame:
        with _errors():
            return self.frame.toPandas()


def session(target: Target) -> SparkSession:
    """The process's Spark session for the target (one per process, as pyspark keeps it)."""
    if target.settings.get("method") != "session":
        raise TargetInvalid(
            f"outputs.{target.name}.method is {target.settings.get('method')!r}: the Python "
            "side reaches Spark through a pyspark session (method: session) or a Thrift "
            "server (method: thrift)"
        )
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in (target.settings.get("server_side_parameters") or {}).items():
        builder = builder.config(key, str(value))
    with _errors():
        return builder.getOrCreate()


class SparkWarehouse(SparkCatalog):
    def __init__(self, target: Target):
        self.spark = session(target)

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        with _errors():
            return SparkResult(self.spark.sql(sql, args=list(params) if params else None))

    def arrow(self, sql: str, params: Sequence[Any] | None = None) -> pa.Table:
        with _errors():
            return self.spark.sql(sql, args=list(params) if params else None).toArrow()

    def register(self, name: str, data: pa.Table | pd.DataFrame) -> None:
        with _errors():
            self.spark.createDataFrame(data).createOrReplaceTempView(name)

    def unregister(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)

    def columns(self, relation: Relation) -> list[tuple[str, str]]:
        try:
            with _errors():
                fields = self.spark.table(str(relation)).schema.fields
        except MissingRelation:
            return []
        return [(field.name, field.dataType.simpleString()) for field in fields]

    def close(self) -> None:
        """Nothing to close: the session lives as long as the process, as dbt-spark's does."""
