"""The quality gates on generated data: every suite passes (no blocking failure) on the built
warehouse; deliberately broken data fails exactly the expectations that guard against it; and a
blocking failure stops `audience refresh` before the exports are built."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.quality.runner import run_suites
from orchestration.quality.suites import load_suites
from tests.e2e.refresh_runs import copy_of, data_time, refresh
from tests.support import DEFECT_WARNINGS


def failed(run) -> set[tuple[str, str, str]]:
    return {(r.check.suite, r.check.table, r.check.column) for r in run.results if not r.is_success}


def test_every_suite_passes_on_generated_data(defective_warehouse, tmp_path):
    path = copy_of(defective_warehouse, tmp_path)
    suites = load_suites()
    run = run_suites(path, suites, data_time(path), data_docs_dir=tmp_path / "docs")
    assert run.is_success, [r.describe() for r in run.blocking_failures]
    assert failed(run) == DEFECT_WARNINGS
    assert len(run.results) == sum(len(suite.checks) for suite in suites)
    with duckdb.connect(str(path), read_only=True) as con:
        stored = con.execute(
            "select count(*) from quality.check_results where run_id = ?", [run.run_id]
        ).fetchall()[0][0]
        reasons = con.execute(
            "select count(*) from quality.check_results where run_id = ? "
            "and column_name = 'lost_share[segment.tracks rejected malformed_properties]' "
            "and not is_success",
            [run.run_id],
        ).fetchall()[0][0]
    assert stored == len(run.results) + len(run.groups)
    assert reasons == 1, "each reason's share is kept, for the next run's drift"
    assert (tmp_path / "docs/gx/uncommitted/data_docs/local_site/index.html").exists()


BREAKAGES = {
    ("raw", "raw.consents", "column_and_type"): [
        "create table consents_renamed as"
        " select * rename (status as consent_status) from raw.consents",
        "drop view raw.consents",
        "create table raw.consents as from consents_renamed",
    ],
    ("staging", "staging.stg_crm__contacts", "invalid_phones"): [
        "create table contacts_copy as from staging.stg_crm__contacts",
        "drop view staging.stg_crm__contacts",
        "create table staging.stg_crm__contacts as from contacts_copy",
        "update staging.stg_crm__contacts set phone = '555-0100'"
        " where contact_id = (select min(contact_id) from staging.stg_crm__contacts)",
    ],
    ("marts", "analytics.dim_persons", "duplicate_person_ids"): [
        "insert into analytics.dim_persons from analytics.dim_persons limit 1",
    ],
    ("marts", "analytics.dim_persons", "mean_engagement_change_share"): [
        "update analytics.dim_persons set engagement_score = engagement_score // 2",
    ],
    ("exports", "exports.exp_meta_ads", "unnormalized_emails"): [
        "update exports.exp_meta_ads set email = ' Someone@Example.com'"
        " where person_id = (select min(person_id) from exports.exp_meta_ads)",
    ],
    ("exports", "exports.exp_klaviyo", "holdout_or_former_members"): [
        """insert into exports.exp_klaviyo
        select 'budget_buyers', privacy.person_id, 'former@example.com',
            null, null, null, null, null
        from intermediate.int_persons_privacy_evaluated as privacy
        where privacy.is_email_marketing_consented
            and privacy.person_id not in (
                select person_id from analytics.fct_segment_memberships
                where segment_name = 'budget_buyers'
            )
        order by privacy.person_id
        limit 1""",
    ],
}


def test_broken_data_fails_exactly_the_expectations_guarding_it(defective_warehouse, tmp_path):
    path = copy_of(defective_warehouse, tmp_path)
    suites = load_suites()
    now = data_time(path)
    assert run_suites(path, suites, now).is_success  # stores the values drift is measured from
    with duckdb.connect(str(path)) as con:
        for statements in BREAKAGES.values():
            for statement in statements:
                con.execute(statement)
    run = run_suites(path, suites, now)
    assert failed(run) == DEFECT_WARNINGS | set(BREAKAGES)
    assert not run.is_success
    drift = [r for r in run.results if r.check.column == "mean_engagement_change_share"]
    assert not drift[0].check.is_blocking, "drift warns, it does not block"


def export_exists(path: Path) -> bool:
    with duckdb.connect(str(path), read_only=True) as con:
        return bool(
            con.execute(
                "select count(*) from information_schema.tables"
                " where table_schema = 'exports' and table_name = 'exp_meta_ads'"
            ).fetchall()[0][0]
        )


def test_a_blocking_failure_stops_the_exports(defective_warehouse, tmp_path):
    path = copy_of(defective_warehouse, tmp_path)
    now = data_time(path)
    with duckdb.connect(str(path)) as con:
        con.execute("drop table exports.exp_meta_ads")
        con.execute("insert into analytics.dim_persons from analytics.dim_persons limit 1")
    result = refresh(defective_warehouse, path, now)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "BLOCKING: analytics.dim_persons: expect_column_values_to_be_between(duplicate_person_ids)"
        " failed: observed 1" in result.stdout
    )
    assert "exports not built, nothing published" in result.stdout
    assert not export_exists(path), "the export ran despite a duplicated person"
    assert not (tmp_path / "published").exists(), "readers got a copy with a duplicated person"

    with duckdb.connect(str(path)) as con:
        con.execute(
            "create or replace table analytics.dim_persons as"
            " select distinct * from analytics.dim_persons"
        )
    result = refresh(defective_warehouse, path, now)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "refresh complete: exports built and checked" in result.stdout
    assert export_exists(path)
    assert (tmp_path / "published" / "current" / "audience.duckdb").is_file()
