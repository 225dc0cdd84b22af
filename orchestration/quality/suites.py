"""Reading the suites under expectations/: one description per suite listing each checked table
once, with its checks (a metric's name, its SQL aggregate and bounds, whether it is blocking).
The Great Expectations expectations and the summary queries are generated from it; a table entry
with `"for_each": "export_model"` stands for every export model of the dbt project, so a new
destination's export is checked with no edit here. A mistake fails with the file, the table, the
check and the field."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import great_expectations as gx
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

from orchestration.paths import EXPECTATIONS_DIR
from orchestration.quality.export_models import export_models

SUITES_DIR = EXPECTATIONS_DIR
FRAMES = ("metrics", "columns", "groups")
COMPARISONS = ("previous_run",)
REPEATS = ("export_model",)
PLACEHOLDERS = ("table", "destination", "consent_purpose")
BETWEEN = "expect_column_values_to_be_between"
CONTAINS_SET = "expect_column_distinct_values_to_contain_set"
TABLE_FIELDS = ("table", "for_each", "sources", "checks")
# the first seven are the fields of a metric, not of a check of columns
CHECK_FIELDS = (
    "metric",
    "sql",
    "min_value",
    "max_value",
    "from",
    "group_by",
    "compare",
    "columns",
    "blocking",
    "description",
)


class SuiteError(ValueError):
    """A suite file that cannot be used, with the file, the table, the check and the field."""


@dataclass(frozen=True)
class Check:
    """One check of a suite, as a Great Expectations expectation, and where its value comes from.

    frame `metrics`: `column` names a metric, the SQL aggregate `metric` over `source` (`from`
    in the meta: the table's source the check names, a parenthesized subquery with an alias;
    `table` otherwise); with compare `previous_run` the value checked is the share it changed by
    since the last check run. frame `groups`: the same per group of `group_by` (a SQL expression
    over the source), one row per group, each checked; with compare `previous_run` each group's
    value is the share it changed by since the last run that saw the group. frame `columns`: one
    row per column of `table` with `column_and_type` (`<name>:<TYPE>`). `table` is what messages
    name."""

    suite: str
    index: int
    configuration: ExpectationConfiguration
    table: str
    source: str
    frame: str
    metric: str | None
    compare: str | None
    is_blocking: bool
    description: str
    group_by: str | None = None

    @property
    def column(self) -> str:
        return self.configuration.kwargs["column"]

    @property
    def name(self) -> str:
        return f"{self.configuration.type}({self.column})"

    @property
    def frame_id(self) -> str:
        """The frame the check is computed on: checks of one source share it."""
        return self.frame if self.group_by is None else f"{self.frame} by {self.group_by}"


@dataclass(frozen=True)
class Suite:
    name: str
    path: Path
    checks: list[Check]

    def checks_by_frame(self) -> dict[tuple[str, str], list[Check]]:
        """The checks grouped by the (source, frame) they are computed on, in file order."""
        grouped: dict[tuple[str, str], list[Check]] = {}
        for check in self.checks:
            grouped.setdefault((check.source, check.frame_id), []).append(check)
        return grouped

    def expectation_suite(self, source: str, frame: str) -> gx.ExpectationSuite:
        """The GX suite of the checks computed on one frame of one source."""
        suite = gx.ExpectationSuite(name=f"{self.name}.{frame_key(source, frame)}")
        for check in self.checks_by_frame()[(source, frame)]:
            suite.add_expectation(check.configuration.to_domain_obj())
        return suite


def frame_key(source: str, frame: str) -> str:
    """A short unique name for one frame of one source (which may be a subquery), usable as a
    GX asset name."""
    cleaned = "".join(c if c.isalnum() else "_" for c in source).strip("_")
    digest = hashlib.sha1(source.encode()).hexdigest()[:8]
    return f"{cleaned[:40]}_{digest}__{frame}"


def load_suites(directory: Path = SUITES_DIR, names: list[str] | None = None) -> list[Suite]:
    paths = sorted(directory.glob("*.json"))
    suites = [load_suite(path) for path in paths]
    if names:
        unknown = sorted(set(names) - {suite.name for suite in suites})
        if unknown:
            raise SuiteError(
                f"{directory}: no suite named {', '.join(unknown)}; "
                f"expected one of {', '.join(suite.name for suite in suites)}"
            )
        suites = [suite for suite in suites if suite.name in names]
    return suites


def load_suite(path: Path, project_dir: Path | None = None) -> Suite:
    """One suite file. `project_dir` is the dbt project whose export models an entry with
    `"for_each": "export_model"` stands for (default: the folder holding the suites' folder)."""
    try:
        document = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise SuiteError(f"{path}: not valid JSON: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise SuiteError(f"{path}: expected an object with a string `name`")
    tables = document.get("tables")
    if not isinstance(tables, list) or not tables:
        raise SuiteError(f"{path}: expected a non-empty list `tables`")
    name = document["name"]
    project = project_dir or path.resolve().parent.parent
    checks: list[Check] = []
    named: set[tuple[str, str]] = set()
    for position, entry in enumerate(tables):
        for where, sources, values in _tables(f"{path}: tables[{position}]", entry, project):
            for index, fields in enumerate(entry["checks"]):
                check = _check(
                    f"{where}.checks[{index}]", name, len(checks), fields, sources, values
                )
                if (check.table, check.column) in named:
                    raise SuiteError(
                        f"{where}.checks[{index}]: expected one check named {check.column!r} "
                        f"per table, got another on {check.table}"
                    )
                named.add((check.table, check.column))
                checks.append(check)
    return Suite(name, path, checks)


def _tables(where: str, entry: dict, project_dir: Path) -> Iterator[tuple[str, dict, dict]]:
    """The tables one entry describes (itself, or one per export model), each with where messages
    place it, its sources and the values of its placeholders ({table}, {destination}, ...)."""
    if not isinstance(entry, dict):
        raise SuiteError(f"{where}: expected an object with table and checks")
    _known_fields(where, entry, TABLE_FIELDS)
    if not isinstance(entry.get("table"), str):
        raise SuiteError(f"{where}.table: expected a str, got {entry.get('table')!r}")
    if not isinstance(entry.get("checks"), list) or not entry["checks"]:
        raise SuiteError(f"{where}.checks: expected a non-empty list, got {entry.get('checks')!r}")
    sources = entry.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(s, str) for s in sources.values()):
        raise SuiteError(f"{where}.sources: expected an object of SQL texts, got {sources!r}")
    repeat = entry.get("for_each")
    if repeat is None:
        repeated = [{}]
    elif repeat not in REPEATS:
        raise SuiteError(f"{where}.for_each: expected one of {REPEATS}, got {repeat!r}")
    else:
        try:
            models = export_models(project_dir)
        except (OSError, ValueError) as error:
            raise SuiteError(f"{where}.for_each: {error}") from error
        repeated = [
            {"destination": m.destination, "consent_purpose": m.consent_purpose} for m in models
        ]
    for values in repeated:
        table = _fill(f"{where}.table", entry["table"], values)
        values = {**values, "table": table}
        place = f"{where} ({table})" if repeat else where
        filled = {n: _fill(f"{place}.sources.{n}", s, values) for n, s in sources.items()}
        yield place, filled, values


def _check(where: str, suite: str, index: int, fields: dict, sources: dict, values: dict) -> Check:
    """One check of a table (`values["table"]`), as a Great Expectations expectation whose `meta`
    says what it is computed from."""
    if not isinstance(fields, dict):
        raise SuiteError(f"{where}: expected an object with metric, sql, bounds and blocking")
    _known_fields(where, fields, CHECK_FIELDS)
    if not isinstance(fields.get("blocking"), bool):
        raise SuiteError(f"{where}.blocking: expected a bool, got {fields.get('blocking')!r}")
    description = fields.get("description", "")
    if not isinstance(description, str):
        raise SuiteError(f"{where}.description: expected a str, got {description!r}")
    table = values["table"]
    meta = {
        "table": table,
        "blocking": fields["blocking"],
        "description": _fill(f"{where}.description", description, values),
    }
    source, frame = table, "metrics"
    if "columns" in fields:
        columns = fields["columns"]
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise SuiteError(
                f"{where}.columns: expected a list of '<name>:<TYPE>', got {columns!r}"
            )
        for field in CHECK_FIELDS[:7]:
            if field in fields:
                raise SuiteError(f"{where}.{field}: not a field of a check of columns")
        frame = meta["frame"] = "columns"
        type_ = CONTAINS_SET
        kwargs = {"column": "column_and_type", "value_set": columns}
    else:
        for field in ("metric", "sql"):
            if not isinstance(fields.get(field), str):
                raise SuiteError(f"{where}.{field}: expected a str, got {fields.get(field)!r}")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", fields["metric"]):
            raise SuiteError(
                f"{where}.metric: expected a name of lowercase letters, digits and _, "
                f"got {fields['metric']!r}"
            )
        bounds = {k: fields[k] for k in ("min_value", "max_value") if k in fields}
        if not bounds or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in bounds.values()
        ):
            raise SuiteError(f"{where}: expected a number min_value, max_value or both")
        meta["metric"] = _fill(f"{where}.sql", fields["sql"], values)
        if "from" in fields:
            if fields["from"] not in sources:
                raise SuiteError(
                    f"{where}.from: expected one of the table's sources {sorted(sources)}, "
                    f"got {fields['from']!r}"
                )
            source = meta["from"] = sources[fields["from"]]
        if "group_by" in fields:
            if not isinstance(fields["group_by"], str):
                raise SuiteError(f"{where}.group_by: expected SQL text, got {fields['group_by']!r}")
            frame = meta["frame"] = "groups"
            meta["group_by"] = _fill(f"{where}.group_by", fields["group_by"], values)
        if "compare" in fields:
            if fields["compare"] not in COMPARISONS:
                raise SuiteError(
                    f"{where}.compare: expected one of {COMPARISONS}, got {fields['compare']!r}"
                )
            meta["compare"] = fields["compare"]
        type_ = BETWEEN
        kwargs = {"column": fields["metric"], **bounds}
    try:
        configuration = ExpectationConfiguration(type=type_, kwargs=kwargs, meta=meta)
        configuration.to_domain_obj()
    except Exception as error:  # GX raises several kinds for bad kwargs
        raise SuiteError(f"{where}: not a valid Great Expectations expectation: {error}") from error
    return Check(
        suite=suite,
        index=index,
        configuration=configuration,
        table=table,
        source=source,
        frame=frame,
        metric=meta.get("metric"),
        compare=meta.get("compare"),
        is_blocking=fields["blocking"],
        description=meta["description"],
        group_by=meta.get("group_by"),
    )


def _known_fields(where: str, entry: dict, known: tuple[str, ...]) -> None:
    for field in entry:
        if field not in known:
            raise SuiteError(f"{where}.{field}: unknown field; expected one of {', '.join(known)}")


def _fill(where: str, text: str, values: dict[str, str]) -> str:
    """`text` with its placeholders replaced (SQL braces such as a regex's {6,14} are kept)."""
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    left = re.search(r"\{(" + "|".join(PLACEHOLDERS) + r")\}", text)
    if left:
        raise SuiteError(
            f"{where}: {left.group(0)} has no value here (a table entry without for_each "
            "has only {table})"
        )
    return text
