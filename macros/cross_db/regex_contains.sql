{#- True when some part of `expression` matches the regular expression `pattern` (a SQL string literal). -#}
{% macro regex_contains(expression, pattern, case_insensitive=false) %}
    {{ return(adapter.dispatch('regex_contains', 'audience')(expression, pattern, case_insensitive)) }}
{% endmacro %}

{% macro default__regex_contains(expression, pattern, case_insensitive) -%}
    regexp_like({{ expression }}, {{ pattern }}{{ ", 'i'" if case_insensitive }})
{%- endmacro %}

{% macro duckdb__regex_contains(expression, pattern, case_insensitive) -%}
    regexp_matches({{ expression }}, {{ pattern }}{{ ", 'i'" if case_insensitive }})
{%- endmacro %}

{% macro postgres__regex_contains(expression, pattern, case_insensitive) -%}
    ({{ expression }} {{ '~*' if case_insensitive else '~' }} {{ pattern }})
{%- endmacro %}

{% macro bigquery__regex_contains(expression, pattern, case_insensitive) -%}
    regexp_contains({{ expression }}, {{ "concat('(?i)', " ~ pattern ~ ")" if case_insensitive else pattern }})
{%- endmacro %}

{% macro spark__regex_contains(expression, pattern, case_insensitive) -%}
    ({{ expression }} rlike {{ "concat('(?i)', " ~ pattern ~ ")" if case_insensitive else pattern }})
{%- endmacro %}
