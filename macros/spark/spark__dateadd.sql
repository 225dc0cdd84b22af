{#-
    Overrides dbt-spark's dateadd, which goes through Unix seconds and so drops the fraction of a
    second: Spark's timestampadd keeps it, and clamps the day of month as the other engines do.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}
