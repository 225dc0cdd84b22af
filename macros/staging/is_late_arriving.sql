{#- True when an event was received more than var late_arrival_hours after it happened. -#}
{% macro is_late_arriving(event_at, received_at) -%}
    coalesce({{ received_at }} > {{ dbt.dateadd('hour', var('late_arrival_hours'), event_at) }}, false)
{%- endmacro %}
