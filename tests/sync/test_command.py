"""`audience sync`: the quality gate, --all, the summary table and configuration errors."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.cli import main
from tests.sync.conftest import CONNECTIONS, SEGMENT, person, sync_args, write_config


@pytest.fixture
def routed(warehouse):
    """Two segments routed to the webhook, as int_segment_destinations_counted says."""
    warehouse.set_members("webhook", [person(i) for i in range(30)])
    warehouse.set_members("webhook", [person(i) for i in range(20, 45)], segment="loyal_customers")
    with duckdb.connect(str(warehouse.path)) as con:
        con.execute("create schema intermediate")
        con.execute(
            "create table intermediate.int_segment_destinations_counted as "
            "select * from (values (?, 'webhook', 40, 4, 5, 30), "
            "('loyal_customers', 'webhook', 25, 0, 0, 25)) "
            "as t (segment_name, destination, member_count, holdout_count, without_consent_count, "
            "routed_count)",
            [SEGMENT],
        )
    return warehouse


@pytest.fixture
def config(tmp_path, connect):
    platform = connect("webhook")
    path = write_config(
        tmp_path / "cli.yml", {"webhook": CONNECTIONS["webhook"] | {"base_url": platform.fake.url}}
    )
    return path, platform


def sync(warehouse, config_path, *args: str) -> int:
    return main(sync_args(warehouse, config_path, *args))


def test_sync_all_prints_a_summary_with_the_skipped_counts(routed, config, capsys):
    path, platform = config
    assert sync(routed, path, "--all") == 0
    out = capsys.readouterr().out
    header, first, second = out.splitlines()[:3]
    assert header.split()[:4] == ["segment", "destination", "mode", "status"]
    assert first.split()[:8] == [SEGMENT, "webhook", "mirror", "success", "30", "0", "0", "0"]
    assert first.split()[10:13] == ["5", "4", "0"]  # no consent, holdout, erased
    assert second.split()[:5] == ["loyal_customers", "webhook", "mirror", "success", "25"]
    assert platform.fake.members(SEGMENT) == {f"p{i:07d}" for i in range(30)}


def test_a_failed_exports_check_refuses_the_sync(routed, config, capsys):
    path, platform = config
    routed.record_check(passed=False)
    assert sync(routed, path, "--segment", SEGMENT) == 1
    assert "refused: the latest exports check" in capsys.readouterr().out
    assert platform.fake.requests == []
    # a dry run still reports, and sends nothing
    assert sync(routed, path, "--segment", SEGMENT, "--dry-run") == 0
    assert platform.fake.requests == []
    routed.record_check(passed=True)
    assert sync(routed, path, "--segment", SEGMENT, "--destination", "webhook") == 0
    assert len(platform.fake.members(SEGMENT)) == 30


def test_a_segment_no_longer_routed_is_emptied(routed, config):
    path, platform = config
    sync(routed, path, "--all")
    with duckdb.connect(str(routed.path)) as con:
        con.execute(
            "delete from intermediate.int_segment_destinations_counted "
            "where segment_name = 'loyal_customers'"
        )
        con.execute("delete from exports.exp_webhook where segment_name = 'loyal_customers'")
    assert sync(routed, path, "--all") == 0
    assert platform.fake.members("loyal_customers") == set()


def test_bad_configuration_exits_2_naming_the_field(routed, tmp_path, capsys):
    path = write_config(
        tmp_path / "bad.yml", {"webhook": {"base_url": "http://127.0.0.1:9", "mode": "sometimes"}}
    )
    assert sync(routed, path, "--all") == 2
    assert "destinations.webhook.mode: expected one of" in capsys.readouterr().out


def test_a_failed_run_exits_1(routed, config, monkeypatch, capsys):
    path, _ = config
    monkeypatch.setenv("WEBHOOK_SECRET", "not-the-secret")
    assert sync(routed, path, "--segment", SEGMENT) == 1
    out = capsys.readouterr().out
    assert "answered 401" in out and "not-the-secret" not in out
