"""Reading the suites under expectations/: Great Expectations 1.x suite files whose expectations
say, in their `meta`, what they are computed from. A mistake fails with the file, the
expectation and the field."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import great_expectations as gx
from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

SUITES_DIR = Path(__file__).resolve().parents[2] / "expectations"
FRAMES = ("metrics", "columns", "groups")
COMPARISONS = ("previous_run",)


class SuiteError(ValueError):
    """A suite file that cannot be used, with the file, the expectation and the field."""


@dataclass(frozen=True)
class Check:
    """One expectation of a suite and where its value comes from.

    frame `metrics`: `column` names a metric, the SQL aggregate `metric` over `source` (`from`
    in the meta: a parenthesized subquery with an alias, when the metric needs joins; `table`
    otherwise); with compare `previous_run` the value checked is the share it changed by since
    the last check run. frame `groups`: the same per group of `group_by` (a SQL expression over
    the source), one row per group, each checked; with compare `previous_run` each group's value
    is the share it changed by since the last run that saw the group. frame `columns`: one row per
    column of `table` with `column_and_type` (`<name>:<TYPE>`). `table` is what messages name."""

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


def load_suite(path: Path) -> Suite:
    try:
        document = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise SuiteError(f"{path}: not valid JSON: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("name"), str):
        raise SuiteError(f"{path}: expected an object with a string `name`")
    expectations = document.get("expectations")
    if not isinstance(expectations, list) or not expectations:
        raise SuiteError(f"{path}: expected a non-empty list `expectations`")
    name = document["name"]
    return Suite(name, path, [_check(path, name, i, e) for i, e in enumerate(expectations)])


def _check(path: Path, suite: str, index: int, expectation: dict) -> Check:
    where = f"{path}: expectations[{index}]"
    if not isinstance(expectation, dict):
        raise SuiteError(f"{where}: expected an object with type, kwargs and meta")
    meta = expectation.get("meta") or {}
    kwargs = expectation.get("kwargs") or {}
    frame = meta.get("frame", "metrics")
    required = {"table": str, "blocking": bool}
    if frame in ("metrics", "groups"):
        required["metric"] = str
    if frame == "groups":
        required["group_by"] = str
    for field, kind in required.items():
        if not isinstance(meta.get(field), kind):
            raise SuiteError(
                f"{where}.meta.{field}: expected a {kind.__name__}, got {meta.get(field)!r}"
            )
    if not isinstance(meta.get("from", ""), str):
        raise SuiteError(f"{where}.meta.from: expected SQL text, got {meta['from']!r}")
    if frame not in FRAMES:
        raise SuiteError(f"{where}.meta.frame: expected one of {FRAMES}, got {frame!r}")
    if frame == "columns" and kwargs.get("column") != "column_and_type":
        raise SuiteError(f"{where}.kwargs.column: expected 'column_and_type' with frame columns")
    if not isinstance(kwargs.get("column"), str):
        raise SuiteError(f"{where}.kwargs.column: expected the metric's name")
    compare = meta.get("compare")
    if compare is not None and compare not in COMPARISONS:
        raise SuiteError(f"{where}.meta.compare: expected one of {COMPARISONS}, got {compare!r}")
    try:
        configuration = ExpectationConfiguration(
            type=expectation.get("type"), kwargs=kwargs, meta=meta
        )
        configuration.to_domain_obj()
    except Exception as error:  # GX raises several kinds for an unknown type or bad kwargs
        raise SuiteError(f"{where}: not a valid Great Expectations expectation: {error}") from error
    return Check(
        suite=suite,
        index=index,
        configuration=configuration,
        table=meta["table"],
        source=meta.get("from", meta["table"]),
        frame=frame,
        metric=meta.get("metric"),
        compare=compare,
        is_blocking=meta["blocking"],
        description=meta.get("description", ""),
        group_by=meta.get("group_by"),
    )
