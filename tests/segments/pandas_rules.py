"""An independent evaluation of segment rules with pandas, written from the language's spec
(doc `segment_rules`, models/activation/segments/_segments__docs.md) rather than from the SQL
macros, so a
test can compare the two. A rule evaluates to the set of person_ids that meet it. The `sql` escape
hatch is the one node not evaluated independently: its expression runs in DuckDB against the
dim_persons rows given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import yaml

from orchestration.paths import PROJECT_DIR

SEGMENTS_DIR = PROJECT_DIR / "models" / "activation" / "segments"


def shipped_definitions() -> dict[str, dict]:
    """segment name -> config.meta.segment of every segment model's YAML."""
    definitions = {}
    for path in sorted(SEGMENTS_DIR.glob("*/_*__segments.yml")):
        for model in yaml.safe_load(path.read_text())["models"]:
            definition = model.get("config", {}).get("meta", {}).get("segment")
            if definition is not None:
                definitions[model["name"].removeprefix("segment_")] = definition
    return definitions


@dataclass
class Inputs:
    users: pd.DataFrame  # dim_persons
    events: pd.DataFrame  # int_events_mapped_to_persons
    orders: pd.DataFrame  # int_completed_orders_filtered
    as_of_ends_at: pd.Timestamp
    definitions: dict[str, dict]
    run_sql: Callable[[str], set[str]] = field(default=lambda expression: set())

    @property
    def everybody(self) -> set[str]:
        return set(self.users["person_id"])


def condition_holds(frame: pd.DataFrame, condition: dict) -> pd.Series:
    """A condition on a column, true or false for each row, never null: a null value fails every
    comparison but is_null."""
    column, op, value = frame[condition["name"]], condition["op"], condition.get("value")
    present = column.notna()
    if op == "is_null":
        return ~present
    if op == "is_not_null":
        return present
    if op == "contains":
        return present & column.astype(str).str.contains(str(value), regex=False)
    if op == "in":
        return present & column.isin(value)
    if op == "not_in":
        return present & ~column.isin(value)
    if op == "between":
        low, high = value
        return present & (column >= low) & (column <= high)
    compare = {
        "=": column.__eq__,
        "!=": column.__ne__,
        "<": column.__lt__,
        "<=": column.__le__,
        ">": column.__gt__,
        ">=": column.__ge__,
    }[op]
    return present & compare(value).fillna(False).astype(bool)


def all_hold(frame: pd.DataFrame, conditions: list[dict]) -> pd.Series:
    holds = pd.Series(True, index=frame.index)
    for condition in conditions:
        holds &= condition_holds(frame, condition)
    return holds


def before_as_of(frame: pd.DataFrame, column: str, inputs: Inputs, within_days=None):
    """Rows up to the end of the as-of date, and in the last within_days days when given."""
    keep = frame[column] < inputs.as_of_ends_at
    if within_days is not None:
        keep &= frame[column] >= inputs.as_of_ends_at - pd.Timedelta(days=within_days)
    return frame[keep]


def matching_events(step: dict, inputs: Inputs, within_days=None) -> pd.DataFrame:
    events = inputs.events[inputs.events["event_name"] == step["name"]]
    events = events[all_hold(events, step.get("where", []))]
    return before_as_of(events, "event_at", inputs, within_days)


def evaluate(rule: dict, inputs: Inputs) -> set[str]:
    (kind, body), *others = rule.items()
    assert not others, f"a rule has one key: {rule}"
    return EVALUATORS[kind](body, inputs)


def evaluate_all(rules: list[dict], inputs: Inputs) -> set[str]:
    members = inputs.everybody
    for rule in rules:
        members &= evaluate(rule, inputs)
    return members


def evaluate_any(rules: list[dict], inputs: Inputs) -> set[str]:
    return set().union(*(evaluate(rule, inputs) for rule in rules))


def evaluate_not(rule: dict, inputs: Inputs) -> set[str]:
    return inputs.everybody - evaluate(rule, inputs)


def evaluate_column(condition: dict, inputs: Inputs) -> set[str]:
    users = inputs.users
    return set(users.loc[condition_holds(users, condition), "person_id"])


