"""Suite files: the shipped ones load; a broken one fails naming the file, the expectation and
the field."""

from __future__ import annotations

import json

import pytest

from orchestration.quality.suites import SuiteError, load_suite, load_suites

GOOD = {
    "type": "expect_column_values_to_be_between",
    "kwargs": {"column": "duplicates", "max_value": 0},
    "meta": {"table": "analytics.dim_persons", "metric": "count(*)", "blocking": True},
}


def test_the_shipped_suites_load_with_blocking_and_warning_checks():
    suites = {suite.name: suite for suite in load_suites()}
    assert set(suites) == {"raw", "staging", "marts", "exports"}
    checks = [check for suite in suites.values() for check in suite.checks]
    assert any(check.is_blocking for check in checks)
    assert any(not check.is_blocking for check in checks)


def write(tmp_path, expectation: dict):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps({"name": "broken", "expectations": [GOOD, expectation]}))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"meta": {**GOOD["meta"], "table": None}},
            r"expectations\[1\]\.meta\.table: expected a str",
        ),
        (
            {"meta": {**GOOD["meta"], "blocking": "yes"}},
            r"expectations\[1\]\.meta\.blocking: expected a bool, got 'yes'",
        ),
        (
            {"meta": {**GOOD["meta"], "compare": "last_week"}},
            r"expectations\[1\]\.meta\.compare: expected one of",
        ),
        (
            {"meta": {**GOOD["meta"], "frame": "rows"}},
            r"expectations\[1\]\.meta\.frame: expected one of",
        ),
        ({"kwargs": {"max_value": 0}}, r"expectations\[1\]\.kwargs\.column: expected"),
        (
            {"type": "expect_the_unexpected"},
            r"expectations\[1\]: not a valid Great Expectations expectation",
        ),
    ],
)
def test_a_broken_expectation_names_the_file_the_expectation_and_the_field(
    tmp_path, change, message
):
    path = write(tmp_path, {**GOOD, **change})
    with pytest.raises(SuiteError, match=rf"broken\.json: {message}"):
        load_suite(path)


def test_a_file_that_is_not_json_names_the_file(tmp_path):
    path = tmp_path / "typo.json"
    path.write_text("{")
    with pytest.raises(SuiteError, match=r"typo\.json: not valid JSON"):
        load_suite(path)


def test_an_unknown_suite_name_lists_the_known_ones():
    with pytest.raises(SuiteError, match="no suite named mart; expected one of"):
        load_suites(names=["mart"])
