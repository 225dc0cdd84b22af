{#- The part of the day of a timestamp, by its hour as stored (UTC here): night 00-06, morning 06-12, afternoon 12-18, evening 18-24. -#}
{% macro daypart(timestamp) -%}
    case
        when extract(hour from {{ timestamp }}) >= 18 then 'evening'
        when extract(hour from {{ timestamp }}) >= 12 then 'afternoon'
        when extract(hour from {{ timestamp }}) >= 6 then 'morning'
        when extract(hour from {{ timestamp }}) >= 0 then 'night'
    end
{%- endmacro %}
