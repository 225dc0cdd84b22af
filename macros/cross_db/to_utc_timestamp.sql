{#- A timestamp with time zone (or ISO-8601 text with an offset) as a UTC timestamp without time zone; null when unparseable. -#}
{% macro to_utc_timestamp(expression) %}
    {{ return(adapter.dispatch('to_utc_timestamp', 'audience')(expression)) }}
{% endmacro %}

{% macro default__to_utc_timestamp(expression) -%}
    cast({{ dbt.safe_cast(expression, api.Column.translate_type('timestamp with time zone')) }} at time zone 'UTC' as timestamp)
{%- endmacro %}

{% macro duckdb__to_utc_timestamp(expression) -%}
    timezone('UTC', try_cast({{ expression }} as timestamptz))
{%- endmacro %}

{% macro snowflake__to_utc_timestamp(expression) -%}
    convert_timezone('UTC', try_to_timestamp_tz(to_varchar({{ expression }})))::timestamp_ntz
{%- endmacro %}

{% macro bigquery__to_utc_timestamp(expression) -%}
    datetime(safe_cast({{ expression }} as timestamp), 'UTC')
{%- endmacro %}

{#- Spark: `timestamp` is an instant shown in the session's time zone, which the profile sets to UTC. -#}
{% macro spark__to_utc_timestamp(expression) -%}
    try_cast({{ expression }} as timestamp)
{%- endmacro %}
