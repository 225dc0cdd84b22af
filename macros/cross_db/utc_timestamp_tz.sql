{#- A timestamp without time zone that holds UTC, as a timestamp with time zone (whatever the session's time zone). -#}
{% macro utc_timestamp_tz(expression) %}
    {{ return(adapter.dispatch('utc_timestamp_tz', 'audience')(expression)) }}
{% endmacro %}

{% macro default__utc_timestamp_tz(expression) -%}
    cast({{ expression }} as {{ api.Column.translate_type('timestamp with time zone') }})
{%- endmacro %}

{% macro duckdb__utc_timestamp_tz(expression) -%}
    timezone('UTC', {{ expression }})
{%- endmacro %}

{% macro spark__utc_timestamp_tz(expression) -%}
    cast({{ expression }} as timestamp)
{%- endmacro %}
