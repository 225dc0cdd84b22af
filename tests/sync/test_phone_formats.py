"""Staging (macro normalize_phone, compiled by dbt and run in DuckDB) and the sync
(identifiers.e164_phone) read every phone format of tests/fixtures/phone_formats.csv alike: as
its expected E.164 number, or (empty expected_e164) not at all."""

from __future__ import annotations

import csv
import json
import subprocess

import duckdb
import pytest

from orchestration.sync.identifiers import e164_phone
from tests.support import DBT, PROJECT_DIR, dbt_env

FORMATS = PROJECT_DIR / "tests" / "fixtures" / "phone_formats.csv"
COUNTRIES = PROJECT_DIR / "seeds" / "countries.csv"
with FORMATS.open(encoding="utf-8", newline="") as handle:
    ROWS = list(csv.DictReader(handle))
QUERY = """
select
    formats.row_number,
    {{ audience.normalize_phone(
        'formats.raw_value',
        'countries.calling_code',
        'countries.trunk_prefix',
        'countries.national_number_length',
    ) }} as phone
from formats
left join countries on formats.country_code = countries.country_code
"""


def _ids(row: dict[str, str]) -> str:
    return f"{row['format']} ({row['country_code']})"


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> list[str | None]:
    tmp = tmp_path_factory.mktemp("phones")
    result = subprocess.run(
        [
            str(DBT),
            "compile",
            "--inline",
            QUERY,
            "--output",
            "json",
            "--quiet",
            "--target-path",
            str(tmp / "target"),
            "--log-path",
            str(tmp / "logs"),
        ],
        cwd=PROJECT_DIR,
        env=dbt_env(tmp / "raw", tmp / "audience.duckdb"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    compiled = json.loads(result.stdout[result.stdout.index("{") :])["compiled"]
    with duckdb.connect() as con:
        con.execute(
            "create table formats (row_number integer, raw_value varchar, country_code varchar)"
        )
        con.executemany(
            "insert into formats values (?, ?, ?)",
            [(i, row["raw_value"] or None, row["country_code"]) for i, row in enumerate(ROWS)],
        )
        con.execute(
            f"""create table countries as select * from read_csv('{COUNTRIES}', header = true,
            types = {{'calling_code': 'varchar', 'trunk_prefix': 'varchar',
                      'national_number_length': 'integer'}})"""
        )
        phones = dict(con.execute(compiled).fetchall())
    return [phones[i] for i in range(len(ROWS))]


@pytest.mark.parametrize("index", range(len(ROWS)), ids=[_ids(row) for row in ROWS])
def test_staging_and_sync_read_the_phone_alike(index: int, staged: list[str | None]):
    row = ROWS[index]
    expected = row["expected_e164"] or None
    assert staged[index] == expected, ("staging", row["raw_value"])
    assert e164_phone(row["raw_value"], row["country_code"]) == expected, ("sync", row["raw_value"])
