{#-
    Custom schemas are used as named (staging, analytics, ...) rather than prefixed with the
    target schema, so BI tools and grants see stable names. Set env AUDIENCE_SCHEMA_PREFIX
    (e.g. `dev_alice_`) to keep several developers apart in one shared warehouse.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ env_var('AUDIENCE_SCHEMA_PREFIX', '') }}{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
