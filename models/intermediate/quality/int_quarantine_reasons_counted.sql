-- One row per raw table, quarantine action and reason; every raw table staging reads is listed
-- here, with its base model (one row per raw row loaded) and its quarantine model.
{%- set raw_tables = [
    ('segment', 'tracks'), ('segment', 'pages'), ('segment', 'identifies'),
    ('crm', 'contacts'), ('crm', 'orders'), ('crm', 'order_items'), ('crm', 'products'),
    ('crm', 'consents'), ('crm', 'survey_responses'), ('crm', 'deletion_requests'),
] %}

with

quarantined as (
    {%- for source, table in raw_tables %}
        select
            source_table,
            quarantine_action,
            quarantine_reason
        from {{ ref('stg_' ~ source ~ '__' ~ table ~ '_quarantine') }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

loaded as (
    {%- for source, table in raw_tables %}
        select
            '{{ source }}.{{ table }}' as source_table
        from {{ ref('base_' ~ source ~ '__' ~ table) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

reasons_counted as (
    select
        source_table,
        quarantine_action,
        quarantine_reason,
        count(*) as row_count
    from quarantined
    group by source_table, quarantine_action, quarantine_reason
),

raw_rows_counted as (
    select
        source_table,
        count(*) as raw_row_count
    from loaded
    group by source_table
),

final as (
    select
        reasons_counted.source_table,
        reasons_counted.quarantine_action,
        reasons_counted.quarantine_reason,
        reasons_counted.row_count,
        raw_rows_counted.raw_row_count,
        cast(reasons_counted.row_count as {{ audience.type_double() }})
        / raw_rows_counted.raw_row_count as raw_row_share
    from reasons_counted
    inner join raw_rows_counted on reasons_counted.source_table = raw_rows_counted.source_table
)

select * from final
