-- Per customer (a person with at least one completed order up to the end of the as-of date):
-- recency, frequency and monetary value, each scored 1-5 among the customers with an order in
-- the window, and the RFM cell and named segment. A score counts those customers with a strictly
-- worse value: score = 1 + floor(5 * worse / customers), so tied values always share a score.
-- Customers without an order in the window score 1-1-1 (see _scores__docs.md).
{%- set number = dbt.type_numeric() %}
{%- set int = dbt.type_int() %}

with

orders as (
    select * from {{ ref('int_completed_orders_filtered') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

segments_by_cell as (
    select * from {{ ref('int_rfm_cells_named') }}
),

completed_orders as (
    select
        orders.person_id,
        orders.order_date,
        orders.order_total_reporting,
        orders.ordered_at >= {{ dbt.dateadd('day', -1 * var('rfm_window_days'), 'as_of.as_of_ends_at') }}
            as is_in_window
    from orders
    cross join as_of
),

customer_values as (
    select
        completed_orders.person_id,
        as_of.as_of_date,
        {{ dbt.datediff('max(completed_orders.order_date)', 'as_of.as_of_date', 'day') }}
            as recency_days,
        count(case when completed_orders.is_in_window then 1 end) as frequency,
        cast(
            coalesce(sum(case when completed_orders.is_in_window then completed_orders.order_total_reporting end), 0)
            as {{ number }}
        ) as monetary
    from completed_orders
    cross join as_of
    group by completed_orders.person_id, as_of.as_of_date
),

customer_activity as (
    select
        *,
        frequency > 0 as is_active_in_window
    from customer_values
),

-- Within the customers with an order in the window, rank() - 1 counts those with a strictly
-- worse value: more days since the last order, fewer orders, less revenue.
ranked as (
    select
        *,
        count(*) over (partition by is_active_in_window) as customers,
        rank() over (partition by is_active_in_window order by recency_days desc) - 1 as worse_recency,
        rank() over (partition by is_active_in_window order by frequency) - 1 as worse_frequency,
        rank() over (partition by is_active_in_window order by monetary) - 1 as worse_monetary
    from customer_activity
),

scored as (
    select
        person_id,
        as_of_date,
        recency_days,
        frequency,
        monetary,
        cast(
            case when is_active_in_window then 1 + floor(5.0 * worse_recency / customers) else 1 end
            as {{ int }}
        ) as recency_score,
        cast(
            case when is_active_in_window then 1 + floor(5.0 * worse_frequency / customers) else 1 end
            as {{ int }}
        ) as frequency_score,
        cast(
            case when is_active_in_window then 1 + floor(5.0 * worse_monetary / customers) else 1 end
            as {{ int }}
        ) as monetary_score
    from ranked
),

final as (
    select
        scored.person_id,
        scored.as_of_date,
        cast(scored.recency_days as {{ int }}) as recency_days,
        cast(scored.frequency as {{ int }}) as frequency,
        scored.monetary,
        scored.recency_score,
        scored.frequency_score,
        scored.monetary_score,
        segments_by_cell.rfm_cell,
        segments_by_cell.rfm_segment
    from scored
    left join segments_by_cell
        on
            scored.recency_score = segments_by_cell.recency_score
            and scored.frequency_score = segments_by_cell.frequency_score
            and scored.monetary_score = segments_by_cell.monetary_score
)

select * from final
