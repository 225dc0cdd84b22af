{#- `expression` with every match of `pattern` replaced by `replacement` (both SQL string literals). -#}
{% macro regex_replace_all(expression, pattern, replacement) %}
    {{ return(adapter.dispatch('regex_replace_all', 'audience')(expression, pattern, replacement)) }}
{% endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}

{% macro duckdb__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}

{% macro postgres__regex_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}
