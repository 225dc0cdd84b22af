"""Landed files hold exactly the raw contract's columns and types (the sources YAML)."""

from __future__ import annotations

import uuid

import duckdb
import pyarrow as pa
import pytest
import yaml

from orchestration.collector.schema import COLUMNS, SCHEMAS
from tests.collector.support import CollectorProcess
from tests.support import PROJECT_DIR

SOURCES = PROJECT_DIR / "models/staging/segment/_segment__sources.yml"
ARROW = {"varchar": pa.string(), "timestamp with time zone": pa.timestamp("us", tz="UTC")}
CI_RAW = PROJECT_DIR / "data/ci/raw"


def contract() -> dict[str, list[tuple[str, str]]]:
    [source] = yaml.safe_load(SOURCES.read_text())["sources"]
    return {
        t["name"]: [(c["name"], c["data_type"]) for c in t["columns"]] for t in source["tables"]
    }


def test_schema_module_is_the_contract() -> None:
    for table, columns in contract().items():
        assert COLUMNS[table] == [name for name, _ in columns]
        assert SCHEMAS[table] == pa.schema([(name, ARROW[kind]) for name, kind in columns])


def test_landed_files_match_the_contract(collector: CollectorProcess) -> None:
    def message(kind: str, **fields) -> dict:
        return {"type": kind, "messageId": str(uuid.uuid4()), "userId": "u1", **fields}

    batch = [
        message("track", event="Order Completed", properties={"revenue": 10, "currency": "eur"}),
        message("page", name="Home", properties={"url": "https://shop.example.com/"}),
        message("identify", traits={"email": "p@example.com", "phone": "+4912345"}),
        message("screen", name="Cart"),
        message("group", groupId="acme", traits={"plan": "pro"}),
        message("alias", previousId="anon-1"),
    ]
    response = collector.post("/v1/batch", {"batch": batch, "sentAt": "2026-12-01T00:00:00Z"})
    assert response.json()["accepted"] == len(batch)
    collector.stop()
    for table, columns in contract().items():
        landed = collector.landed(table)
        assert landed.schema == pa.schema([(name, ARROW[kind]) for name, kind in columns])
    for table in ("screens", "groups", "aliases"):
        assert collector.landed(table).schema == SCHEMAS[table]
        assert collector.landed(table).num_rows == 1

    if not (CI_RAW / "tracks").is_dir():
        pytest.skip("no generated CI data in data/ci/raw to union with")
    for table in contract():
        ours = f"read_parquet('{collector.raw}/{table}/*.parquet')"
        generated = f"read_parquet('{CI_RAW}/{table}/*.parquet')"
        union = duckdb.sql(f"select * from {ours} union all by name select * from {generated}")
        alone = duckdb.sql(f"select * from {generated}")
        assert list(zip(union.columns, union.types, strict=True)) == list(
            zip(alone.columns, alone.types, strict=True)
        )
