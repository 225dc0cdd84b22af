-- Every one of the 125 RFM cells with the named segment seeds/rfm_segments.csv gives it: the
-- segment of lowest priority whose three score ranges all hold the cell.
with

segments as (
    select * from {{ ref('rfm_segments') }}
),

scores as (
    select cast(generated_number as {{ dbt.type_int() }}) as score
    from ({{ dbt.generate_series(5) }}) as numbers
),

cells as (
    select
        recency.score as recency_score,
        frequency.score as frequency_score,
        monetary.score as monetary_score
    from scores as recency
    cross join scores as frequency
    cross join scores as monetary
),

matches as (
    select
        cells.recency_score,
        cells.frequency_score,
        cells.monetary_score,
        segments.rfm_segment,
        segments.priority,
        row_number() over (
            partition by cells.recency_score, cells.frequency_score, cells.monetary_score
            order by segments.priority, segments.rfm_segment
        ) as match_rank
    from cells
    left join segments
        on
            cells.recency_score between segments.recency_score_min and segments.recency_score_max
            and cells.frequency_score between segments.frequency_score_min and segments.frequency_score_max
            and cells.monetary_score between segments.monetary_score_min and segments.monetary_score_max
),

final as (
    select
        {{ dbt.concat([
            dbt.cast('recency_score', dbt.type_string()),
            dbt.cast('frequency_score', dbt.type_string()),
            dbt.cast('monetary_score', dbt.type_string()),
        ]) }} as rfm_cell,
        recency_score,
        frequency_score,
        monetary_score,
        rfm_segment,
        priority as rfm_segment_priority
    from matches
    where match_rank = 1
)

select * from final
