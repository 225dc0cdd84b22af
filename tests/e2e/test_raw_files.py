"""Raw data as exports land it: hive-partitioned folders, CSV (with a byte order mark) and JSON
lines beside Parquet, optional CRM tables that are absent, and truncated files, which stop the
run before any model unless they are to be skipped (then they are listed in raw.raw_files)."""

from __future__ import annotations

import shutil

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from orchestration.cli import main
from tests.support import generate_data, run_dbt
from tests.sync.platforms import all_platforms

pytestmark = pytest.mark.slow

STAGING = "+stg_segment__tracks +stg_segment__pages +stg_crm__contacts"
COUNTED = ["stg_segment__tracks", "stg_segment__pages", "stg_crm__contacts"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("raw_files")
    generate_data(folder, users=300, days=4, seed=5, defect_rate=0.02)
    return folder / "raw"


def counts(duckdb_path) -> dict[str, int]:
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        return {
            name: con.execute(f"select count(*) from staging.{name}").fetchone()[0]
            for name in COUNTED
        }


@pytest.fixture(scope="module")
def as_generated(generated, tmp_path_factory):
    path = tmp_path_factory.mktemp("flat") / "audience.duckdb"
    result = run_dbt(["build", "-s", STAGING], generated, path)
    assert result.returncode == 0, result.stdout[-3000:]
    return counts(path)


def built_with_reconciliation(raw, tmp_path):
    """The staging build of `raw` (its reconciliation tests included), which must pass."""
    path = tmp_path / "audience.duckdb"
    result = run_dbt(["build", "-s", STAGING], raw, path)
    assert result.returncode == 0, result.stdout[-3000:]
    return path


def invalid_encoding_keys(path, model: str, key: str) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            f"select {key} from staging.{model} where quarantine_reason = 'invalid_encoding'"
        ).fetchall()
    return [row[0] for row in rows]


