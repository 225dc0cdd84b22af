{#- Email without invisible characters, trimmed and lowercased, empty as null. Validity is checked separately (is_valid_email). -#}
{% macro normalize_email(expression) -%}
    lower({{ audience.clean_identifier(expression) }})
{%- endmacro %}
