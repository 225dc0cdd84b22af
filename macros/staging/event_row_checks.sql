{#-
    The checks every raw event row of a Segment-style table passes (a list for classify_rows):
    a message id, an anonymous or user id, parseable event and receipt times, and an event time
    within range of its receipt (macro is_event_time_out_of_range).
-#}
{% macro event_row_checks(event_at) -%}
    {{ return([
        {'reason': 'missing_message_id', 'when': 'message_id is null'},
        {'reason': 'missing_identifier', 'when': 'anonymous_id is null and user_id is null'},
        {'reason': 'invalid_timestamp', 'when': event_at ~ ' is null or received_at is null'},
        {'reason': 'timestamp_out_of_range',
         'when': audience.is_event_time_out_of_range(event_at, 'received_at'),
         'value': event_at},
    ]) }}
{%- endmacro %}
