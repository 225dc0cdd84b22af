"""Output layout and schemas follow the dbt sources YAML; the manifest describes the files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from orchestration.generator import generate
from orchestration.generator.contract import ContractError
from orchestration.paths import PROJECT_DIR

ROOT = PROJECT_DIR
SOURCES = ("models/staging/segment/_segment__sources.yml", "models/staging/crm/_crm__sources.yml")
TYPES = {"varchar": pa.string(), "timestamp with time zone": pa.timestamp("us", tz="UTC")}


def yaml_schemas(root: Path = ROOT) -> dict[str, pa.Schema]:
    schemas = {}
    for relative in SOURCES:
        for source in yaml.safe_load((root / relative).read_text())["sources"]:
            for table in source["tables"]:
                schemas[table["name"]] = pa.schema(
                    [(c["name"], TYPES[c["data_type"]]) for c in table["columns"]]
                )
    return schemas


def parts(out: Path, table: str) -> list[Path]:
    return sorted((out / "raw" / table).glob("part-*.parquet"))


def test_every_raw_file_has_the_yaml_schema(standard):
    out, _ = standard
    schemas = yaml_schemas()
    assert len(schemas) == 10
    for table, schema in schemas.items():
        files = parts(out, table)
        assert files, f"no files for {table}"
        for path in files:
            assert pq.read_schema(path).remove_metadata() == schema, path


def test_manifest_rows_and_files_match_the_files(standard):
    out, manifest = standard
    assert set(manifest["tables"]) == set(yaml_schemas())
    for table, info in manifest["tables"].items():
        files = parts(out, table)
        assert info["files"] == len(files)
        assert info["rows"] == sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        assert info["rows"] > 0
    assert {
        "seed",
        "users",
        "days",
        "start_date",
        "defect_rate",
        "generator_version",
        "tables",
        "defects",
        "personas",
    } <= set(manifest)
    assert (out / "truth" / "persons.parquet").is_file()
    assert (out / "truth" / "identifiers.parquet").is_file()


def test_empty_tables_still_get_a_schema_only_file(dataset):
    out, manifest = dataset(users=5, days=1, defect_rate=0.0)
    empty = [t for t, info in manifest["tables"].items() if info["rows"] == 0]
    assert "deletion_requests" in empty
    schemas = yaml_schemas()
    for table in empty:
        (path,) = parts(out, table)
        assert pq.ParquetFile(path).metadata.num_rows == 0
        assert pq.read_schema(path).remove_metadata() == schemas[table]


def test_a_table_that_does_not_match_the_yaml_fails_clearly(tmp_path):
    project = tmp_path / "project"
    for folder in ("models", "seeds"):
        shutil.copytree(ROOT / folder, project / folder)
    yml = project / SOURCES[1]
    yml.write_text(yml.read_text().replace("- name: unit_price", "- name: unit_price_usd"))
    with pytest.raises(ContractError, match=r"order_items.*unit_price_usd"):
        generate(tmp_path / "out", users=20, days=2, project_dir=project, workers=1)


def test_unknown_yaml_type_fails_clearly(tmp_path):
    project = tmp_path / "project"
    for folder in ("models", "seeds"):
        shutil.copytree(ROOT / folder, project / folder)
    yml = project / SOURCES[0]
    yml.write_text(
        yml.read_text().replace("data_type: timestamp with time zone", "data_type: timestamp", 1)
    )
    with pytest.raises(ContractError, match="data_type"):
        generate(tmp_path / "out", users=20, days=2, project_dir=project, workers=1)
