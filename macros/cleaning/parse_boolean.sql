{#- true/false from the spellings exports use (true/t/yes/y/1, false/f/no/n/0), any case; null otherwise. -#}
{% macro parse_boolean(expression) -%}
    case
        when lower(trim({{ expression }})) in ('true', 't', 'yes', 'y', '1') then true
        when lower(trim({{ expression }})) in ('false', 'f', 'no', 'n', '0') then false
    end
{%- endmacro %}
