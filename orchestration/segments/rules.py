"""What the compiler checks in a rule beyond the schema (macros/segments/_segment_rule_sql.sql,
_segment_sql_parts.sql, _segment_value_checked.sql), checked the same way and worded the same:
columns exist, values have the arity their op needs and the type of their column, event counts
have one bound, aggregated order fields are numeric. Rules are assumed to conform to the schema."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from orchestration.segments.columns import INPUT_MODELS, ColumnTypes
from orchestration.segments.findings import shown
from orchestration.segments.schema import value_fits, value_kind

Problem = tuple[str, str]  # (field path, message)


@dataclass(frozen=True)
class RuleContext:
    columns: ColumnTypes
    schema: dict[str, Any]


def segment_references(rule: dict, path: str = "segment.rule") -> Iterator[tuple[str, str]]:
    """(field path, segment name) of every `segment` node of a rule, depth first."""
    kind, body = next(iter(rule.items()))
    here = f"{path}.{kind}"
    if kind in ("all", "any"):
        for index, child in enumerate(body):
            yield from segment_references(child, f"{here}[{index}]")
    elif kind == "not":
        yield from segment_references(body, here)
    elif kind == "segment":
        yield here, body


def rule_problems(rule: dict, path: str, context: RuleContext) -> Iterator[Problem]:
    kind, body = next(iter(rule.items()))
    here = f"{path}.{kind}"
    if kind in ("all", "any"):
        for index, child in enumerate(body):
            yield from rule_problems(child, f"{here}[{index}]", context)
    elif kind == "not":
        yield from rule_problems(body, here, context)
    elif kind == "column":
        yield from condition_problems(body, here, context, "users")
    elif kind == "event":
        bounds = [bound for bound in ("at_least", "at_most", "exactly") if bound in body]
        if len(bounds) != 1:
            got = ", ".join(bounds) if bounds else "none"
            yield here, f"expected exactly one of at_least, at_most, exactly, got {got}"
        for option in ("distinct", "per"):
            if option in body:
                yield from column_problems(body[option], f"{here}.{option}", context, "events")
        yield from filter_problems(body, here, context, "events")
    elif kind == "sequence":
        for index, column in enumerate(body.get("same", [])):
            yield from column_problems(column, f"{here}.same[{index}]", context, "events")
        for index, step in enumerate(body["steps"]):
            yield from filter_problems(step, f"{here}.steps[{index}]", context, "events")
    elif kind == "absence":
        for part in ("after", "missing"):
            yield from filter_problems(body[part], f"{here}.{part}", context, "events")
    elif kind == "orders":
        yield from order_problems(body, here, context)


def order_problems(body: dict, here: str, context: RuleContext) -> Iterator[Problem]:
    aggregate = body["aggregate"]
    if aggregate != "count" and "field" not in body:
        yield f"{here}.field", f"expected an order column to {aggregate}, got none"
    elif aggregate != "count":
        field, path = body["field"], f"{here}.field"
        problems = list(column_problems(field, path, context, "orders"))
        yield from problems
        data_type = context.columns["orders"].get(field)
        if not problems and value_kind(data_type, context.schema) not in ("number_value", None):
            yield (
                path,
                (
                    f"expected a numeric column of {INPUT_MODELS['orders']} to {aggregate},"
                    f" got '{field}' ({data_type})"
                ),
            )
    yield from filter_problems(body, here, context, "orders")


def filter_problems(
    body: dict, here: str, context: RuleContext, input_name: str
) -> Iterator[Problem]:
    for index, condition in enumerate(body.get("where", [])):
        yield from condition_problems(condition, f"{here}.where[{index}]", context, input_name)


def column_problems(
    column: str, path: str, context: RuleContext, input_name: str
) -> Iterator[Problem]:
    known = context.columns[input_name]
    if column not in known:
        yield (
            path,
            (
                f"expected a column of {INPUT_MODELS[input_name]}, got '{column}'; columns: "
                + ", ".join(known)
            ),
        )


def condition_problems(
    condition: dict, path: str, context: RuleContext, input_name: str
) -> Iterator[Problem]:
    """A condition {name, op, value}: the checks of _segment_condition_sql, in its order."""
    name, op, value = condition["name"], condition["op"], condition.get("value")
    unknown = list(column_problems(name, f"{path}.name", context, input_name))
    if unknown:
        yield from unknown
        return
    at = f"{path}.value"
    if op in ("is_null", "is_not_null"):
        if "value" in condition:
            yield at, f"expected no value with op {op}, got {shown(value)}"
    elif op == "between":
        if not isinstance(value, list) or len(value) != 2:
            yield at, f"expected [low, high] with op between, got {shown(value)}"
            return
        typed = [
            list(value_problems(item, f"{at}[{i}]", context, input_name, name))
            for i, item in enumerate(value)
        ]
        yield from (problem for problems in typed for problem in problems)
        if not any(typed) and _ordered_wrongly(*value):
            yield at, f"expected [low, high] with low <= high, got {shown(value)}"
    elif op in ("in", "not_in"):
        if not isinstance(value, list) or not value:
            yield at, f"expected a non-empty list with op {op}, got {shown(value)}"
            return
        for index, item in enumerate(value):
            yield from value_problems(item, f"{at}[{index}]", context, input_name, name)
    elif value is None or isinstance(value, list):
        yield at, f"expected a string, number or boolean with op {op}, got {shown(value)}"
    elif op != "contains":
        yield from value_problems(value, at, context, input_name, name)


def value_problems(
    value: Any, path: str, context: RuleContext, input_name: str, column: str
) -> Iterator[Problem]:
    data_type = context.columns[input_name][column]
    kind = value_kind(data_type, context.schema)
    if kind is not None and not value_fits(value, kind, context.schema):
        expected = context.schema["$defs"][kind]["description"]
        yield (
            path,
            (
                f"expected {expected} for column {column} ({data_type}) of"
                f" {INPUT_MODELS[input_name]}, got {shown(value)}"
            ),
        )


def _ordered_wrongly(low: Any, high: Any) -> bool:
    if isinstance(low, bool) or isinstance(high, bool):
        return False
    if isinstance(low, int | float) and isinstance(high, int | float):
        return low > high
    if isinstance(low, str) and isinstance(high, str):
        return low.replace("T", " ") > high.replace("T", " ")
    return False
