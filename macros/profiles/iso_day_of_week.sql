{#- ISO day of the week of a date or timestamp: 1 Monday ... 7 Sunday; null when null. -#}
{% macro iso_day_of_week(date_or_timestamp) %}
    {{ return(adapter.dispatch('iso_day_of_week', 'audience')(date_or_timestamp)) }}
{% endmacro %}

{% macro default__iso_day_of_week(date_or_timestamp) -%}
    {#- 1900-01-01 was a Monday; counting days from it avoids every engine's own weekday numbering. -#}
    (mod({{ dbt.datediff("cast('1900-01-01' as date)", date_or_timestamp, 'day') }}, 7) + 1)
{%- endmacro %}

{% macro duckdb__iso_day_of_week(date_or_timestamp) -%}
    isodow({{ date_or_timestamp }})
{%- endmacro %}

{% macro snowflake__iso_day_of_week(date_or_timestamp) -%}
    dayofweekiso({{ date_or_timestamp }})
{%- endmacro %}
