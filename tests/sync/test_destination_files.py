"""A destination is its module: the package finds every module of
orchestration/sync/destinations/, and what dbt knows of them (seeds/destinations.csv, the export
models and their contracts) is written from them. These tests fail naming any of those files
that is missing or out of date, and any module that is not a well-formed destination."""

from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

import orchestration.sync.destinations as package
from orchestration.manifest import manifest
from orchestration.sync.config import load_config
from orchestration.sync.destinations import (
    DESTINATIONS,
    DestinationModuleError,
    discover,
)
from orchestration.sync.destinations._dbt_files import (
    COMMAND,
    CONTRACTS,
    EXPORTS,
    EXPOSURES,
    SEED,
    stale_files,
    write_files,
)
from orchestration.sync.destinations.base import CONSENT_PURPOSES, EXPORT_COLUMNS
from tests.support import PROJECT_DIR

DUMMY = """
from orchestration.sync.destinations.webhook import Webhook


class Dummy(Webhook):
    platform = "Dummy platform"
    consent_purpose = "email_marketing"
    identifiers = ("email",)
    description = "Signed JSON batches, as the webhook sends them"
"""


@pytest.fixture
def module_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A folder searched for destination modules after the package's own; writes a module."""
    folder = tmp_path / "more_destinations"
    folder.mkdir()
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(folder)])
    written: list[str] = []

    def write(name: str, source: str) -> None:
        (folder / f"{name}.py").write_text(textwrap.dedent(source))
        written.append(name)

    yield write
    for name in written:
        sys.modules.pop(f"{package.__name__}.{name}", None)


def test_the_dbt_files_of_the_destinations_are_up_to_date():
    problems = stale_files(DESTINATIONS, PROJECT_DIR)
    assert not problems, f"run `{COMMAND}`:\n" + "\n".join(problems)


def test_every_destination_module_has_its_export_model_and_seed_row():
    exports = {p.stem for p in (PROJECT_DIR / EXPORTS).glob("exp_*.sql")}
    assert exports == {f"exp_{name}" for name in DESTINATIONS}
    contracts = yaml.safe_load((PROJECT_DIR / CONTRACTS).read_text())["models"]
    for model in contracts:
        assert [c["name"] for c in model["columns"]] == list(EXPORT_COLUMNS), model["name"]
    assert {m["name"] for m in contracts} == exports
    seed_rows = (PROJECT_DIR / SEED).read_text().splitlines()[1:]
    assert sorted(row.split(",")[0] for row in seed_rows) == sorted(DESTINATIONS)


def test_every_destination_sync_is_an_exposure_of_its_export_model():
    """In dbt's lineage, each platform is an exposure downstream of its export model."""
    nodes = manifest()["exposures"].values()
    syncs = {node["name"]: node for node in nodes if node["name"].startswith("sync_")}
    assert set(syncs) == {f"sync_{name}" for name in DESTINATIONS}
    for name, cls in DESTINATIONS.items():
        exposure = syncs[f"sync_{name}"]
        assert exposure["depends_on"]["nodes"] == [f"model.audience.exp_{name}"]
        assert cls.platform in exposure["description"] and exposure["owner"]["email"]


def test_the_shipped_configuration_has_an_entry_per_destination_module():
    assert set(load_config()) == set(DESTINATIONS)


def test_the_seed_accepts_every_consent_purpose_a_destination_may_need():
    seeds = yaml.safe_load((PROJECT_DIR / "seeds" / "_seeds.yml").read_text())["seeds"]
    seed = next(s for s in seeds if s["name"] == "destinations")
    column = next(c for c in seed["columns"] if c["name"] == "consent_purpose")
    accepted = next(t for t in column["data_tests"] if isinstance(t, dict))["accepted_values"]
    assert accepted["arguments"]["values"] == list(CONSENT_PURPOSES)


def test_a_module_in_the_package_is_a_destination_named_after_it(module_folder):
    module_folder("dummy", DUMMY)
    found = discover()
    assert set(found) == set(DESTINATIONS) | {"dummy"}
    assert found["dummy"].name == "dummy"
    assert found["webhook"].name == "webhook"  # the class it extends keeps its own name


