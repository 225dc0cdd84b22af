{#-
    An email (already trimmed and lowercased) as Google Customer Match hashes it: for gmail.com and
    googlemail.com addresses, the dots and any `+suffix` of the local part removed.
-#}
{% macro google_normalized_email(expression) -%}
    case
        when {{ dbt.split_part(expression, "'@'", 2) }} in ('gmail.com', 'googlemail.com')
            then
                replace({{ dbt.split_part(dbt.split_part(expression, "'@'", 1), "'+'", 1) }}, '.', '')
                || '@' || {{ dbt.split_part(expression, "'@'", 2) }}
        else {{ expression }}
    end
{%- endmacro %}
