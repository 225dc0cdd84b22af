"""Right to erasure end to end: people are synced to fake platforms, deletion requests for some
of them arrive (by email, phone, user id and anonymous id), the warehouse is refreshed and the
audiences synced again, then rebuilt from the raw files (which still hold the people) with
`--full-refresh`. No table of any schema but raw holds their identifiers, person ids or the
hashes platforms were sent, the erasure list keeps salted hashes only, and no platform holds them,
whatever the destination's sync mode."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil

import duckdb
import pandas as pd
import pytest

from orchestration.cli import main
from orchestration.sync.config import load_config
from orchestration.sync.destinations import build_destination
from orchestration.sync.destinations.base import InvalidMember
from orchestration.sync.engine import read_members, run_sync
from orchestration.warehouse import connect_file
from tests.support import BuiltWarehouse, run_dbt
from tests.sync.fakes import FakePlatform
from tests.sync.platforms import all_platforms

pytestmark = pytest.mark.slow

ACTOR = "dpo-test"
# mailchimp syncs in upsert mode, which never removes a member who just left a segment
MODES = {"meta_ads": "mirror", "mailchimp": "upsert"}
SUBJECTS = [("meta_ads", "email"), ("meta_ads", "phone"), ("mailchimp", "user_id"),
            ("mailchimp", "anonymous_id")]  # fmt: skip


def victims(con) -> pd.DataFrame:
    """One person per (destination, subject type) of SUBJECTS: exported to the destination and
    holding an identifier of that type; with the request's subject value."""
    chosen = []
    for destination, subject_type in SUBJECTS:
        row = con.execute(
            f"""
            select i.person_id, min(i.identifier_value) as subject_value
            from pii.dim_identities as i
            inner join exports.exp_{destination} as e on i.person_id = e.person_id
            where i.identifier_type = ? and e.email is not null
                and i.person_id not in (select unnest(?::varchar[]))
            group by i.person_id
            order by i.person_id
            limit 1
            """,
            [subject_type, [c["person_id"] for c in chosen]],
        ).fetchone()
        assert row, f"no {subject_type} of a person exported to {destination}"
        chosen.append({"person_id": row[0], "subject_type": subject_type, "subject_value": row[1]})
    return pd.DataFrame(chosen)


def traces(con, person_ids: list[str]) -> set[str]:
    """What must be gone: the persons' ids, every identifier of theirs, the SHA-256 platforms
    get of emails and phones, Mailchimp's MD5 subscriber hash, and the salted hashes of their
    identifier keys."""
    identifiers = con.execute(
        "select identifier_key, identifier_type, identifier_value from pii.dim_identities "
        "where person_id in (select unnest(?::varchar[]))",
        [person_ids],
    ).fetchall()
    salt = os.environ["AUDIENCE_PII_SALT"]
    found = set(person_ids)
    for key, kind, value in identifiers:
        found |= {value, hashlib.sha256(f"{salt}{key}".encode()).hexdigest()}
        if kind == "email":
            found |= {
                hashlib.sha256(value.encode()).hexdigest(),
                hashlib.md5(value.encode()).hexdigest(),
            }
        if kind == "phone":
            found.add(hashlib.sha256(value.lstrip("+").encode()).hexdigest())
    return found


# The erasure list's salted hashes are its purpose; the lookup API's copy of it keeps erased
# persons out of its answers until a build has removed them.
ERASURE_LISTS = {
    ("pii", "int_identifiers_erased", "identifier_hash"),
    ("serving", "api_erased_identifiers", "identifier_hash"),
}


def where_found(path, needles: set[str]) -> list[str]:
    """schema.table.column of every text value (outside raw) containing a needle, the erasure
    lists apart."""
    hits = []
    with duckdb.connect(str(path), read_only=True) as con:
        con.execute(
            "create temp table needles as select unnest(?::varchar[]) as needle", [sorted(needles)]
        )
        columns = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where table_schema not in ('raw', 'information_schema', 'pg_catalog') "
            "and table_catalog = current_database() and data_type = 'VARCHAR' "
            "order by all"
        ).fetchall()
        for schema, table, column in columns:
            if (schema, table, column) in ERASURE_LISTS:
                continue
            hit = con.execute(
                f'select n.needle from "{schema}"."{table}" as t, needles as n '
                f'where contains(t."{column}", n.needle) limit 1'
            ).fetchone()
            if hit:
                hits.append(f"{schema}.{table}.{column}: {hit[0]}")
    return hits


def sync_everything(con, config, destination_names) -> dict:
    """Every routed segment of each destination; the fake's keys of each member sent."""
    keys = {}
    for name in destination_names:
        destination = build_destination(config[name])
        segments = [
            row[0]
            for row in con.execute(
                "select segment_name from intermediate.int_segment_destinations_counted "
                "where destination = ? and routed_count > 0",
                [name],
            ).fetchall()
        ]
        for segment in segments:
            for member in read_members(con, name, segment):
                with contextlib.suppress(InvalidMember):
                    prepared = destination.prepare(member)
                    keys.setdefault(name, {})[prepared.person_id] = prepared
            run = run_sync(con, destination, segment)
            assert run.status == "success", run.error
    return keys


def held(con, running: dict[str, FakePlatform], name: str) -> set:
    """Every member the fake holds in the audiences the sync created for the destination."""
    audiences = con.execute(
        "select audience_id from sync.sync_audiences where destination = ?", [name]
    ).fetchall()
    return set().union(*(running[name].members(row[0]) for row in audiences))


