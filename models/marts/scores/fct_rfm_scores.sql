{{ config(
    meta={
        'erasure': {'persons': ['person_id']},
        'retention': {'column': 'as_of_date', 'days_var': 'history_retention_days'},
    },
    materialized='incremental',
    full_refresh=false if var('protect_history') else none,
    incremental_strategy='delete+insert',
    unique_key='as_of_date',
    on_schema_change='append_new_columns',
) }}

-- One row per customer per as-of date: each build replaces the rows of its as-of date and keeps
-- the others, so building with earlier `as_of_date` vars back-fills the history. A full refresh
-- keeps only the current as-of date.
with

rfm_scores as (
    select * from {{ ref('int_persons_rfm_scored') }}
),

final as (
    select
        person_id,
        as_of_date,
        recency_days,
        frequency,
        monetary,
        recency_score,
        frequency_score,
        monetary_score,
        rfm_cell,
        rfm_segment,
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }}) as scored_at
    from rfm_scores
)

select * from final
