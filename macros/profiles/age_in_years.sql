{#- Whole years from birth_date to as_of_date (the age on as_of_date); null when either is null or birth_date is later. -#}
{% macro age_in_years(birth_date, as_of_date) -%}
    {%- set boundaries = dbt.datediff(birth_date, as_of_date, 'year') -%}
    case
        when {{ birth_date }} <= {{ as_of_date }}
            then cast(
                {{ boundaries }}
                - case when {{ dbt.dateadd('year', boundaries, birth_date) }} > {{ as_of_date }} then 1 else 0 end
                as {{ dbt.type_int() }}
            )
    end
{%- endmacro %}
