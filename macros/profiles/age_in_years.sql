{#- Whole years from birth_date to as_of_date (the age on as_of_date); null when either is null or birth_date is later. -#}
{% macro age_in_years(birth_date, as_of_date) -%}
    {{ return(adapter.dispatch('age_in_years', 'audience')(birth_date, as_of_date)) }}
{%- endmacro %}

{% macro default__age_in_years(birth_date, as_of_date) -%}
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

{#- Spark: with dbt-spark's datediff and dateadd by year the default gives 28 for someone born on
    1998-12-10 on 2026-10-30; months_between counts whole months (a birthday on 29 February is
    reached on 28 February, as on DuckDB). -#}
{% macro spark__age_in_years(birth_date, as_of_date) -%}
    case
        when {{ birth_date }} <= {{ as_of_date }}
            then cast(floor(months_between({{ as_of_date }}, {{ birth_date }}, false) / 12) as {{ dbt.type_int() }})
    end
{%- endmacro %}
