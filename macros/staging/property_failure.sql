{#-
    Why the property text `raw` (SQL, null when the property is absent) breaks `rule` (one entry of
    tracking_plan_properties()), as SQL: 'property_wrong_type', 'property_out_of_range' or
    'property_not_allowed', or null when the value is valid or absent. Numbers follow JSON's number
    syntax (no thousands separators, NaN or infinity); an integer may carry a zero fraction (`3.0`).
-#}
{% macro property_failure(raw, rule) -%}
    {%- set syntax = {
        'number': "'-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?'",
        'integer': "'-?(0|[1-9][0-9]*)([.]0+)?'",
        'boolean': "'(?i)true|false'",
    } -%}
    {%- set number = audience.try_cast(raw, audience.type_double()) if rule.type in ('number', 'integer') -%}
    case
        when {{ raw }} is null then null
        {%- if rule.type in syntax %}
        when not {{ audience.regex_full_match(raw, syntax[rule.type]) }} then 'property_wrong_type'
        {%- endif %}
        {%- if rule.minimum is not none %}
        when {{ number }} < {{ rule.minimum }} then 'property_out_of_range'
        {%- endif %}
        {%- if rule.maximum is not none %}
        when {{ number }} > {{ rule.maximum }} then 'property_out_of_range'
        {%- endif %}
        {%- if rule.allowed %}
        when {{ raw }} not in ({% for value in rule.allowed %}{{ audience.text_literal(value) }}{{ ', ' if not loop.last }}{% endfor %})
            then 'property_not_allowed'
        {%- elif rule.allowed_from is not none %}
        when {{ raw }} not in (
            select allowed.{{ rule.allowed_from.column }} from {{ ref(rule.allowed_from.seed) }} as allowed
        ) then 'property_not_allowed'
        {%- endif %}
    end
{%- endmacro %}
