"""Which dbt target the Python side connects to, read from profiles.yml as dbt reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.warehouse import TargetInvalid, active_target

PROFILES = """
audience:
  target: "{{ env_var('AUDIENCE_TARGET', 'dev') }}"
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('AUDIENCE_DUCKDB_PATH', 'data/demo/audience.duckdb') }}"
      threads: "{{ env_var('AUDIENCE_THREADS', '2') | int }}"
    spark:
      type: spark
      method: session
      server_side_parameters:
        spark.master: "local[{{ env_var('AUDIENCE_THREADS', '2') }}]"
    snowflake:
      type: snowflake
      account: "{{ env_var('SNOWFLAKE_ACCOUNT') }}"
"""


@pytest.fixture
def profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("AUDIENCE_TARGET", "DBT_TARGET", "AUDIENCE_DUCKDB_PATH", "AUDIENCE_THREADS"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "profiles.yml"
    path.write_text(PROFILES)
    return path


def test_the_profile_target_is_rendered_with_its_defaults(profiles: Path) -> None:
    target = active_target(profiles)
    assert (target.name, target.type) == ("dev", "duckdb")
    assert target.settings["path"] == "data/demo/audience.duckdb"


def test_environment_variables_choose_the_target_and_fill_its_settings(
    profiles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIENCE_TARGET", "spark")
    monkeypatch.setenv("AUDIENCE_THREADS", "8")
    target = active_target(profiles)
    assert (target.name, target.type) == ("spark", "spark")
    assert target.settings["server_side_parameters"] == {"spark.master": "local[8]"}


def test_dbt_target_overrides_the_profile_as_on_dbt_s_command_line(
    profiles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIENCE_TARGET", "dev")
    monkeypatch.setenv("DBT_TARGET", "spark")
    assert active_target(profiles).name == "spark"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("snowflake", "SNOWFLAKE_ACCOUNT is not set"),
        ("nowhere", "has no field 'nowhere'"),
    ],
)
def test_a_target_the_python_side_cannot_use_is_named_with_the_file(
    profiles: Path, monkeypatch: pytest.MonkeyPatch, target: str, message: str
) -> None:
    monkeypatch.setenv("AUDIENCE_TARGET", target)
    with pytest.raises(TargetInvalid, match=message) as raised:
        active_target(profiles)
    assert str(profiles) in str(raised.value)


def test_an_engine_the_python_side_does_not_reach_is_refused_by_name(
    profiles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUDIENCE_TARGET", "snowflake")
    monkeypatch.setenv("SNOWFLAKE_ACCOUNT", "acme")
    with pytest.raises(TargetInvalid, match=r"outputs\.snowflake\.type is 'snowflake'"):
        active_target(profiles)


def test_a_missing_profiles_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(TargetInvalid, match=r"profiles\.yml"):
        active_target(tmp_path / "profiles.yml")
