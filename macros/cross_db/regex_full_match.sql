{#- True when the whole of `expression` matches the regular expression `pattern` (a SQL string literal). -#}
{% macro regex_full_match(expression, pattern) %}
    {{ return(adapter.dispatch('regex_full_match', 'audience')(expression, pattern)) }}
{% endmacro %}

{% macro default__regex_full_match(expression, pattern) -%}
    regexp_like({{ expression }}, '^(?:' || {{ pattern }} || ')$')
{%- endmacro %}

{% macro duckdb__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro bigquery__regex_full_match(expression, pattern) -%}
    regexp_contains({{ expression }}, '^(?:' || {{ pattern }} || ')$')
{%- endmacro %}

{% macro spark__regex_full_match(expression, pattern) -%}
    ({{ expression }} rlike concat('^(?:', {{ pattern }}, ')$'))
{%- endmacro %}