def rewritten(generated, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(generated, raw)
    return raw


def test_partitioned_csv_and_json_lines_files_read_as_the_parquet_they_came_from(
    generated, as_generated, tmp_path
):
    raw = rewritten(generated, tmp_path)
    # tracks: one hive partition per day received
    tracks = pq.read_table(raw / "tracks")
    shutil.rmtree(raw / "tracks")
    days = pc.strftime(tracks["received_at"], "%Y-%m-%d")
    for day in sorted(set(days.to_pylist())):
        folder = raw / "tracks" / f"day={day}"
        folder.mkdir(parents=True)
        pq.write_table(tracks.filter(pc.equal(days, day)), folder / "part-0.parquet")
    # contacts: a CSV export with a byte order mark, in a subfolder
    contacts = pq.read_table(raw / "contacts")
    shutil.rmtree(raw / "contacts")
    (raw / "contacts" / "2026").mkdir(parents=True)
    csv = raw / "contacts" / "2026" / "contacts.csv"
    pa_csv.write_csv(contacts, csv)
    csv.write_bytes(b"\xef\xbb\xbf" + csv.read_bytes())
    # pages: half Parquet, half JSON lines
    pages = pq.read_table(raw / "pages")
    shutil.rmtree(raw / "pages")
    (raw / "pages").mkdir()
    half = pages.num_rows // 2
    pq.write_table(pages.slice(0, half), raw / "pages" / "part-0.parquet")
    pages.slice(half).to_pandas().to_json(
        raw / "pages" / "part-1.jsonl", orient="records", lines=True, date_format="iso"
    )
    path = tmp_path / "audience.duckdb"
    result = run_dbt(["build", "-s", STAGING], raw, path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert counts(path) == as_generated
    with duckdb.connect(str(path), read_only=True) as con:
        # the byte order mark did not hide the first column
        assert con.execute(
            "select count(*) from raw.contacts where contact_id is null"
        ).fetchone() == (0,)
        formats = dict(
            con.execute("select format, count(*) from raw.raw_files group by 1").fetchall()
        )
    assert formats["csv"] == 1 and formats["json"] == 1 and formats["parquet"] > 8


@pytest.mark.parametrize(("name", "cut"), [("part-00000.parquet", 0.5), ("events.jsonl", 0.7)])
def test_a_truncated_file_stops_the_run_before_any_model(generated, tmp_path, name, cut):
    raw = rewritten(generated, tmp_path)
    victim = raw / "tracks" / name
    if name.endswith(".jsonl"):
        pq.read_table(raw / "tracks").slice(0, 20).to_pandas().to_json(
            victim, orient="records", lines=True, date_format="iso"
        )
    data = victim.read_bytes()
    victim.write_bytes(data[: int(len(data) * cut)])
    path = tmp_path / "audience.duckdb"
    result = run_dbt(["build", "-s", STAGING], raw, path)
    assert result.returncode != 0
    assert f"Raw file {victim}" in result.stdout and "truncated" in result.stdout
    assert "skip_corrupt_raw_files" in result.stdout
    with duckdb.connect(str(path), read_only=True) as con:
        built = con.execute(
            "select count(*) from information_schema.tables where table_schema = 'staging'"
        ).fetchone()
    assert built == (0,)


def test_a_truncated_file_can_be_skipped_and_is_listed(generated, as_generated, tmp_path, capsys):
    raw = rewritten(generated, tmp_path)
    extra = raw / "tracks" / "late" / "part-99.parquet"
    extra.parent.mkdir()
    shutil.copy(next((raw / "tracks").glob("*.parquet")), extra)
    extra.write_bytes(extra.read_bytes()[:-10])
    path = tmp_path / "audience.duckdb"
    skip = ["--vars", "{skip_corrupt_raw_files: true}"]
    result = run_dbt(["build", "-s", STAGING, *skip], raw, path)
    assert result.returncode == 0, result.stdout[-3000:]
    assert counts(path) == as_generated  # the good files, every row of them
    with duckdb.connect(str(path), read_only=True) as con:
        rejected = con.execute(
            "select file, status, reason from raw.raw_files where status <> 'read'"
        ).fetchall()
    assert rejected == [(str(extra), "rejected", "truncated (no PAR1 marker at its end)")]
    assert main(["summary", "--warehouse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 rejected" in out and f"rejected: {extra}: truncated" in out


def test_a_data_set_of_events_alone_builds_checks_and_syncs(
    generated, tmp_path, capsys, monkeypatch
):
    raw = tmp_path / "raw"
    for table in ("tracks", "pages", "identifies"):
        shutil.copytree(generated / table, raw / table)
    path = tmp_path / "audience.duckdb"
    result = run_dbt(["build"], raw, path)
    assert result.returncode == 0, result.stdout[-5000:]
    now = "2026-10-05T01:00:00"
    assert main(["check", "--warehouse", str(path), "--now", now]) == 0
    with all_platforms(tmp_path, monkeypatch) as (_, config):
        code = main(["sync", "--all", "--warehouse", str(path), "--config", str(config),
                     "--no-progress"])  # fmt: skip
    assert code == 0, capsys.readouterr().out
    assert main(["summary", "--warehouse", str(path)]) == 0
    out = capsys.readouterr().out
    assert "contacts" in out and "absent (empty)" in out
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from analytics.dim_persons").fetchone()[0] > 100
        assert con.execute("select count(*) from staging.stg_crm__orders").fetchone() == (0,)
        # no consent record: every routed member is held back, and the runs succeed
        runs = con.execute(
            "select count(*), sum(added), sum(skipped_consent) from sync.sync_runs "
            "where status = 'success'"
        ).fetchone()
    assert runs[0] >= 2 and runs[1] == 0 and runs[2] > 0


def test_absent_crm_tables_in_the_warehouse_build_empty_staging(generated, tmp_path):
    path = tmp_path / "tables.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema landing")
        for table in ("tracks", "pages", "identifies"):
            con.execute(
                f"create table landing.{table} as "
                f"select * from read_parquet('{generated}/{table}/*')"
            )
    result = run_dbt(
        ["build", "-s", "+staging"],
        generated,
        path,
        extra_env={"AUDIENCE_RAW_FORMAT": "table", "AUDIENCE_RAW_SCHEMA": "landing"},
    )
    assert result.returncode == 0, result.stdout[-3000:]
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("select count(*) from staging.stg_crm__contacts").fetchone() == (0,)
        assert con.execute("select count(*) from staging.stg_segment__tracks").fetchone()[0] > 0


def test_a_value_that_is_not_utf8_quarantines_its_row(generated, as_generated, tmp_path):
    raw = rewritten(generated, tmp_path)
    part = next((raw / "pages").glob("*.parquet"))
    pages = pq.read_table(part)
    titles = pages.column("title").combine_chunks().cast(pa.binary()).to_pylist()
    titles[3] = b"Caf\xe9 latte"  # Latin-1, as a mis-encoded export writes it
    column = pages.schema.get_field_index("title")
    # pyarrow checks UTF-8 when it casts, not when a string array is made from raw buffers
    as_binary = pa.array(titles, pa.binary())
    unchecked = pa.Array.from_buffers(pa.string(), len(titles), as_binary.buffers())
    pq.write_table(pages.set_column(column, "title", unchecked), part)
    path = built_with_reconciliation(raw, tmp_path)
    quarantined = invalid_encoding_keys(path, "base_segment__pages", "message_id")
    with duckdb.connect(str(path), read_only=True) as con:
        flagged = con.execute(
            "select count(*) from raw.raw_files where has_invalid_utf8"
        ).fetchone()
    assert quarantined == [pages.column("id")[3].as_py()]
    assert flagged == (1,)
    clean = counts(path)
    assert clean["stg_segment__pages"] == as_generated["stg_segment__pages"] - 1


def test_a_csv_or_json_line_that_is_not_utf8_quarantines_its_row(generated, as_generated, tmp_path):
    raw = rewritten(generated, tmp_path)
    contacts = pq.read_table(raw / "contacts")
    shutil.rmtree(raw / "contacts")
    (raw / "contacts").mkdir()
    csv = raw / "contacts" / "contacts.csv"
    pa_csv.write_csv(contacts, csv)
    lines = csv.read_bytes().split(b"\n")
    bad_contact = contacts.column("contact_id")[4].as_py()
    assert bad_contact.encode() in lines[5]
    lines[5] = lines[5].replace(
        b",", b",\xff\xfe", 1
    )  # a byte that is never UTF-8, in a quoted export
    csv.write_bytes(b"\n".join(lines))
    pages = pq.read_table(raw / "pages")
    shutil.rmtree(raw / "pages")
    (raw / "pages").mkdir()
    jsonl = raw / "pages" / "pages.jsonl"
    pages.to_pandas().to_json(jsonl, orient="records", lines=True, date_format="iso")
    rows = jsonl.read_bytes().split(b"\n")
    bad_page = pages.column("id")[7].as_py()
    rows[7] = rows[7].replace(b'"title":"', b'"title":"Caf\xe9 ', 1)
    jsonl.write_bytes(b"\n".join(rows))
    path = built_with_reconciliation(raw, tmp_path)
    quarantined = invalid_encoding_keys(path, "base_segment__pages", "message_id")
    contact = invalid_encoding_keys(path, "base_crm__contacts", "contact_id")
    with duckdb.connect(str(path), read_only=True) as con:
        lines_kept = con.execute("select count(*) from raw.raw_invalid_lines").fetchone()
    assert quarantined == [bad_page] and contact == [bad_contact]
    assert lines_kept == (2,)
    clean = counts(path)
    assert clean["stg_segment__pages"] == as_generated["stg_segment__pages"] - 1
    assert clean["stg_crm__contacts"] <= as_generated["stg_crm__contacts"]


@pytest.mark.parametrize(
    ("name", "damage", "reason"),
    [
        (
            "contacts.csv",
            b"1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22\n",
            "line 3: too many columns",
        ),
        ("contacts.jsonl", b'{"contact_id": "C1"\n', "line 3: not a JSON object"),
    ],
)
def test_a_line_that_cannot_be_read_stops_the_run_naming_it(
    generated, tmp_path, name, damage, reason
):
    raw = rewritten(generated, tmp_path)
    contacts = pq.read_table(raw / "contacts").slice(0, 5)
    shutil.rmtree(raw / "contacts")
    (raw / "contacts").mkdir()
    victim = raw / "contacts" / name
    if name.endswith(".csv"):
        pa_csv.write_csv(contacts, victim)
    else:
        contacts.to_pandas().to_json(victim, orient="records", lines=True)
    lines = victim.read_bytes().splitlines(keepends=True)
    victim.write_bytes(b"".join([*lines[:2], damage, *lines[2:]]))
    result = run_dbt(["build", "-s", STAGING], raw, tmp_path / "audience.duckdb")
    assert result.returncode != 0
    assert f"Raw file {victim}" in result.stdout and reason in result.stdout
