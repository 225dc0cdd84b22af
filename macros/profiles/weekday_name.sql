{#- Lowercase English name of the day of the week of a date or timestamp (monday ... sunday); null when null. -#}
{% macro weekday_name(date_or_timestamp) -%}
    {%- set names = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] -%}
    case {{ audience.iso_day_of_week(date_or_timestamp) }}
        {%- for name in names %}
        when {{ loop.index }} then '{{ name }}'
        {%- endfor %}
    end
{%- endmacro %}
