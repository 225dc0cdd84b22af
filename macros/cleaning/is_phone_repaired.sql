{#-
    True when the E.164 number staging made of a phone differs from its digits as received beyond
    formatting: a country code added, a trunk prefix or `00` replaced, an extension dropped.
-#}
{% macro is_phone_repaired(normalized, raw) -%}
    {{ normalized }} != {{ audience.regex_replace_all(raw, "'[^0-9+]'", "''") }}
{%- endmacro %}
