-- Every segment's qualifying people in one table, with the priority group rules and the holdout
-- applied: within a priority group a person is a member of the highest-priority segment they
-- qualify for only. dbt cannot see which models are segments when it parses SQL, so the generated
-- macro segment_dependencies declares them (`audience segment-deps` writes it from the
-- definitions); the model fails, naming the command, when one is missing.
{{ audience.segment_dependencies(model.name) }}
{%- set segments = audience.segment_definitions() %}
{%- for segment in segments if segment['node_id'] not in model.depends_on.nodes %}
    {{ exceptions.raise_compiler_error(segment['definition_path'] ~ ": segment '" ~ segment['segment_name']
        ~ "' is not read by " ~ model.name ~ ": expected it in macros/segments/segment_dependencies.sql:"
        ~ " run `audience segment-deps` to write that file from the definitions") }}
{%- endfor %}

with

definitions as (
    select * from {{ ref('int_segment_definitions_parsed') }}
),

qualified as (
    {%- for segment in segments %}
    select
        segment_name,
        person_id,
        as_of_date,
        qualifying_values
    from {{ ref(segment['model_name']) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as segment_name,
        cast(null as {{ dbt.type_string() }}) as person_id,
        cast(null as date) as as_of_date,
        cast(null as {{ dbt.type_string() }}) as qualifying_values
    where 1 = 0
    {%- endfor %}
),

ranked as (
    select
        qualified.segment_name,
        qualified.person_id,
        qualified.as_of_date,
        qualified.qualifying_values,
        definitions.priority_group,
        definitions.priority,
        definitions.holdout_share,
        case
            when definitions.priority_group is not null
                then first_value(qualified.segment_name) over (
                    partition by qualified.person_id, definitions.priority_group
                    order by definitions.priority, qualified.segment_name
                    rows between unbounded preceding and unbounded following
                )
        end as priority_group_winner
    from qualified
    inner join definitions on qualified.segment_name = definitions.segment_name
),

final as (
    select
        segment_name,
        person_id,
        as_of_date,
        qualifying_values,
        priority_group,
        priority,
        coalesce(priority_group_winner = segment_name, true) as is_member,
        case when priority_group_winner <> segment_name then priority_group_winner end as suppressed_by_segment,
        {{ audience.hash_to_unit_interval("segment_name || ':' || person_id") }} < holdout_share as is_holdout
    from ranked
)

select * from final
