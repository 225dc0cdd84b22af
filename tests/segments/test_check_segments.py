"""`audience check-segments`, the pre-flight check of segment definitions that runs before dbt
(and at the start of `audience refresh`): every problem the compiler would stop on, worded as the
compiler words it, plus reference cycles and ambiguous configurations, each naming the YAML file,
the segment and the field."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from orchestration.segments.check import check_segments
from orchestration.segments.dependencies import write_dependencies
from tests.segments.invalid_cases import BASE, CASES, definition
from tests.support import PROJECT_DIR

AUDIENCE = Path(sys.executable).with_name("audience")
FAMILY = Path("models/activation/segments/test")
YAML_FILE = FAMILY / "_test__segments.yml"


def project_copy(root: Path) -> Path:
    """What the check reads of the project: models, the schema macro, the destinations seed."""
    project = root / "project"
    shutil.copytree(PROJECT_DIR / "models", project / "models")
    shutil.copytree(PROJECT_DIR / "macros" / "segments", project / "macros" / "segments")
    (project / "seeds").mkdir()
    shutil.copy(PROJECT_DIR / "seeds" / "destinations.csv", project / "seeds")
    return project


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project_copy(tmp_path_factory.mktemp("segments"))


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    shutil.copytree(pristine, tmp_path / "project")
    return tmp_path / "project"


def add_segments(
    project: Path, definitions: dict[str, dict], refs: dict | None = None, write_deps: bool = True
) -> None:
    """Segment models segment_<name> in models/activation/segments/test/, each SQL file with a
    hand-written depends_on line for each name in refs[name]; then, as a user would, `audience
    segment-deps` (unless write_deps is false)."""
    (project / FAMILY).mkdir(parents=True, exist_ok=True)
    for name in definitions:
        lines = [
            f"-- depends_on: {{{{ ref('segment_{other}') }}}}"
            for other in (refs or {}).get(name, [])
        ]
        body = "\n".join([*lines, "{{ audience.segment_members() }}", ""])
        (project / FAMILY / f"segment_{name}.sql").write_text(body)
    models = [
        {"name": f"segment_{name}", "config": {"meta": {"segment": segment}}}
        for name, segment in definitions.items()
    ]
    (project / YAML_FILE).write_text(yaml.safe_dump({"version": 2, "models": models}))
    if write_deps:
        write_dependencies(project)


def messages(project: Path, severity: str = "error") -> list[str]:
    _, findings = check_segments(project)
    return [str(finding) for finding in findings if finding.severity == severity]


def test_the_shipped_segments_pass_without_warnings():
    segments, findings = check_segments(PROJECT_DIR)
    assert len(segments) >= 27
    assert [str(finding) for finding in findings] == []


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_it_reports_what_the_compiler_reports(project: Path, case: dict):
    """The same message as the dbt compiler (tests/segments/test_invalid_definitions.py, which
    does not run `audience segment-deps` either)."""
    add_segments(project, {case["id"]: case["definition"]}, write_deps=False)
    expected = f"{YAML_FILE}: segment '{case['id']}': {case['error']}"
    found = messages(project)
    assert any(message.startswith(expected) for message in found), found


def test_a_text_compared_with_a_number_names_file_segment_field_and_type(project: Path):
    rule = {"all": [{"column": {"name": "is_known", "op": "=", "value": True}},
                    {"column": {"name": "age", "op": ">", "value": "abc"}}]}  # fmt: skip
    add_segments(project, {"adults": definition(rule=rule)})
    assert messages(project) == [
        f"{YAML_FILE}: segment 'adults': segment.rule.all[1].column.value: expected a number for"
        ' column age (bigint) of dim_persons, got "abc"'
    ]


def test_valid_values_of_every_column_type_pass(project: Path):
    conditions = [
        {"name": "age", "op": "between", "value": [25, 34.5]},
        {"name": "is_known", "op": "!=", "value": False},
        {"name": "first_seen_at", "op": ">=", "value": "2026-01-01T08:30:00Z"},
        {"name": "gender", "op": "in", "value": ["female", "male"]},
        {"name": "city", "op": "contains", "value": 7},
    ]
    order_dates = {"name": "order_date", "op": "between", "value": ["2026-01-01", "2026-02-28"]}
    orders = {"aggregate": "count", "where": [order_dates], "op": ">", "value": 0}
    rule = {"all": [*({"column": c} for c in conditions), {"orders": orders}]}
    add_segments(project, {"mixed": definition(rule=rule)})
    assert messages(project) == []


def test_a_reference_cycle_is_reported_with_its_chain(project: Path):
    add_segments(
        project,
        {
            "alpha": definition(label="Alpha", rule={"segment": "beta"}),
            "beta": definition(label="Beta", rule={"not": {"segment": "gamma"}}),
            "gamma": definition(label="Gamma", rule={"any": [{"segment": "alpha"}, BASE["rule"]]}),
        },
        refs={"alpha": ["beta"], "beta": ["gamma"], "gamma": ["alpha"]},
    )
    assert messages(project) == [
        f"{YAML_FILE}: segment 'alpha': segment.rule.segment: expected no reference cycle, got"
        " segment_alpha -> segment_beta -> segment_gamma -> segment_alpha"
    ]


def test_a_cycle_without_its_dependencies_written_is_reported_too(project: Path):
    add_segments(
        project,
        {"alpha": definition(label="Alpha", rule={"segment": "beta"}),
         "beta": definition(label="Beta", rule={"segment": "alpha"})},
        refs={"alpha": ["beta"]},
        write_deps=False,
    )  # fmt: skip
    found = messages(project)
    assert (
        f"{YAML_FILE}: segment 'alpha': segment.rule.segment: expected no reference cycle, got"
        " segment_alpha -> segment_beta -> segment_alpha"
    ) in found
    assert (
        f"{YAML_FILE}: segment 'beta': segment.rule.segment: expected the dependency on"
        " segment_alpha in macros/segments/segment_dependencies.sql: run `audience segment-deps`"
        " to write that file from the definitions"
    ) in found
    assert not any("segment 'alpha': segment.rule.segment: expected the dep" in m for m in found)


def test_an_unknown_segment_and_the_segment_itself_are_errors(project: Path):
    add_segments(
        project,
        {"alpha": definition(rule={"all": [{"segment": "vip_whales"}, {"segment": "alpha"}]})},
    )
    assert messages(project) == [
        f"{YAML_FILE}: segment 'alpha': segment.rule.all[0].segment: expected the name of a segment"
        " (a model segment_<name> with config.meta.segment), got 'vip_whales'",
        f"{YAML_FILE}: segment 'alpha': segment.rule.all[1].segment: expected another segment,"
        " got the segment itself",
    ]


def test_schema_errors_are_all_reported_at_once(project: Path):
    add_segments(project, {"alpha": {"label": "", "rule": {"sql": ""}, "min_size": -1}})
    prefix = f"{YAML_FILE}: segment 'alpha': "
    assert messages(project) == [
        prefix + 'segment.label: expected a non-empty string, got ""',
        prefix + "segment.min_size: expected a number >= 0, got -1",
        prefix + "segment.owner: expected a value, the field is required",
        prefix + 'segment.rule.sql: expected a non-empty string, got ""',
    ]


def test_priorities_and_destinations_across_segments(project: Path):
    offer = {"priority_group": "onsite_offer", "priority": 1}  # segment_hot_prospects has it
    add_segments(project, {"alpha": definition(**offer, destinations=["meta_ads", "myspace"])})
    assert messages(project) == [
        f"{YAML_FILE}: segment 'alpha': segment.destinations[1]: expected a destination of"
        " seeds/destinations.csv (files, google_ads, hubspot, klaviyo, mailchimp, meta_ads,"
        " webhook), got 'myspace'",
        "models/activation/segments/behaviour/_behaviour__segments.yml: segment 'hot_prospects':"
        " segment.priority: expected a priority no other"
        " segment of priority_group onsite_offer has, got 1 (also segment_alpha)",
    ]


def test_ambiguous_configurations_are_warnings(project: Path):
    rule = {
        "all": [
            {
                "any": [
                    {
                        "column": {
                            "name": "gender",
                            "op": "in",
                            "value": ["female", "male", "female"],
                        }
                    }
                ]
            },
            {"not": {"not": BASE["rule"]}},
            {"event": {"name": "Product Viewed", "at_least": 0}},
            {"column": {"name": "age", "op": "between", "value": [30, 30]}},
        ]
    }
    add_segments(
        project,
        {"alpha": definition(label="Repeat Visitors", rule=rule, priority=2,
                             destinations=["klaviyo", "klaviyo"], tags=["a", "b", "a"])},
        refs={"alpha": ["repeat_visitors"]},
    )  # fmt: skip
    at = f"{YAML_FILE}: segment 'alpha': "
    assert messages(project) == []
    assert sorted(messages(project, "warning")) == sorted([
        at + "segment.rule.all[0].any: any of a single rule: expected 2 or more rules, or the"
        " rule on its own",
        at + "segment.rule.all[0].any[0].column.value: expected each value once, got"
        ' "female" more than once',
        at + "segment.rule.all[1].not: not of a not: expected the inner rule on its own",
        at + "segment.rule.all[2].event.at_least: at_least 0 holds for everybody: expected 1 or"
        " more",
        at + "segment.rule.all[3].column.value: between 30 and itself: expected op = instead",
        at + "segment.rule: models/activation/segments/test/segment_alpha.sql refs"
        " segment_repeat_visitors but"
        " the rule does not use it: expected a depends_on line only for the segments the rule"
        " names",
        at + "segment.priority: priority without priority_group has no effect: expected a"
        " priority_group too",
        at + "segment.destinations: expected each value once, got 'klaviyo' more than once",
        at + "segment.tags: expected each value once, got 'a' more than once",
        "models/activation/segments/behaviour/_behaviour__segments.yml: segment 'repeat_visitors':"
        " segment.label: segment_alpha has the same label: expected a label of its own, since"
        " destinations show the label",
    ])  # fmt: skip


def run_audience(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(AUDIENCE), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_command_exits_1_with_one_line_per_error_and_no_traceback(project: Path):
    text_age = {"column": {"name": "age", "op": ">", "value": "abc"}}
    add_segments(
        project,
        {"alpha": definition(label="Alpha", rule={"segment": "beta"}),
         "beta": definition(label="Beta", rule=text_age)},
        refs={"alpha": ["beta"]},
    )  # fmt: skip
    result = run_audience(["check-segments", "--project-dir", str(project)], PROJECT_DIR)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"error: {YAML_FILE}: segment 'beta': segment.rule.column.value: expected a number for"
        ' column age (bigint) of dim_persons, got "abc"',
        f"{len(check_segments(PROJECT_DIR)[0]) + 2} segment definitions checked: 1 errors,"
        " 0 warnings",
    ]


def test_warnings_exit_0_unless_strict(project: Path):
    add_segments(project, {"alpha": definition(rule={"all": [BASE["rule"]]})})
    assert (
        run_audience(["check-segments", "--project-dir", str(project)], PROJECT_DIR).returncode == 0
    )
    strict = run_audience(
        ["check-segments", "--strict", "--project-dir", str(project)], PROJECT_DIR
    )
    assert strict.returncode == 1
    assert strict.stdout.startswith(f"warning: {YAML_FILE}: segment 'alpha': segment.rule.all:")


@pytest.mark.parametrize("named_by", ["current directory", "DBT_PROJECT_DIR"])
def test_a_refresh_stops_before_dbt_on_a_reference_cycle(project: Path, tmp_path, named_by):
    add_segments(
        project,
        {"alpha": definition(label="Alpha", rule={"segment": "beta"}),
         "beta": definition(label="Beta", rule={"segment": "alpha"})},
        refs={"alpha": ["beta"], "beta": ["alpha"]},
    )  # fmt: skip
    if named_by == "DBT_PROJECT_DIR":
        result = run_audience(["refresh", "--no-build"], tmp_path, {named_by: str(project)})
    else:
        result = run_audience(["refresh", "--no-build"], project)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == (
        f"error: {YAML_FILE}: segment 'alpha': segment.rule.segment: expected no reference cycle,"
        " got segment_alpha -> segment_beta -> segment_alpha"
    )
    assert result.stdout.splitlines()[-1] == "segment definitions have errors: nothing built"


def test_a_segment_model_without_a_definition_is_an_error(project: Path):
    (project / FAMILY).mkdir(parents=True)
    (project / FAMILY / "segment_orphan.sql").write_text("{{ audience.segment_members() }}\n")
    assert messages(project) == [
        f"{FAMILY}/segment_orphan.sql: segment 'orphan': segment: expected a definition under"
        " config.meta.segment of model segment_orphan in its YAML"
    ]
