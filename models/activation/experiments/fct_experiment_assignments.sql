-- One row per experiment and person exposed to it: every non-holdout member of the experiment's
-- segment during the experiment, with the arm a salted hash puts them in and whether they
-- converted. A person is exposed on the first as-of date they are a member within
-- [starts_on, ends_on]; the treatment (a sync run after that build) starts when that day ends,
-- so conversions count from then until conversion_window_days later.
with

experiments as (
    select * from {{ ref('experiments') }}
),

variants as (
    select * from {{ ref('experiment_variants') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

history as (
    select * from {{ ref('fct_segment_membership_history') }}
    where not is_holdout
),

aliases as (
    select * from {{ ref('dim_person_aliases') }}
),

persons as (
    select * from {{ ref('dim_persons') }}
),

events as (
    select * from {{ ref('int_events_mapped_to_persons') }}
),

experiment_windows as (
    select
        experiments.experiment_id,
        experiments.segment_name,
        experiments.conversion_event,
        experiments.conversion_window_days,
        experiments.starts_on,
        case
            when experiments.ends_on is null or experiments.ends_on > as_of.as_of_date
                then as_of.as_of_date
            else experiments.ends_on
        end as last_exposure_on,
        as_of.as_of_ends_at
    from experiments
    cross join as_of
    where experiments.starts_on <= as_of.as_of_date
),

variant_bounds as (
    select
        experiment_id,
        variant,
        is_control,
        sum(share) over (
            partition by experiment_id order by variant rows between unbounded preceding and current row
        ) - share as lower_bound,
        sum(share) over (
            partition by experiment_id order by variant rows between unbounded preceding and current row
        ) as upper_bound,
        row_number() over (partition by experiment_id order by variant desc) = 1 as is_last
    from variants
),

-- Membership held under a person id since merged into another counts for the person it became,
-- whose events the conversions are looked up in. An id that is neither (its person was erased
-- since) has no one left to analyse.
current_history as (
    select
        history.segment_name,
        persons.person_id,
        history.valid_from,
        history.valid_to
    from history
    left join aliases on history.person_id = aliases.merged_person_id
    inner join persons on coalesce(aliases.person_id, history.person_id) = persons.person_id
),

exposures as (
    select
        experiment_windows.experiment_id,
        history.person_id,
        min(
            case
                when history.valid_from < experiment_windows.starts_on then experiment_windows.starts_on
                else history.valid_from
            end
        ) as exposed_on
    from experiment_windows
    inner join current_history as history
        on
            experiment_windows.segment_name = history.segment_name
            and experiment_windows.last_exposure_on >= history.valid_from
            and (history.valid_to is null or experiment_windows.starts_on < history.valid_to)
    group by experiment_windows.experiment_id, history.person_id
),

hashed as (
    select
        exposures.*,
        {{ audience.hash_to_unit_interval("exposures.experiment_id || ':' || exposures.person_id") }}
            as assignment_hash,
        cast({{ dbt.dateadd('day', 1, 'exposures.exposed_on') }} as {{ dbt.type_timestamp() }})
            as treated_from
    from exposures
),

assigned as (
    select
        hashed.*,
        variant_bounds.variant,
        variant_bounds.is_control
    from hashed
    inner join variant_bounds
        on
            hashed.experiment_id = variant_bounds.experiment_id
            and hashed.assignment_hash >= variant_bounds.lower_bound
            and (hashed.assignment_hash < variant_bounds.upper_bound or variant_bounds.is_last)
),

windowed as (
    select
        assigned.*,
        experiment_windows.conversion_event,
        experiment_windows.as_of_ends_at,
        {{ dbt.dateadd('day', 'experiment_windows.conversion_window_days', 'assigned.treated_from') }}
            as window_ends_at
    from assigned
    inner join experiment_windows on assigned.experiment_id = experiment_windows.experiment_id
),

conversions as (
    select
        windowed.experiment_id,
        windowed.person_id,
        min(events.event_at) as converted_at
    from windowed
    inner join events
        on
            windowed.person_id = events.person_id
            and windowed.conversion_event = events.event_name
            and windowed.treated_from <= events.event_at
            and windowed.window_ends_at > events.event_at
            and windowed.as_of_ends_at > events.event_at
    group by windowed.experiment_id, windowed.person_id
),

final as (
    select
        windowed.experiment_id,
        windowed.person_id,
        windowed.variant,
        windowed.is_control,
        windowed.assignment_hash,
        windowed.exposed_on,
        windowed.treated_from,
        windowed.window_ends_at,
        windowed.window_ends_at <= windowed.as_of_ends_at as is_window_complete,
        conversions.converted_at is not null as is_converted,
        conversions.converted_at
    from windowed
    left join conversions
        on
            windowed.experiment_id = conversions.experiment_id
            and windowed.person_id = conversions.person_id
)

select * from final
