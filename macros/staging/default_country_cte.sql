{#-
    The CTE `default_country`: the row of seed countries for var default_phone_country, whose
    dialing rules read phone numbers written without a country code.
-#}
{% macro default_country_cte() -%}
default_country as (
    select * from {{ ref('countries') }}
    where country_code = '{{ var("default_phone_country") }}'
)
{%- endmacro %}
