{#- A SQL string literal holding the regular expression `text` exactly (quotes, and on engines whose literals read backslash escapes, backslashes escaped). -#}
{% macro regex_literal(text) %}
    {{ return(adapter.dispatch('regex_literal', 'audience')(text)) }}
{% endmacro %}

{% macro default__regex_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro bigquery__regex_literal(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{% macro spark__regex_literal(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
