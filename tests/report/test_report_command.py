"""`audience report` on a published copy of a dbt build: the file it writes, what it says when
there is nothing to report on or the warehouse's history cannot be read, and the dbt exposure
that puts the report in the lineage."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.manifest import manifest
from orchestration.publish import publish
from orchestration.report.sources import REPORT_MODELS
from tests.e2e.refresh_runs import copy_of
from tests.support import held


@pytest.fixture(scope="module")
def published(defective_warehouse, tmp_path_factory) -> tuple[Path, Path, str]:
    """(warehouse, publish folder, version): a copy of a build with no sync history yet."""
    folder = tmp_path_factory.mktemp("report")
    warehouse = copy_of(defective_warehouse, folder)
    version = publish(warehouse, folder / "published").version
    return warehouse, folder / "published", version


def report(warehouse: Path, publish_dir: Path, out: Path) -> int:
    return main(
        [
            "report",
            "--warehouse",
            str(warehouse),
            "--publish-dir",
            str(publish_dir),
            "--out",
            str(out),
        ]
    )


def test_the_report_of_a_published_copy_is_one_file_naming_its_version(published, tmp_path, capsys):
    warehouse, publish_dir, version = published
    out = tmp_path / "nested" / "report.html"
    assert report(warehouse, publish_dir, out) == 0
    page = out.read_text()
    assert version in page and f"wrote {out}" in capsys.readouterr().out
    assert "no audience has been synced yet" in page
    assert page.count('class="plotly-graph-div"') == 10
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]


def test_without_a_published_copy_the_report_says_what_to_run(published, tmp_path, capsys):
    warehouse, _, _ = published
    assert report(warehouse, tmp_path / "nothing", tmp_path / "report.html") == 1
    assert "no published copy" in capsys.readouterr().out
    assert not (tmp_path / "report.html").exists()


def test_a_folder_as_the_report_path_is_refused(published, tmp_path, capsys):
    warehouse, publish_dir, _ = published
    assert report(warehouse, publish_dir, tmp_path) == 2
    assert "is a folder" in capsys.readouterr().out


def test_a_report_path_that_cannot_be_written_is_an_error_naming_it(published, tmp_path, capsys):
    warehouse, publish_dir, _ = published
    (tmp_path / "file").write_text("")
    assert report(warehouse, publish_dir, tmp_path / "file" / "report.html") == 1
    assert (
        f"cannot write the report to {tmp_path / 'file' / 'report.html'}" in capsys.readouterr().out
    )


def test_a_busy_warehouse_leaves_out_its_history_not_the_report(published, tmp_path):
    """A refresh holds the warehouse: the charts come from the published copy all the same."""
    warehouse, publish_dir, version = published
    with held(warehouse):
        assert report(warehouse, publish_dir, tmp_path / "report.html") == 0
    page = (tmp_path / "report.html").read_text()
    assert version in page and "the warehouse is busy" in page


def test_the_report_is_a_dbt_exposure_of_exactly_the_models_it_reads():
    exposure = next(
        node for node in manifest()["exposures"].values() if node["name"] == "audience_report"
    )
    assert set(exposure["depends_on"]["nodes"]) == {f"model.audience.{m}" for m in REPORT_MODELS}
    assert exposure["owner"]["email"] and exposure["type"] == "dashboard"
