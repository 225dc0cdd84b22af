{#- True for an event time before var min_valid_event_at or later than its receipt plus var max_clock_skew_hours. -#}
{% macro is_event_time_out_of_range(event_at, received_at) -%}
    ({{ event_at }} < cast('{{ var("min_valid_event_at") }}' as {{ dbt.type_timestamp() }})
        or {{ event_at }} > {{ dbt.dateadd('hour', var('max_clock_skew_hours'), received_at) }})
{%- endmacro %}
