"""Adding a destination as the README describes (Reverse-ETL syncs, Adding a destination), in a
copy of the project: one module in orchestration/sync/destinations/ and one entry in
destinations.yml; `python -m orchestration.sync.destinations` writes its seed row, export model
and contract; a segment lists it; `dbt build` builds its export; `audience check` checks it
with the other exports; `audience sync` sends it to the platform (a fake on 127.0.0.1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.support import copy_project, generate_data, run_dbt
from tests.sync.fakes import FakeWebhook

pytestmark = pytest.mark.slow

MODULE = '''\
"""Dummy: the webhook's signed JSON batches, for a platform that takes them by email."""

from orchestration.sync.destinations.webhook import Webhook


class Dummy(Webhook):
    platform = "Dummy audiences"
    consent_purpose = "email_marketing"
    identifiers = ("email",)
    description = "Signed JSON batches of adds and removes, members named by person id"
    batch_size = 3
'''
ENTRY = """\
  dummy:
    base_url: https://dummy.example.invalid/audiences
    credentials: {signing_secret: DUMMY_SIGNING_SECRET}
"""
SEGMENTS = Path("models/activation/segments/behaviour/_behaviour__segments.yml")
LISTED = "destinations: [klaviyo, meta_ads, webhook]"  # cart_abandoners
# what the exports suite and the sync read (every export, the routing counts), and upstream
BUILT = ["+tag:export"]


def in_copy(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """A command run in the copy, its Python package (with the new module) first on the path."""
    return subprocess.run(
        [*args],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project), **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_destination_added_as_one_module_and_one_entry_builds_and_syncs(tmp_path):
    project = copy_project(tmp_path / "project")

    # the two things a new destination takes
    (project / "orchestration/sync/destinations/dummy.py").write_text(MODULE)
    config = project / "orchestration/sync/destinations.yml"
    config.write_text(config.read_text() + ENTRY)

    written = in_copy(project, sys.executable, "-m", "orchestration.sync.destinations")
    assert written.returncode == 0, written.stderr
    assert written.stdout.split() == [
        "wrote", "seeds/destinations.csv",
        "wrote", "models/activation/exports/_exports__models.yml",
        "wrote", "models/activation/exports/_exports__exposures.yml",
        "wrote", "models/activation/exports/exp_dummy.sql",
    ]  # fmt: skip
    checked = in_copy(project, sys.executable, "-m", "orchestration.sync.destinations", "--check")
    assert checked.returncode == 0, checked.stderr

    # a segment sends to it
    segments = (project / SEGMENTS).read_text()
    assert segments.count(LISTED) == 1
    (project / SEGMENTS).write_text(segments.replace(LISTED, LISTED[:-1] + ", dummy]"))

    data = tmp_path / "data"
    generate_data(data, users=600, days=14, seed=3)
    warehouse = data / "audience.duckdb"
    built = run_dbt(
        ["build", "--select", *BUILT, "--exclude-resource-type", "test", "unit_test"],
        data / "raw",
        warehouse,
        project_dir=project,
    )
    assert built.returncode == 0, built.stdout[-5000:] + built.stderr[-3000:]
    tested = run_dbt(
        ["test", "--select", "exp_dummy", "destinations", "segment_destinations_are_known"],
        data / "raw",
        warehouse,
        project_dir=project,
    )
    assert tested.returncode == 0, tested.stdout[-5000:] + tested.stderr[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        exported = {
            person
            for (person,) in con.execute(
                "select person_id from exports.exp_dummy where segment_name = 'cart_abandoners'"
            ).fetchall()
        }
        (purpose,) = con.execute(
            "select consent_purpose from reference.destinations where destination = 'dummy'"
        ).fetchone()
    assert exported, "nobody to send: the data set is too small for cart_abandoners"
    assert purpose == "email_marketing"

    # the exports quality suite checks the new export (the sync refuses without a passed check)
    audience = str(Path(sys.executable).with_name("audience"))
    quality = in_copy(
        project, audience, "check", "--suite", "exports", "--warehouse", str(warehouse)
    )
    assert quality.returncode == 0, quality.stdout + quality.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        outcomes = con.execute(
            "select bool_and(is_success), count(*) from quality.check_results "
            "where suite = 'exports' and table_name = 'exports.exp_dummy'"
        ).fetchone()
    assert outcomes[0] and outcomes[1] > 0, "the exports suite did not check exports.exp_dummy"

    with FakeWebhook("dummy-secret") as fake:
        env = {"DUMMY_SIGNING_SECRET": "dummy-secret", "AUDIENCE_SYNC_DUMMY_BASE_URL": fake.url}
        synced = in_copy(
            project,
            audience,
            "sync",
            "--warehouse",
            str(warehouse),
            "--segment",
            "cart_abandoners",
            "--destination",
            "dummy",
            "--no-progress",
            env=env,
        )
        assert synced.returncode == 0, synced.stdout + synced.stderr
        assert fake.members("cart_abandoners") == exported
        assert max(size for _, _, size in fake.requests) <= 3

    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute(
            "select destination, status, added from sync.sync_runs "
            "where segment_name = 'cart_abandoners'"
        ).fetchall()
    assert runs == [("dummy", "success", len(exported))]