def test_a_new_module_names_the_files_it_lacks_until_they_are_written(module_folder, tmp_path):
    module_folder("dummy", DUMMY)
    found = discover()
    project = tmp_path / "project"
    for path in (
        SEED, CONTRACTS, EXPOSURES, *(EXPORTS / f"exp_{name}.sql" for name in DESTINATIONS)
    ):  # fmt: skip
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_DIR / path, project / path)

    assert stale_files(found, project) == [
        f"{SEED}: out of date",
        f"{CONTRACTS}: out of date",
        f"{EXPOSURES}: out of date",
        f"{EXPORTS}/exp_dummy.sql: missing",
    ]
    written = {SEED, CONTRACTS, EXPOSURES, EXPORTS / "exp_dummy.sql"}
    assert set(write_files(found, project)) == written
    assert stale_files(found, project) == []
    assert (
        "{{ audience.export_members('dummy') }}"
        in (project / EXPORTS / "exp_dummy.sql").read_text()
    )
    assert "dummy,Dummy platform,email_marketing,email," in (project / SEED).read_text()
    contracts = yaml.safe_load((project / CONTRACTS).read_text())["models"]
    dummy = next(m for m in contracts if m["name"] == "exp_dummy")
    assert [c["name"] for c in dummy["columns"]] == list(EXPORT_COLUMNS)
    exposures = yaml.safe_load((project / EXPOSURES).read_text())["exposures"]
    exposure = next(e for e in exposures if e["name"] == "sync_dummy")
    assert exposure["depends_on"] == ["ref('exp_dummy')"]
    assert "Dummy platform" in exposure["description"] and exposure["owner"]["name"]

    # the module removed: its export model is left over, named, then deleted
    assert stale_files(DESTINATIONS, project)[-1] == (
        f"{EXPORTS}/exp_dummy.sql: no destination module orchestration/sync/destinations/dummy.py"
    )
    assert EXPORTS / "exp_dummy.sql" in write_files(DESTINATIONS, project)
    assert not (project / EXPORTS / "exp_dummy.sql").exists()


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (DUMMY.replace('"email_marketing"', '"newsletters"'),
         "dummy.py: Dummy.consent_purpose: expected one of ['ads_personalization', "
         "'email_marketing'], got 'newsletters'"),
        (DUMMY.replace('("email",)', '("email", "fax")'),
         "dummy.py: Dummy.identifiers: expected a non-empty tuple of export columns"),
        (DUMMY.replace('    platform = "Dummy platform"\n', ""),
         None),  # inherited from the webhook: allowed
        (DUMMY + '    name = "other"\n',
         "dummy.py: Dummy.name: expected 'dummy' (the module's name) or nothing, got 'other'"),
        (DUMMY + "\n\nclass Another(Dummy):\n    pass\n",
         "dummy.py: expected one concrete Destination subclass (the destination 'dummy'), "
         "found 2: Dummy, Another"),
        ("from orchestration.sync.destinations.webhook import Webhook\n",
         "dummy.py: expected one concrete Destination subclass (the destination 'dummy'), "
         "found 0"),
    ],
)  # fmt: skip
def test_a_module_that_is_not_a_destination_is_named_with_what_is_wrong(
    module_folder, source, message
):
    module_folder("dummy", source)
    if message is None:
        assert discover()["dummy"].platform == "Webhook"
        return
    with pytest.raises(DestinationModuleError) as raised:
        discover()
    assert message in str(raised.value)


def test_a_module_without_the_attributes_dbt_needs_is_named(module_folder):
    module_folder(
        "bare",
        """
        from orchestration.sync.destinations.base import Destination


        class Bare(Destination):
            batch_size = 10

            def prepare(self, member):
                raise NotImplementedError

            def add(self, audience, batch):
                raise NotImplementedError

            def remove(self, audience, batch, refs):
                raise NotImplementedError
        """,
    )
    with pytest.raises(DestinationModuleError) as raised:
        discover()
    message = str(raised.value)
    assert message.startswith("orchestration/sync/destinations/bare.py: Bare.platform: expected")
    for attribute in ("platform", "description", "consent_purpose", "identifiers"):
        assert f"Bare.{attribute}: expected" in message


def test_a_destination_whose_export_model_was_never_built_fails_naming_the_fix(warehouse, connect):
    platform = connect("webhook")
    run = platform.sync(warehouse)
    assert (run.status, run.error_kind) == ("failed", "configuration")
    assert run.error.startswith("exports.exp_webhook does not exist")
    assert COMMAND in run.error and "dbt build --select exp_webhook" in run.error
    assert platform.fake.requests == []
