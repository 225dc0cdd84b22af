{#-
    An identifier as text: Unicode whitespace and invisible characters (controls, zero-width and
    other format characters) removed at both ends, and invisible characters removed inside; empty
    as null. One regular expression: DuckDB's trim(x, characters) with this many characters is
    ~100 times slower.
-#}
{% macro clean_identifier(expression) -%}
    {%- set blank = '[\\s\\p{Z}\\p{Cc}\\p{Cf}]' -%}
    {%- set pattern = audience.text_literal('^' ~ blank ~ '+|' ~ blank ~ '+$|[\\p{Cc}\\p{Cf}]+') -%}
    nullif({{ audience.regex_replace_all(expression, pattern, "''") }}, '')
{%- endmacro %}
