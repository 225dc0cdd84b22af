-- One row per segment: its definition and its state as of the latest build (members, whether it
-- is big enough to export). What a BI tool or a sync reads to list the audiences.
with

definitions as (
    select * from {{ ref('int_segment_definitions_parsed') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

sizes as (
    select agg_segment_sizes.*
    from {{ ref('agg_segment_sizes') }} as agg_segment_sizes
    inner join as_of on agg_segment_sizes.as_of_date = as_of.as_of_date
),

final as (
    select
        definitions.segment_name,
        definitions.label,
        definitions.description,
        definitions.owner,
        definitions.family,
        definitions.priority_group,
        definitions.priority,
        definitions.min_size,
        definitions.holdout_share,
        definitions.destinations,
        definitions.tags,
        definitions.model_name,
        definitions.definition_path,
        definitions.rule_json,
        sizes.as_of_date,
        sizes.members,
        sizes.holdout_members,
        sizes.is_below_min_size,
        sizes.is_exportable,
        sizes.last_updated_at
    from definitions
    left join sizes on definitions.segment_name = sizes.segment_name
)

select * from final
