{#- Lowercase hex SHA-256 of a text expression, as ad platforms expect hashed identifiers. -#}
{% macro sha256_hex(expression) %}
    {{ return(adapter.dispatch('sha256_hex', 'audience')(expression)) }}
{% endmacro %}

{% macro default__sha256_hex(expression) -%}
    lower(sha2(cast({{ expression }} as {{ dbt.type_string() }}), 256))
{%- endmacro %}

{% macro duckdb__sha256_hex(expression) -%}
    sha256(cast({{ expression }} as {{ dbt.type_string() }}))
{%- endmacro %}

{% macro bigquery__sha256_hex(expression) -%}
    to_hex(sha256(cast({{ expression }} as string)))
{%- endmacro %}
