{#-
    Three CTEs (checked, ranked, classified) that sort every row of `from_cte` into
    row_disposition 'clean', 'rejected' or 'duplicate', with quarantine_reason and quarantine_value.
    `checks`: [{'reason', 'when': SQL condition, 'value': SQL of the offending raw value, 'field':
    SQL naming the offending field (quarantine_field; optional)}] in priority order; the first that
    holds rejects the row. Before them all, a row that held a
    string that is not valid UTF-8 (`from_cte` carries has_invalid_encoding, see the macro
    invalid_encoding) is rejected as invalid_encoding. Among the rows that pass, one per
    `key` is kept (the first by `order_by`); the others are duplicates with `duplicate_reason`.
    `loaded_relation` (incremental models pass `this`): in an incremental run, rows that pass but
    whose key an earlier run kept (a `clean` row there) are duplicates too.
-#}
{% macro classify_rows(from_cte, checks, key, order_by, duplicate_reason, loaded_relation=none) -%}
{%- set key_columns = key.split(',') | map('trim') | list -%}
{%- set checks = [{'reason': 'invalid_encoding', 'when': 'has_invalid_encoding'}] + checks -%}
{%- set check_loaded = loaded_relation is not none and is_incremental() -%}
checked as (
    select
        *,
        case
            {%- for check in checks %}
            when {{ check.when }} then '{{ check.reason }}'
            {%- endfor %}
        end as failed_check,
        case
            {%- for check in checks %}
            when {{ check.when }} then cast({{ check.get('value', 'null') }} as {{ dbt.type_string() }})
            {%- endfor %}
        end as quarantine_value,
        case
            {%- for check in checks %}
            when {{ check.when }} then cast({{ check.get('field', 'null') }} as {{ dbt.type_string() }})
            {%- endfor %}
        end as quarantine_field
    from {{ from_cte }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by {{ key }}
            order by case when failed_check is null then 0 else 1 end, {{ order_by }}
        ) as key_rank
        {%- if check_loaded %},
        exists (
            select 1 from {{ loaded_relation }} as loaded
            where
                loaded.row_disposition = 'clean'
                {%- for column in key_columns %}
                and loaded.{{ column }} = checked.{{ column }}
                {%- endfor %}
        ) as is_key_already_kept
        {%- endif %}
    from checked
),

classified as (
    select
        *,
        case
            when failed_check is not null then 'rejected'
            when key_rank > 1{% if check_loaded %} or is_key_already_kept{% endif %} then 'duplicate'
            else 'clean'
        end as row_disposition,
        case
            when failed_check is not null then failed_check
            when key_rank > 1{% if check_loaded %} or is_key_already_kept{% endif %} then '{{ duplicate_reason }}'
        end as quarantine_reason
    from ranked
)
{%- endmacro %}
