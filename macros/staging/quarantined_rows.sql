{#-
    Body of a `stg_<source>__<table>_quarantine` model: every raw row that did not reach the
    staging model untouched, with why. Rejected and duplicate rows come from `row_disposition`;
    `nulled_fields` lists {'field', 'flag', 'raw'} for values that were invalid and set to null
    on a row that was otherwise kept.
-#}
{% macro quarantined_rows(base_relation, source_table, key_column, loaded_at_column, nulled_fields=[]) -%}
with

base as (
    select * from {{ base_relation }}
),

row_level as (
    select
        '{{ source_table }}' as source_table,
        {{ key_column }} as record_key,
        case row_disposition when 'duplicate' then 'deduplicated' else 'rejected' end as quarantine_action,
        quarantine_reason,
        cast(null as {{ dbt.type_string() }}) as field_name,
        quarantine_value as raw_value,
        {{ loaded_at_column }} as loaded_at
    from base
    where row_disposition != 'clean'
),
{% for nulled in nulled_fields %}
nulled_{{ nulled.field }} as (
    select
        '{{ source_table }}' as source_table,
        {{ key_column }} as record_key,
        'value_nulled' as quarantine_action,
        'invalid_{{ nulled.field }}' as quarantine_reason,
        '{{ nulled.field }}' as field_name,
        {{ nulled.raw }} as raw_value,
        {{ loaded_at_column }} as loaded_at
    from base
    where row_disposition = 'clean' and {{ nulled.flag }}
),
{% endfor %}
final as (
    select * from row_level
    {%- for nulled in nulled_fields %}
    union all
    select * from nulled_{{ nulled.field }}
    {%- endfor %}
)

select * from final
{%- endmacro %}