@pytest.fixture(scope="module")
def erased(defective_warehouse: BuiltWarehouse, tmp_path_factory):
    folder = tmp_path_factory.mktemp("erasure")
    raw = folder / "raw"
    shutil.copytree(defective_warehouse.data_dir / "raw", raw)
    path = folder / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, path)
    with (
        pytest.MonkeyPatch.context() as patch,
        all_platforms(folder, patch) as (running, config_path),
    ):
        patch.setenv("AUDIENCE_ACTOR", ACTOR)
        config = load_config(config_path)
        for name, mode in MODES.items():
            config[name] = dataclasses.replace(config[name], mode=mode)
        with connect_file(path) as con:
            people = victims(con)
            needles = traces(con, people["person_id"].tolist())
            sent = sync_everything(con, config, MODES)
            before = {name: held(con, running, name) for name in MODES}
        expected = {
            name: {
                key
                for pid, p in members.items()
                if pid in set(people["person_id"])
                for key in type(running[name]).expected_keys(p)
            }
            for name, members in sent.items()
        }

        requests = people.assign(
            request_id=[f"DSR-TEST-{i}" for i in range(len(people))],
            requested_at="2026-11-01T00:00:00Z",
        )[["request_id", "subject_type", "subject_value", "requested_at"]]
        requests.to_parquet(raw / "deletion_requests" / "part-test.parquet", index=False)
        refreshed = run_dbt(["build"], raw, path)
        with connect_file(path) as con:
            sync_everything(con, config, MODES)
            runs = con.execute(
                "select destination, sum(erased) from sync.sync_runs group by destination"
            ).fetchall()
            after = {name: held(con, running, name) for name in MODES}
        rebuilt = run_dbt(["build", "--full-refresh"], raw, path)
        report = folder / "privacy.md"
        reported = main(
            ["privacy-report", "--warehouse", str(path), "--out", str(report), "--manifest",
             str(folder / "target" / "manifest.json")]
        )  # fmt: skip
        yield {
            "path": path,
            "people": people,
            "needles": needles,
            "expected": expected,
            "before": before,
            "after": after,
            "erased_runs": dict(runs),
            "builds": (refreshed, rebuilt),
            "report": (reported, report.read_text() if report.exists() else ""),
        }


def test_the_refresh_and_the_full_rebuild_pass_every_test(erased):
    for build in erased["builds"]:
        assert build.returncode == 0, build.stdout[-5000:] + build.stderr[-3000:]


def test_no_table_holds_an_identifier_id_or_hash_of_an_erased_person(erased):
    assert len(erased["needles"]) > 5 * len(erased["people"])
    assert where_found(erased["path"], erased["needles"]) == []


def test_the_scan_finds_the_people_who_were_not_erased(erased):
    with duckdb.connect(str(erased["path"]), read_only=True) as con:
        others = con.execute(
            "select person_id from pii.dim_identities where identifier_type = 'email' "
            "order by person_id limit 2"
        ).fetchall()
        needles = traces(con, [row[0] for row in others])
    assert any(
        hit.startswith("analytics.dim_persons.person_id")
        for hit in where_found(erased["path"], needles)
    )


def test_platforms_no_longer_hold_them_whatever_the_mode(erased):
    for name in MODES:
        victims_sent = erased["expected"][name]
        assert victims_sent and victims_sent <= erased["before"][name], name
        assert not victims_sent & erased["after"][name], name
        assert erased["after"][name], f"{name} lost everybody"
    assert erased["erased_runs"]["mailchimp"] >= 1  # upsert mode removed them too


def test_the_erasure_list_and_purge_log_record_what_was_done(erased):
    with duckdb.connect(str(erased["path"]), read_only=True) as con:
        listed = con.execute(
            "select count(distinct request_id), count(*), count(purged_at) "
            "from pii.int_identifiers_erased where request_id like 'DSR-TEST-%'"
        ).fetchone()
        purged = dict(
            con.execute(
                "select relation_name, sum(rows_deleted) from pii.deletion_log "
                "where reason = 'erasure' group by all"
            ).fetchall()
        )
    requests, identifiers, purged_count = listed
    assert requests == len(erased["people"]) and identifiers > requests
    assert purged_count == identifiers
    assert purged["staging.base_segment__tracks"] > 0
    assert purged["analytics.fct_segment_membership_history"] > 0


def test_the_audit_log_lists_the_exports_the_requests_and_the_purges(erased):
    with duckdb.connect(str(erased["path"]), read_only=True) as con:
        log = con.execute(
            "select event_type, actor, subject, status, row_count from analytics.fct_audit_log"
        ).df()
    exports = log[log["event_type"] == "export"]
    assert set(exports["actor"]) == {ACTOR}
    assert {s.split(" -> ")[1] for s in exports["subject"]} == set(MODES)
    requests = log[log["subject"].str.startswith("DSR-TEST-")]
    assert set(requests["event_type"]) == {"deletion_request"}
    assert len(requests) == len(erased["people"]) and set(requests["status"]) == {"purged"}
    purges = log[log["event_type"] == "erasure_purge"]
    assert "analytics.fct_segment_membership_history" in set(purges["subject"])
    assert (purges["row_count"] >= 0).all() and purges["row_count"].sum() > 0


def test_the_privacy_report_lists_pii_consent_and_deletions(erased):
    returncode, report = erased["report"]
    assert returncode == 0
    assert "| pii | dim_identities | identifier_value | identifier | yes |" in report
    assert "| exports | exp_meta_ads | email | email | yes |" in report
    assert "| NO |" not in report  # no tagged column outside the restricted schemas
    assert "| analytics |" in report.split("## Consent coverage")[1]
    assert "| requests awaiting their purge | 0 |" in report
    assert "| erasure | analytics.fct_segment_membership_history |" in report
