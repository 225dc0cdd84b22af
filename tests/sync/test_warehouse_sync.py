"""The dbt-built exports synced to fake platforms: each audience ends up exactly the current,
non-holdout members with consent for the destination's purpose and an
identifier, as recomputed here from the marts."""

from __future__ import annotations

import contextlib
import shutil

import pytest

from orchestration.quality.runner import run_suites
from orchestration.quality.suites import load_suites
from orchestration.sync.destinations.base import InvalidMember
from orchestration.sync.engine import read_members, run_sync
from orchestration.sync.state import SyncStore
from orchestration.warehouse import connect_file

PURPOSES = {"meta_ads": "ads_personalization", "klaviyo": "email_marketing"}


def eligible(con, destination: str) -> set[tuple[str, str]]:
    purpose = PURPOSES[destination]
    rows = con.execute(
        f"""
        select m.segment_name, m.person_id
        from analytics.fct_segment_memberships as m
        inner join analytics.dim_segments as s
            on m.segment_name = s.segment_name
            and s.is_exportable
            and list_contains(string_split(s.destinations, ','), ?)
        inner join intermediate.int_persons_privacy_evaluated as p on m.person_id = p.person_id
        where not m.is_holdout
            and p.is_{purpose}_consented
            and m.person_id in (
                select person_id from pii.dim_identities where identifier_type in ('email', 'phone')
            )
        """,
        [destination],
    ).fetchall()
    return set(rows)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["meta_ads", "klaviyo"])
def test_platform_audiences_are_the_eligible_members(name, defective_warehouse, tmp_path, connect):
    path = tmp_path / "audience.duckdb"
    shutil.copy(defective_warehouse.duckdb_path, path)
    assert run_suites(path, load_suites(names=["exports"])).is_success
    platform = connect(name)
    destination = platform.destination()
    with connect_file(path) as con:
        expected_members = eligible(con, name)
        segments = sorted({segment for segment, _ in expected_members})
        assert len(segments) >= 3
        exported = set(
            con.execute(f"select segment_name, person_id from exports.exp_{name}").fetchall()
        )
        assert exported == expected_members
        for segment in segments:
            run = run_sync(con, destination, segment)
            assert run.status == "success", run.error
            members = read_members(con, name, segment)
            prepared = []
            for member in members:
                with contextlib.suppress(InvalidMember):
                    prepared.append(destination.prepare(member))
            held = platform.fake.members(SyncStore(con, segment, name).audience_id())
            assert held == {k for p in prepared for k in type(platform.fake).expected_keys(p)}
            assert (run.added, run.invalid) == (len(prepared), len(members) - len(prepared))
