{#- A SQL string literal holding `text` exactly (quotes, and on engines whose literals read backslash escapes, backslashes escaped): for values and regular expressions that Jinja writes into SQL. -#}
{% macro text_literal(text) %}
    {{ return(adapter.dispatch('text_literal', 'audience')(text)) }}
{% endmacro %}

{% macro default__text_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{% macro bigquery__text_literal(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}

{% macro spark__text_literal(text) -%}
    '{{ text | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
