{#-
    Body of a `stg_<source>__<table>_quarantine` model: every raw row that did not reach the
    staging model untouched, with why. Rejected and duplicate rows come from `row_disposition`;
    `field_column` (SQL) names the field a rejected row failed on. `nulled_fields` lists {'field',
    'flag', 'raw'} for values that were invalid and set to null on a row that was otherwise kept
    (a field may have several entries, e.g. nulled and repaired); an optional 'reason' (SQL,
    default 'invalid_<field>') says why, and an optional 'action' (default 'value_nulled') what
    was done (`value_repaired` for a value staging corrected rather than dropped).
-#}
{% macro quarantined_rows(base_relation, source_table, key_column, loaded_at_column, nulled_fields=[], field_column=none) -%}
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
        {{ field_column or 'cast(null as ' ~ dbt.type_string() ~ ')' }} as field_name,
        quarantine_value as raw_value,
        {{ loaded_at_column }} as loaded_at
    from base
    where row_disposition != 'clean'
),
{% for nulled in nulled_fields %}
nulled_{{ loop.index }}_{{ nulled.field }} as (
    select
        '{{ source_table }}' as source_table,
        {{ key_column }} as record_key,
        '{{ nulled.get('action', 'value_nulled') }}' as quarantine_action,
        {{ nulled.get('reason', "'invalid_" ~ nulled.field ~ "'") }} as quarantine_reason,
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
    select * from nulled_{{ loop.index }}_{{ nulled.field }}
    {%- endfor %}
)

select * from final
{%- endmacro %}
