"""Suite files: the shipped ones load, every export model is checked without an edit to them, and
a broken one fails naming the file, the table, the check and the field."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.paths import PROJECT_DIR
from orchestration.quality.frames import groups_query, metrics_query
from orchestration.quality.suites import SUITES_DIR, SuiteError, load_suite, load_suites

EXPORT_CHECKS = {
    "unnormalized_emails",
    "malformed_phones",
    "members_without_consent",
    "holdout_or_former_members",
}
GOOD = {"metric": "duplicates", "sql": "count(*)", "max_value": 0, "blocking": True}


def test_the_shipped_suites_load_with_blocking_and_warning_checks():
    suites = {suite.name: suite for suite in load_suites()}
    assert set(suites) == {"raw", "staging", "marts", "exports"}
    checks = [check for suite in suites.values() for check in suite.checks]
    assert any(check.is_blocking for check in checks)
    assert any(not check.is_blocking for check in checks)


def test_every_summary_query_the_shipped_suites_generate_parses():
    now = datetime.datetime(2026, 10, 31)
    queries = 0
    for suite in load_suites():
        for (source, frame), checks in suite.checks_by_frame().items():
            if frame == "columns":
                continue
            build = groups_query if checks[0].frame == "groups" else metrics_query
            query = build(source, checks, now)
            try:
                assert len(duckdb.extract_statements(query)) == 1
            except duckdb.ParserException as error:
                pytest.fail(f"{suite.name}: {checks[0].table}: {error}\n{query}")
            queries += 1
    assert queries >= 20


def test_every_export_model_has_its_blocking_checks_and_no_other_export_is_checked():
    models = sorted(
        f"exports.{path.stem}"
        for path in (PROJECT_DIR / "models" / "activation" / "exports").glob("exp_*")
        if path.suffix in (".sql", ".py")
    )
    assert len(models) >= 7
    (exports,) = load_suites(names=["exports"])
    checked: dict[str, set[str]] = {}
    for check in exports.checks:
        assert check.is_blocking, check.name
        checked.setdefault(check.table, set()).add(check.column)
    for model in models:
        missing = EXPORT_CHECKS - checked.get(model, set())
        assert not missing, f"export model {model} is not checked: {sorted(missing)}"
    assert sorted(checked) == models


def test_each_export_is_checked_against_its_destinations_consent_purpose():
    (exports,) = load_suites(names=["exports"])
    privacy = (
        PROJECT_DIR / "models" / "intermediate" / "profiles" / "int_persons_privacy_evaluated.sql"
    ).read_text()
    consent = {c.table: c for c in exports.checks if c.column == "members_without_consent"}
    assert (
        "p.is_ads_personalization_consented as is_consented"
        in consent["exports.exp_meta_ads"].source
    )
    assert "p.is_email_marketing_consented as is_consented" in consent["exports.exp_klaviyo"].source
    for check in consent.values():
        column = check.source.split("p.", 1)[1].split(" ", 1)[0]
        assert f"as {column}" in privacy, f"{check.table}: no column {column}"
        assert f"from {check.table} as e" in check.source


def project_with_exports(tmp_path: Path, destinations: dict[str, str]) -> Path:
    """A project holding the shipped exports suite, one export model per destination and a
    destinations seed with some of them."""
    (tmp_path / "expectations").mkdir()
    shutil.copy(SUITES_DIR / "exports.json", tmp_path / "expectations")
    folder = tmp_path / "models" / "activation" / "exports"
    folder.mkdir(parents=True)
    (tmp_path / "seeds").mkdir()
    rows = ["destination,platform,consent_purpose"]
    for destination, purpose in destinations.items():
        (folder / f"exp_{destination}.sql").write_text(f"{{{{ export_members('{destination}') }}}}")
        if purpose:
            rows.append(f"{destination},Somewhere,{purpose}")
    (tmp_path / "seeds" / "destinations.csv").write_text("\n".join(rows) + "\n")
    return tmp_path


def test_a_new_export_model_gets_its_checks_with_no_edit_to_the_suites(tmp_path):
    project = project_with_exports(tmp_path, {"meta_ads": "ads_personalization", "sms": "sms"})
    suite = load_suite(project / "expectations" / "exports.json", project)
    sms = [c for c in suite.checks if c.table == "exports.exp_sms"]
    assert {c.column for c in sms} == EXPORT_CHECKS
    assert all(c.is_blocking for c in sms)
    consent = next(c for c in sms if c.column == "members_without_consent")
    assert "p.is_sms_consented as is_consented" in consent.source
    assert "from exports.exp_sms as e" in consent.source
    assert consent.description == "sms: everybody exported has sms consent."


def test_an_export_model_without_a_consent_purpose_is_an_error_naming_it(tmp_path):
    project = project_with_exports(tmp_path, {"meta_ads": "ads_personalization", "fax": ""})
    with pytest.raises(SuiteError, match=r"tables\[0\]\.for_each: .*exp_fax\.sql: expected a row"):
        load_suite(project / "expectations" / "exports.json", project)


def write(tmp_path, check: dict, **table):
    path = tmp_path / "broken.json"
    entry = {"table": "analytics.dim_persons", "checks": [GOOD, check], **table}
    path.write_text(json.dumps({"name": "broken", "tables": [entry]}))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"blocking": "yes"}, r"checks\[1\]\.blocking: expected a bool, got 'yes'"),
        ({"metric": None}, r"checks\[1\]\.metric: expected a str"),
        ({"metric": "Two Words"}, r"checks\[1\]\.metric: expected a name of lowercase"),
        ({"metric": "duplicates"}, r"checks\[1\]: expected one check named 'duplicates' per"),
        ({"compare": "last_week"}, r"checks\[1\]\.compare: expected one of"),
        ({"from": "elsewhere"}, r"checks\[1\]\.from: expected one of the table's sources"),
        ({"max_value": "0"}, r"checks\[1\]: expected a number min_value, max_value or both"),
        ({"frame": "rows"}, r"checks\[1\]\.frame: unknown field"),
        ({"columns": ["id:VARCHAR"]}, r"checks\[1\]\.metric: not a field of a check of columns"),
        ({"description": "{destination}"}, r"checks\[1\]\.description: \{destination\} has no"),
    ],
)
def test_a_broken_check_names_the_file_the_table_the_check_and_the_field(tmp_path, change, message):
    path = write(tmp_path, {**GOOD, "metric": "other", **change})
    with pytest.raises(SuiteError, match=rf"broken\.json: tables\[0\]\.{message}"):
        load_suite(path)


def test_a_broken_table_entry_names_the_field(tmp_path):
    with pytest.raises(SuiteError, match=r"tables\[0\]\.for_each: expected one of"):
        load_suite(write(tmp_path, GOOD, for_each="segment"))
    with pytest.raises(SuiteError, match=r"tables\[0\]\.sources: expected an object of SQL"):
        load_suite(write(tmp_path, GOOD, sources=["(select 1) as one"]))


def test_a_file_that_is_not_json_names_the_file(tmp_path):
    path = tmp_path / "typo.json"
    path.write_text("{")
    with pytest.raises(SuiteError, match=r"typo\.json: not valid JSON"):
        load_suite(path)


def test_an_unknown_suite_name_lists_the_known_ones():
    with pytest.raises(SuiteError, match="no suite named mart; expected one of"):
        load_suites(names=["mart"])
