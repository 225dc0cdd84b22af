"""Rules that are legal but probably not what their author meant: warnings, not errors."""

from __future__ import annotations

from collections.abc import Iterator

from orchestration.segments.findings import shown
from orchestration.segments.rules import Problem


def rule_ambiguities(rule: dict, path: str = "segment.rule") -> Iterator[Problem]:
    kind, body = next(iter(rule.items()))
    here = f"{path}.{kind}"
    if kind in ("all", "any"):
        if len(body) == 1:
            yield here, f"{kind} of a single rule: expected 2 or more rules, or the rule on its own"
        for index, child in enumerate(body):
            yield from rule_ambiguities(child, f"{here}[{index}]")
    elif kind == "not":
        if "not" in body:
            yield here, "not of a not: expected the inner rule on its own"
        yield from rule_ambiguities(body, here)
    elif kind == "column":
        yield from _condition_ambiguities(body, here)
    elif kind in ("event", "orders"):
        if kind == "event" and body.get("at_least") == 0:
            yield f"{here}.at_least", "at_least 0 holds for everybody: expected 1 or more"
        for index, condition in enumerate(body.get("where", [])):
            yield from _condition_ambiguities(condition, f"{here}.where[{index}]")
    elif kind in ("sequence", "absence"):
        steps = body["steps"] if kind == "sequence" else [body["after"], body["missing"]]
        parts = (
            [f"steps[{i}]" for i in range(len(steps))]
            if kind == "sequence"
            else ["after", "missing"]
        )
        for part, step in zip(parts, steps, strict=True):
            for index, condition in enumerate(step.get("where", [])):
                yield from _condition_ambiguities(condition, f"{here}.{part}.where[{index}]")


def _condition_ambiguities(condition: dict, path: str) -> Iterator[Problem]:
    op, value = condition["op"], condition.get("value")
    if op in ("in", "not_in") and isinstance(value, list):
        written = [shown(item) for item in value]  # JSON, so 1 and true differ
        for item in dict.fromkeys(item for item in written if written.count(item) > 1):
            yield f"{path}.value", f"expected each value once, got {item} more than once"
    is_pair = op == "between" and isinstance(value, list) and len(value) == 2
    if is_pair and shown(value[0]) == shown(value[1]):
        yield f"{path}.value", f"between {shown(value[0])} and itself: expected op = instead"
