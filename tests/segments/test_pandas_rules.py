"""The pandas evaluator that the shipped segments are checked against must itself follow the
spec: tiny hand-made frames, one behaviour per test."""

from __future__ import annotations

import pandas as pd

from tests.segments.pandas_rules import Inputs, evaluate

AS_OF_ENDS_AT = pd.Timestamp("2026-10-31")


def inputs(events=(), orders=(), users=("a", "b", "c"), **columns) -> Inputs:
    event_frame = pd.DataFrame(
        list(events), columns=["person_id", "event_name", "event_at", "product_id", "category"]
    )
    event_frame["event_at"] = pd.to_datetime(event_frame["event_at"])
    order_frame = pd.DataFrame(list(orders), columns=["person_id", "ordered_at", "total"])
    order_frame["ordered_at"] = pd.to_datetime(order_frame["ordered_at"])
    return Inputs(
        users=pd.DataFrame({"person_id": list(users), **columns}),
        events=event_frame,
        orders=order_frame,
        as_of_ends_at=AS_OF_ENDS_AT,
        definitions={"big": {"rule": {"column": {"name": "age", "op": ">", "value": 40}}}},
    )


def test_a_null_fails_a_comparison_and_its_negation_holds():
    data = inputs(age=[30, None, 50])
    assert evaluate({"column": {"name": "age", "op": "<", "value": 40}}, data) == {"a"}
    assert evaluate({"not": {"column": {"name": "age", "op": "<", "value": 40}}}, data) == {
        "b",
        "c",
    }
    assert evaluate({"column": {"name": "age", "op": "is_null"}}, data) == {"b"}


def test_all_any_and_segment_references_combine():
    data = inputs(age=[30, 45, 50], city=["NY", "NY", "LA"])
    rule = {
        "any": [
            {"all": [{"segment": "big"}, {"column": {"name": "city", "op": "=", "value": "NY"}}]},
            {"column": {"name": "city", "op": "contains", "value": "L"}},
        ]
    }
    assert evaluate(rule, data) == {"b", "c"}


def test_event_counts_per_group_distinct_and_zero_for_nobody():
    events = [
        ("a", "Viewed", "2026-10-30 10:00", "p1", "shoes"),
        ("a", "Viewed", "2026-10-30 10:01", "p1", "shoes"),
        ("a", "Viewed", "2026-10-30 10:02", "p2", "shoes"),
        ("a", "Viewed", "2026-10-30 10:03", "p3", "hats"),
        ("b", "Viewed", "2026-10-20 10:00", "p1", "shoes"),
        ("b", "Viewed", "2026-10-31 00:00", "p2", "shoes"),
    ]
    data = inputs(events)
    per_category = {"name": "Viewed", "distinct": "product_id", "per": "category"}
    assert evaluate({"event": {**per_category, "at_least": 2}}, data) == {"a"}
    assert evaluate({"event": {**per_category, "at_least": 3}}, data) == set()
    # b's second view is after the as-of date and its first outside the 7 days
    assert evaluate({"event": {"name": "Viewed", "exactly": 0, "within_days": 7}}, data) == {
        "b",
        "c",
    }


def test_a_sequence_at_exactly_its_time_limit_counts_and_steps_must_be_strictly_later():
    events = [
        ("a", "Watched", "2026-10-30 10:00:00", "p1", None),
        ("a", "Added", "2026-10-30 10:10:00", "p1", None),
        ("b", "Watched", "2026-10-30 10:00:00", "p1", None),
        ("b", "Added", "2026-10-30 10:10:01", "p1", None),
        ("c", "Watched", "2026-10-30 10:00:00", "p1", None),
        ("c", "Added", "2026-10-30 10:00:00", "p1", None),
    ]
    rule = {
        "sequence": {
            "steps": [{"name": "Watched"}, {"name": "Added"}],
            "within_minutes": 10,
            "same": ["product_id"],
        }
    }
    assert evaluate(rule, inputs(events)) == {"a"}


def test_absence_needs_the_wait_over_and_no_follow_up_up_to_its_end():
    events = [
        ("a", "Added", "2026-10-29 12:00:00", None, None),  # wait ends 10-30 12:00, unanswered
        ("b", "Added", "2026-10-29 12:00:00", None, None),
        ("b", "Ordered", "2026-10-30 12:00:00", None, None),  # exactly at the wait's end: answered
        ("c", "Added", "2026-10-30 00:00:01", None, None),  # wait not over by 10-31 00:00
    ]
    absence = {"after": {"name": "Added"}, "missing": {"name": "Ordered"}, "wait_hours": 24}
    rule = {"absence": absence}
    assert evaluate(rule, inputs(events)) == {"a"}


def test_order_sums_are_zero_without_orders_and_averages_are_missing():
    orders = [("a", "2026-10-01", 300.0), ("a", "2026-10-20", 250.0), ("b", "2026-05-01", 900.0)]
    data = inputs(orders=orders)
    total = {"aggregate": "sum", "field": "total", "within_days": 90}
    assert evaluate({"orders": {**total, "op": ">", "value": 500}}, data) == {"a"}
    assert evaluate({"orders": {**total, "op": "=", "value": 0}}, data) == {"b", "c"}
    average = {"aggregate": "avg", "field": "total", "op": "<", "value": 1000}
    assert evaluate({"orders": average}, data) == {"a", "b"}
