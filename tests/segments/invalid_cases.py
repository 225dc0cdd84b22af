"""Invalid segment definitions and the error each must fail the build with. Each case becomes a
model segment_<id> in models/activation/segments/invalid/ of a project copy; `error` is the
message after "<yaml file>: segment '<id>': ". `schema_level` cases break the JSON Schema itself
(jsonschema must reject them too); the others break what only the compiler can check."""

from __future__ import annotations

VALID_RULE = {"column": {"name": "age", "op": ">=", "value": 18}}
BASE = {"label": "A segment", "owner": "crm", "rule": VALID_RULE}


def definition(**changes) -> dict:
    return {key: value for key, value in {**BASE, **changes}.items() if value is not None}


def orders_where(name: str, op: str, value) -> dict:
    """A definition whose rule counts the orders that meet one condition."""
    where = [{"name": name, "op": op, "value": value}]
    return definition(
        rule={"orders": {"aggregate": "count", "where": where, "op": ">", "value": 0}}
    )


def event_where(event: str, name: str, op: str, value) -> dict:
    """A definition whose rule wants one event that meets one condition."""
    where = [{"name": name, "op": op, "value": value}]
    return definition(rule={"event": {"name": event, "where": where, "at_least": 1}})


CASES = [
    {
        "id": "missing_owner",
        "definition": definition(owner=None),
        "error": "segment.owner: expected a value, the field is required",
        "schema_level": True,
    },
    {
        "id": "unknown_field",
        "definition": definition(audience_size=10),
        "error": "segment.audience_size: expected no such field; allowed: label, owner, rule,",
        "schema_level": True,
    },
    {
        "id": "min_size_as_text",
        "definition": definition(min_size="ten"),
        "error": 'segment.min_size: expected integer, got "ten"',
        "schema_level": True,
    },
    {
        "id": "holdout_share_too_large",
        "definition": definition(holdout_share=0.8),
        "error": "segment.holdout_share: expected a number <= 0.5, got 0.8",
        "schema_level": True,
    },
    {
        "id": "rule_with_two_keys",
        "definition": definition(rule={**VALID_RULE, "sql": "true"}),
        "error": "segment.rule: expected exactly one of all, any, not, column,",
        "schema_level": True,
    },
    {
        "id": "unknown_rule_key",
        "definition": definition(rule={"everyone": True}),
        "error": "segment.rule.everyone: expected no such field; allowed: all, any,",
        "schema_level": True,
    },
    {
        "id": "empty_all",
        "definition": definition(rule={"all": []}),
        "error": "segment.rule.all: expected at least 1 items, got 0",
        "schema_level": True,
    },
    {
        "id": "operator_not_allowed",
        "definition": definition(rule={"column": {"name": "age", "op": "~", "value": 1}}),
        "error": "segment.rule.column.op: expected one of =, !=, <, <=, >, >=, between,",
        "schema_level": True,
    },
    {
        "id": "value_with_is_null",
        "definition": definition(rule={"column": {"name": "age", "op": "is_null", "value": ">18"}}),
        "error": 'segment.rule.column.value: expected no value with op is_null, got ">18"',
        "schema_level": False,
    },
    {
        "id": "negative_window",
        "definition": definition(
            rule={"event": {"name": "Product Viewed", "at_least": 1, "within_days": -7}}
        ),
        "error": "segment.rule.event.within_days: expected a number >= 1, got -7",
        "schema_level": True,
    },
    {
        "id": "sequence_of_one_step",
        "definition": definition(
            rule={"sequence": {"steps": [{"name": "Product Added"}], "within_minutes": 5}}
        ),
        "error": "segment.rule.sequence.steps: expected at least 2 items, got 1",
        "schema_level": True,
    },
    {
        "id": "sequence_of_five_steps",
        "definition": definition(
            rule={"sequence": {"steps": [{"name": "Product Added"}] * 5, "within_minutes": 5}}
        ),
        "error": "segment.rule.sequence.steps: expected at most 4 items, got 5",
        "schema_level": True,
    },
    {
        "id": "sequence_without_time_limit",
        "definition": definition(
            rule={"sequence": {"steps": [{"name": "Product Viewed"}, {"name": "Product Added"}]}}
        ),
        "error": "segment.rule.sequence.within_minutes: expected a value, the field is required",
        "schema_level": True,
    },
    {
        "id": "absence_without_follow_up",
        "definition": definition(
            rule={"absence": {"after": {"name": "Product Added"}, "wait_hours": 24}}
        ),
        "error": "segment.rule.absence.missing: expected a value, the field is required",
        "schema_level": True,
    },
    {
        "id": "unknown_order_aggregate",
        "definition": definition(
            rule={"orders": {"aggregate": "median", "field": "x", "op": ">", "value": 1}}
        ),
        "error": "segment.rule.orders.aggregate: expected one of count, sum, avg, min, max",
        "schema_level": True,
    },
    {
        "id": "empty_sql",
        "definition": definition(rule={"sql": ""}),
        "error": 'segment.rule.sql: expected a non-empty string, got ""',
        "schema_level": True,
    },
    {
        "id": "priority_without_group",
        "definition": definition(priority_group="offers"),
        "error": "segment.priority: expected an integer >= 1 since priority_group is set",
        "schema_level": False,
    },
    {
        "id": "unknown_column",
        "definition": definition(
            rule={"all": [VALID_RULE, {"column": {"name": "shoe_size", "op": ">", "value": 9}}]}
        ),
        "error": (
            "segment.rule.all[1].column.name: expected a column of dim_persons, got 'shoe_size'"
        ),
        "schema_level": False,
    },
    {
        "id": "between_with_one_value",
        "definition": definition(rule={"column": {"name": "age", "op": "between", "value": [25]}}),
        "error": "segment.rule.column.value: expected [low, high] with op between, got [25]",
        "schema_level": False,
    },
    {
        "id": "in_without_a_list",
        "definition": definition(rule={"column": {"name": "age", "op": "in", "value": 30}}),
        "error": "segment.rule.column.value: expected a non-empty list with op in, got 30",
        "schema_level": False,
    },
    {
        "id": "event_without_a_bound",
        "definition": definition(rule={"event": {"name": "Product Viewed", "within_days": 7}}),
        "error": "segment.rule.event: expected exactly one of at_least, at_most, exactly, got none",
        "schema_level": False,
    },
    {
        "id": "unknown_event_column",
        "definition": definition(
            rule={"event": {"name": "Product Viewed", "at_least": 2, "distinct": "sku"}}
        ),
        "error": "segment.rule.event.distinct: expected a column of int_events_mapped_to_persons,"
        " got 'sku'",
        "schema_level": False,
    },
    {
        "id": "order_sum_without_field",
        "definition": definition(rule={"orders": {"aggregate": "sum", "op": ">", "value": 1}}),
        "error": "segment.rule.orders.field: expected an order column to sum, got none",
        "schema_level": False,
    },
    {
        "id": "unknown_segment",
        "definition": definition(rule={"segment": "vip_whales"}),
        "error": "segment.rule.segment: expected the name of a segment (a model segment_<name>"
        " with config.meta.segment), got 'vip_whales'",
        "schema_level": False,
    },
    {
        "id": "segment_without_depends_on",  # macros/segments/segment_dependencies.sql is stale
        "definition": definition(rule={"not": {"segment": "churn_risk"}}),
        "error": "segment.rule.not.segment: expected the dependency on segment_churn_risk in"
        " macros/segments/segment_dependencies.sql: run `audience segment-deps` to write that"
        " file from the definitions",
        "schema_level": False,
    },
    # values of the wrong type for their column: the column types come from the data_type of the
    # input's YAML, the accepted values from the *_value definitions of the schema
    {
        "id": "text_compared_with_a_number_column",
        "definition": definition(rule={"column": {"name": "age", "op": ">", "value": "abc"}}),
        "error": "segment.rule.column.value: expected a number for column age (bigint) of"
        ' dim_persons, got "abc"',
        "schema_level": False,
    },
    {
        "id": "number_compared_with_a_boolean_column",
        "definition": definition(rule={"column": {"name": "is_known", "op": "=", "value": 1}}),
        "error": "segment.rule.column.value: expected true or false for column is_known"
        " (boolean) of dim_persons, got 1",
        "schema_level": False,
    },
    {
        "id": "number_compared_with_a_text_column",
        "definition": definition(rule={"column": {"name": "gender", "op": "=", "value": 1}}),
        "error": "segment.rule.column.value: expected a string for column gender (string) of"
        " dim_persons, got 1",
        "schema_level": False,
    },
    {
        "id": "text_in_a_list_for_a_number_column",
        "definition": definition(
            rule={"column": {"name": "age", "op": "in", "value": [30, "forty"]}}
        ),
        "error": "segment.rule.column.value[1]: expected a number for column age (bigint) of"
        ' dim_persons, got "forty"',
        "schema_level": False,
    },
    {
        "id": "between_high_below_low",
        "definition": definition(
            rule={"column": {"name": "age", "op": "between", "value": [34, 25]}}
        ),
        "error": "segment.rule.column.value: expected [low, high] with low <= high, got [34, 25]",
        "schema_level": False,
    },
    {
        "id": "date_not_in_iso_format",
        "definition": orders_where("order_date", ">=", "01/02/2026"),
        "error": "segment.rule.orders.where[0].value: expected an ISO date (YYYY-MM-DD) for"
        ' column order_date (date) of int_completed_orders_filtered, got "01/02/2026"',
        "schema_level": False,
    },
    {
        "id": "date_that_does_not_exist",
        "definition": orders_where("order_date", "<", "2026-02-30"),
        "error": "segment.rule.orders.where[0].value: expected an ISO date (YYYY-MM-DD) for"
        ' column order_date (date) of int_completed_orders_filtered, got "2026-02-30"',
        "schema_level": False,
    },
    {
        "id": "timestamp_in_words",
        "definition": event_where("Product Viewed", "event_at", ">", "yesterday"),
        "error": "segment.rule.event.where[0].value: expected an ISO date or timestamp"
        " (YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|+HH:MM]) for column event_at (timestamp) of"
        ' int_events_mapped_to_persons, got "yesterday"',
        "schema_level": False,
    },
    {
        "id": "percentage_as_text",
        "definition": event_where("Video Content Playing", "percent_watched", ">", "75%"),
        "error": "segment.rule.event.where[0].value: expected a number for column"
        ' percent_watched (decimal(28,6)) of int_events_mapped_to_persons, got "75%"',
        "schema_level": False,
    },
    {
        "id": "maximum_of_a_timestamp",
        "definition": definition(
            rule={"orders": {"aggregate": "max", "field": "ordered_at", "op": ">", "value": 1}}
        ),
        "error": "segment.rule.orders.field: expected a numeric column of"
        " int_completed_orders_filtered to max, got 'ordered_at' (timestamp)",
        "schema_level": False,
    },
]
