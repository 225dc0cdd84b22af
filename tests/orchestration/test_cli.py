"""The `audience` command's errors help: unknown names list the valid ones, every subcommand and
argument has help, errors name the flag or variable a value came from, in real characters."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from orchestration.cli import build_parser, main
from orchestration.warehouse import DEFAULT_DUCKDB_PATH
from tests.support import PROJECT_DIR
from tests.sync.conftest import SEGMENT, Warehouse, person
from tests.sync.platforms import write_config

AUDIENCE = Path(sys.executable).with_name("audience")


@pytest.fixture
def routed(tmp_path: Path) -> Warehouse:
    """A small warehouse routing churn_risk to the files destination, its exports checked."""
    warehouse = Warehouse(tmp_path / "audience.duckdb")
    warehouse.record_check(passed=True)
    warehouse.set_members("files", [person(i) for i in range(5)])
    warehouse.route("files")
    return warehouse


@pytest.fixture
def config(tmp_path: Path) -> Path:
    files = {"base_url": str(tmp_path / "files"), "options": {"format": "csv"}}
    return write_config(tmp_path / "sync.yml", {"files": files})


def sync(warehouse: Warehouse, config: Path, *args: str) -> int:
    return main(["sync", "--warehouse", str(warehouse.path), "--config", str(config),
                 "--no-progress", "--dry-run", *args])  # fmt: skip


def test_the_model_name_of_a_segment_is_accepted(routed, config, capsys):
    assert sync(routed, config, "--segment", f"segment_{SEGMENT}") == 0
    out = capsys.readouterr().out
    assert "nothing to sync" not in out
    assert out.splitlines()[1].split()[:2] == [SEGMENT, "files"]


def test_an_unknown_segment_exits_2_listing_the_valid_names(routed, config, capsys):
    assert sync(routed, config, "--segment", "segment_churn_rsik") == 2
    out = capsys.readouterr().out
    assert "--segment: no segment named 'segment_churn_rsik'; did you mean churn_risk?" in out
    # the project's definitions, not only what the warehouse routes
    assert "loyal_customers" in out and "rfm_champions" in out


def test_an_unknown_destination_exits_2_listing_the_valid_names(routed, config, capsys):
    assert sync(routed, config, "--segment", SEGMENT, "--destination", "klavyio") == 2
    out = capsys.readouterr().out
    assert "--destination: no destination named 'klavyio'; did you mean klaviyo?" in out
    assert "meta_ads" in out and "webhook" in out


def test_an_unknown_suite_names_the_flag(capsys):
    assert main(["check", "--suite", "mart"]) == 2
    assert "--suite: no suite named 'mart'; did you mean marts?" in capsys.readouterr().out


def subcommands() -> dict[str, tuple[str | None, argparse.ArgumentParser]]:
    """Each subcommand's one-line help (as the top-level --help lists it) and its parser."""
    (action,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    return {name: (helps.get(name), parser) for name, parser in action.choices.items()}


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_subcommand_and_argument_has_help(name: str):
    line, parser = subcommands()[name]
    assert line, f"{name} has no one-line help"
    assert parser.description, f"{name} --help shows no description"
    undocumented = [a.dest for a in parser._actions if not a.help]
    assert not undocumented, f"{name}: arguments without help: {undocumented}"


def test_a_missing_warehouse_given_by_flag_names_the_flag(tmp_path, capsys):
    missing = tmp_path / "no-such.duckdb"
    assert main(["summary", "--warehouse", str(missing)]) == 1
    err = capsys.readouterr().err
    assert f"No warehouse at {missing} (from --warehouse)" in err
    assert "AUDIENCE_DUCKDB_PATH" not in err
    assert not missing.exists()


def test_a_missing_warehouse_from_the_environment_names_the_variable(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "no-such.duckdb"
    monkeypatch.setenv("AUDIENCE_DUCKDB_PATH", str(missing))
    assert main(["summary"]) == 1
    err = capsys.readouterr().err
    assert f"No warehouse at {missing} (from environment variable AUDIENCE_DUCKDB_PATH)" in err
    assert "--warehouse" not in err


def test_a_missing_warehouse_by_default_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("AUDIENCE_DUCKDB_PATH", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["summary"]) == 1
    assert (
        f"No warehouse at {DEFAULT_DUCKDB_PATH} (from the default, as neither --warehouse nor "
        "AUDIENCE_DUCKDB_PATH is set)" in capsys.readouterr().err
    )


def test_the_sync_configuration_and_check_time_name_their_origin(routed, monkeypatch, capsys):
    monkeypatch.setenv("AUDIENCE_SYNC_CONFIG", "/no/such/sync.yml")
    assert main(["sync", "--warehouse", str(routed.path), "--all"]) == 2
    assert "(from environment variable AUDIENCE_SYNC_CONFIG)" in capsys.readouterr().out
    monkeypatch.setenv("AUDIENCE_CHECK_NOW", "yesterday")
    assert main(["check", "--warehouse", str(routed.path)]) == 2
    assert "environment variable AUDIENCE_CHECK_NOW: expected an ISO timestamp" in (
        capsys.readouterr().out
    )
    assert main(["check", "--warehouse", str(routed.path), "--now", "soon"]) == 2
    assert "--now: expected an ISO timestamp (UTC), got 'soon'" in capsys.readouterr().out


def test_a_segment_error_prints_real_characters(tmp_path):
    """In its own process, as a user sees it: no \\u escapes for > or accented letters."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT_DIR / "models", project / "models")
    shutil.copytree(PROJECT_DIR / "macros" / "segments", project / "macros" / "segments")
    shutil.copytree(PROJECT_DIR / "seeds", project / "seeds")
    family = project / "models" / "activation" / "segments" / "test"
    family.mkdir()
    (family / "segment_adults.sql").write_text("{{ audience.segment_members() }}\n")
    rule = {"column": {"name": "age", "op": "is_null", "value": "> 18 ans, zoë"}}
    segment = {"label": "Adults", "owner": "crm", "rule": rule}
    models = [{"name": "segment_adults", "config": {"meta": {"segment": segment}}}]
    (family / "_test__segments.yml").write_text(yaml.safe_dump({"version": 2, "models": models}))
    result = subprocess.run(
        [str(AUDIENCE), "check-segments", "--project-dir", str(project)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 1, result.stdout
    assert 'expected no value with op is_null, got "> 18 ans, zoë"' in result.stdout
    assert "\\u" not in result.stdout


def test_check_segments_names_a_project_dir_without_segments(tmp_path, capsys):
    assert main(["check-segments", "--project-dir", str(tmp_path)]) == 2
    assert (
        f"--project-dir: no models/activation/segments/ under {tmp_path}" in capsys.readouterr().out
    )
