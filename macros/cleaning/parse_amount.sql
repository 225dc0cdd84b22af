{#- A non-negative decimal amount from text, or null when the text is not a plain non-negative number. -#}
{% macro parse_amount(expression) -%}
    case
        when {{ audience.try_cast(audience.clean_text(expression), dbt.type_numeric()) }} >= 0
            then {{ audience.try_cast(audience.clean_text(expression), dbt.type_numeric()) }}
    end
{%- endmacro %}
