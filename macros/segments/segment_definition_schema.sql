{#-
    The JSON Schema of a segment definition (config.meta.segment of a segment model), written as
    YAML so the build (validate_against_schema) and the Python tests (jsonschema) read the same
    text. Keep to the keywords validate_against_schema implements: type, enum, const, pattern,
    minimum, maximum, minLength, minItems, maxItems, items, properties, required,
    additionalProperties (false), minProperties, maxProperties, $ref (#/$defs/...), description.
    The *_value definitions are the values a condition may compare with a column: each lists, under
    the annotation x-column-types, the column data types (lowercase, without arguments) it serves.
    The compiler (_segment_value_checked) and `audience check-segments` both pick them from here.
-#}
{% macro segment_definition_schema() %}
{% set schema_yaml %}
# segment-definition-schema-start
$schema: https://json-schema.org/draft/2020-12/schema
title: segment definition
description: config.meta.segment of a segment model
type: object
required: [label, owner, rule]
additionalProperties: false
properties:
  label: {type: string, minLength: 1, description: display name}
  owner: {type: string, minLength: 1, description: team or person answerable for the segment}
  rule: {$ref: "#/$defs/rule"}
  priority_group: {type: string, pattern: "^[a-z][a-z0-9_]*$", description: mutually exclusive segments share a group}
  priority: {type: integer, minimum: 1, description: 1 wins within the priority group}
  min_size: {type: integer, minimum: 0, description: below this many members the segment is not exportable}
  holdout_share: {type: number, minimum: 0, maximum: 0.5, description: share of members held out of exports}
  destinations:
    type: array
    items: {type: string, pattern: "^[a-z][a-z0-9_]*$"}
  tags:
    type: array
    items: {type: string, minLength: 1}
$defs:
  rule:
    description: exactly one of the keys
    type: object
    minProperties: 1
    maxProperties: 1
    additionalProperties: false
    properties:
      all: {type: array, minItems: 1, items: {$ref: "#/$defs/rule"}}
      any: {type: array, minItems: 1, items: {$ref: "#/$defs/rule"}}
      not: {$ref: "#/$defs/rule"}
      column: {$ref: "#/$defs/condition"}
      event: {$ref: "#/$defs/event_count"}
      sequence: {$ref: "#/$defs/sequence"}
      absence: {$ref: "#/$defs/absence"}
      orders: {$ref: "#/$defs/orders"}
      segment: {type: string, pattern: "^[a-z][a-z0-9_]*$"}
      sql: {type: string, minLength: 1}
  column_name: {type: string, pattern: "^[a-z_][a-z0-9_]*$"}
  condition:
    type: object
    required: [name, op]
    additionalProperties: false
    properties:
      name: {$ref: "#/$defs/column_name"}
      op: {enum: ["=", "!=", "<", "<=", ">", ">=", between, in, not_in, contains, is_null, is_not_null]}
      value: {type: [string, number, boolean, array]}
  conditions:
    type: array
    items: {$ref: "#/$defs/condition"}
  event_filter:
    type: object
    required: [name]
    additionalProperties: false
    properties:
      name: {type: string, minLength: 1}
      where: {$ref: "#/$defs/conditions"}
  event_count:
    type: object
    required: [name]
    minProperties: 2
    additionalProperties: false
    properties:
      name: {type: string, minLength: 1}
      where: {$ref: "#/$defs/conditions"}
      at_least: {type: integer, minimum: 0}
      at_most: {type: integer, minimum: 0}
      exactly: {type: integer, minimum: 0}
      distinct: {$ref: "#/$defs/column_name"}
      per: {$ref: "#/$defs/column_name"}
      within_days: {type: integer, minimum: 1}
  sequence:
    type: object
    required: [steps, within_minutes]
    additionalProperties: false
    properties:
      steps: {type: array, minItems: 2, maxItems: 4, items: {$ref: "#/$defs/event_filter"}}
      within_minutes: {type: integer, minimum: 1}
      same:
        type: array
        minItems: 1
        items: {$ref: "#/$defs/column_name"}
      within_days: {type: integer, minimum: 1}
  absence:
    type: object
    required: [after, missing, wait_hours]
    additionalProperties: false
    properties:
      after: {$ref: "#/$defs/event_filter"}
      missing: {$ref: "#/$defs/event_filter"}
      wait_hours: {type: integer, minimum: 1}
      within_days: {type: integer, minimum: 1}
  orders:
    type: object
    required: [aggregate, op, value]
    additionalProperties: false
    properties:
      aggregate: {enum: [count, sum, avg, min, max]}
      field: {$ref: "#/$defs/column_name"}
      where: {$ref: "#/$defs/conditions"}
      op: {enum: ["=", "!=", "<", "<=", ">", ">="]}
      value: {type: number}
      within_days: {type: integer, minimum: 1}
  number_value:
    description: a number
    x-column-types: [tinyint, smallint, integer, int, bigint, hugeint, utinyint, usmallint, uinteger,
      ubigint, uhugeint, decimal, numeric, double, float, real]
    type: number
  boolean_value:
    description: true or false
    x-column-types: [boolean, bool]
    type: boolean
  date_value:
    description: an ISO date (YYYY-MM-DD)
    x-column-types: [date]
    type: string
    pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
  timestamp_value:
    description: an ISO date or timestamp (YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][Z|+HH:MM])
    x-column-types: [timestamp, datetime, timestamptz, timestamp with time zone]
    type: string
    pattern: '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$'
  text_value:
    description: a string
    x-column-types: [varchar, text, string, char, bpchar]
    type: string
# segment-definition-schema-end
{% endset %}
{{ return(fromyaml(schema_yaml)) }}
{% endmacro %}
