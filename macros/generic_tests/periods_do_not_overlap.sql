{#-
    Generic test: within each `partition_by` group, the periods [valid_from, valid_to) do not
    overlap: each ends after it starts, the next (by valid_from) starts no earlier than it ends,
    and only the last may be open (valid_to null). Fails with each offending period and why.
    One sort of the periods: far cheaper than a key test on a daily form expanded from them
    (persons x days), which is unique by construction when its periods pass this test.
-#}
{% test periods_do_not_overlap(model, partition_by, valid_from, valid_to) %}

with

ordered as (
    select
        {{ partition_by }} as period_owner,
        {{ valid_from }} as period_from,
        {{ valid_to }} as period_to,
        lead({{ valid_from }}) over (
            partition by {{ partition_by }} order by {{ valid_from }}, {{ valid_to }}
        ) as next_period_from
    from {{ model }}
),

failures as (
    select
        *,
        case
            when period_to <= period_from then 'ends before it starts'
            when next_period_from is not null and period_to is null then 'open but not the last'
            when next_period_from < period_to then 'overlaps the next'
        end as failure
    from ordered
)

select * from failures
where failure is not null

{% endtest %}
