{#- The age band of a whole-years age: 18-24, 25-34, 35-44, 45-54, 55-64, 65+; null under 18 or unknown. -#}
{% macro age_band(age) -%}
    case
        when {{ age }} >= 65 then '65+'
        when {{ age }} >= 55 then '55-64'
        when {{ age }} >= 45 then '45-54'
        when {{ age }} >= 35 then '35-44'
        when {{ age }} >= 25 then '25-34'
        when {{ age }} >= 18 then '18-24'
    end
{%- endmacro %}
