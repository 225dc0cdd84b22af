{#- True when a normalized email has one @, a local part of allowed characters and a dotted domain with a 2+ letter TLD. -#}
{% macro is_valid_email(normalized_email) -%}
    coalesce({{ audience.regex_full_match(normalized_email, audience.text_literal("[a-z0-9._%+'-]+@[a-z0-9-]+([.][a-z0-9-]+)*[.][a-z]{2,}")) }}, false)
{%- endmacro %}
