"""Helpers for testing dbt Python models outside dbt: load a model file as a module, and a
stand-in for the `dbt` object its model(dbt, session) receives."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import duckdb
import pandas as pd

from tests.support import PROJECT_DIR


def load_model_file(relative_path: str) -> ModuleType:
    """A dbt Python model file (e.g. `models/intermediate/clv/x.py`) as a module: model files
    cannot be imported by package name."""
    path = PROJECT_DIR / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Config:
    def __init__(self, meta: dict) -> None:
        self.meta = meta

    def meta_get(self, key, default=None):
        return self.meta.get(key, default)


class FakeDbt:
    """What the models use of the object dbt passes: ref(name), a DuckDB relation as dbt-duckdb
    gives (here over a frame), and config.meta_get."""

    def __init__(self, tables: dict[str, pd.DataFrame], meta: dict) -> None:
        self.tables = tables
        self.config = Config(meta)
        self.connection = duckdb.connect()

    def ref(self, name: str) -> duckdb.DuckDBPyRelation:
        return self.connection.from_df(self.tables[name])