def evaluate_event(body: dict, inputs: Inputs) -> set[str]:
    events = matching_events(body, inputs, body.get("within_days"))
    keys = ["person_id"] + ([body["per"]] if "per" in body else [])
    groups = events.groupby(keys, dropna=False)
    counts = groups[body["distinct"]].nunique() if "distinct" in body else groups.size()
    if "per" in body:
        counts = counts.groupby(level="person_id").max()
    counts = counts.reindex(inputs.users["person_id"], fill_value=0)
    (bound,) = {"at_least", "at_most", "exactly"} & body.keys()
    meets = {
        "at_least": counts >= body[bound],
        "at_most": counts <= body[bound],
        "exactly": counts == body[bound],
    }[bound]
    return set(counts.index[meets])


def evaluate_sequence(body: dict, inputs: Inputs) -> set[str]:
    """Chains of steps, each strictly after the previous, the last at most within_minutes after
    the first, with equal values of the `same` columns."""
    limit = pd.Timedelta(minutes=body["within_minutes"])
    same = body.get("same", [])
    first, *later = body["steps"]
    chains = matching_events(first, inputs, body.get("within_days"))[
        ["person_id", "event_at", *same]
    ].rename(columns={"event_at": "first_at"})
    chains["previous_at"] = chains["first_at"]
    for step in later:
        events = matching_events(step, inputs)[["person_id", "event_at", *same]]
        chains = chains.merge(events, on=["person_id", *same])
        chains = chains[
            (chains["event_at"] > chains["previous_at"])
            & (chains["event_at"] <= chains["first_at"] + limit)
        ]
        chains = chains.drop(columns="previous_at").rename(columns={"event_at": "previous_at"})
    return set(chains["person_id"])


def evaluate_absence(body: dict, inputs: Inputs) -> set[str]:
    """Some trigger whose wait is over by the end of the as-of date without a follow-up in
    (trigger, trigger + wait_hours]."""
    wait = pd.Timedelta(hours=body["wait_hours"])
    triggers = matching_events(body["after"], inputs, body.get("within_days"))
    triggers = triggers[triggers["event_at"] + wait <= inputs.as_of_ends_at]
    triggers = triggers[["person_id", "event_at"]].reset_index(drop=True)
    triggers["trigger"] = triggers.index
    follow_ups = matching_events(body["missing"], inputs)[["person_id", "event_at"]]
    pairs = triggers.merge(follow_ups, on="person_id", suffixes=("", "_follow_up"))
    answered = pairs.loc[
        (pairs["event_at_follow_up"] > pairs["event_at"])
        & (pairs["event_at_follow_up"] <= pairs["event_at"] + wait),
        "trigger",
    ]
    return set(triggers.loc[~triggers["trigger"].isin(answered), "person_id"])


def evaluate_orders(body: dict, inputs: Inputs) -> set[str]:
    orders = before_as_of(inputs.orders, "ordered_at", inputs, body.get("within_days"))
    orders = orders[all_hold(orders, body.get("where", []))]
    aggregate = body["aggregate"]
    grouped = orders.groupby("person_id")
    if aggregate == "count":
        values = grouped.size()
    else:
        values = grouped[body["field"]].agg({"avg": "mean"}.get(aggregate, aggregate))
    people = inputs.users["person_id"]
    # count and sum are 0 without orders; avg, min and max have no value, so the test fails
    values = values.reindex(people, fill_value=0) if aggregate in ("count", "sum") else values
    frame = pd.DataFrame({"value": values.astype(float)})
    holds = condition_holds(frame, {"name": "value", "op": body["op"], "value": body["value"]})
    return set(frame.index[holds])


def evaluate_segment(name: str, inputs: Inputs) -> set[str]:
    return evaluate(inputs.definitions[name]["rule"], inputs)


def evaluate_sql(expression: str, inputs: Inputs) -> set[str]:
    return inputs.run_sql(expression)


EVALUATORS: dict[str, Callable[..., set[str]]] = {
    "all": evaluate_all,
    "any": evaluate_any,
    "not": evaluate_not,
    "column": evaluate_column,
    "event": evaluate_event,
    "sequence": evaluate_sequence,
    "absence": evaluate_absence,
    "orders": evaluate_orders,
    "segment": evaluate_segment,
    "sql": evaluate_sql,
}
