{{ config(meta={'erasure': {'identifiers': [['identifier_type', 'identifier_value']]}}) }}

-- Every identifier seen anywhere, how many others it is linked to, and whether it may merge persons
-- (not when blocked by seeds/identity_blocked_values.csv or over seeds/identity_link_limits.csv).
-- Where identifiers are seen: macro identity_sources, the list int_identifier_links_unioned reads too.
{%- set sources = audience.identity_sources() %}

with

links_per_type as (
    select * from {{ ref('int_identifier_links_counted') }}
),

limits as (
    select * from {{ ref('identity_link_limits') }}
),

blocked_values as (
    select * from {{ ref('identity_blocked_values') }}
),

-- Inlined: each is read once per identifier column, for a few columns (stored, tracks and pages
-- would hold every wide row).
{% for source in sources %}
    {{ source.name }} as {{ audience.materialized_cte(false) }} (
        select * from {{ ref(source.model) }}
    ),

{% endfor %}
sightings as (
    {%- for source in sources %}
        {%- set last_source = loop.last %}
        {%- for identifier_column, identifier_type in source.identifiers.items() %}
            select
                '{{ identifier_type }}' as identifier_type,
                {{ identifier_column }} as identifier_value,
                {{ source.seen_at }} as seen_at
            from {{ source.name }}
            where {{ identifier_column }} is not null
            {%- if not (last_source and loop.last) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}
),

seen as (
    select
        identifier_type,
        identifier_value,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at
    from sightings
    group by identifier_type, identifier_value
),

link_checks as (
    select
        links_per_type.identifier_type,
        links_per_type.identifier_value,
        cast(sum(links_per_type.linked_count) as {{ dbt.type_bigint() }}) as linked_identifier_count,
        max(case when links_per_type.linked_count > limits.max_linked then 1 else 0 end) = 1
            as is_over_type_limit
    from links_per_type
    left join limits
        on links_per_type.identifier_type = limits.identifier_type
            and links_per_type.linked_type = limits.linked_identifier_type
    group by links_per_type.identifier_type, links_per_type.identifier_value
),

blocked as (
    select distinct
        seen.identifier_type,
        seen.identifier_value
    from seen
    inner join blocked_values
        on seen.identifier_type = blocked_values.identifier_type
            and seen.identifier_value like blocked_values.value_pattern
),

final as (
    select
        row_number() over (order by seen.identifier_type, seen.identifier_value) as node_id,
        {{ audience.identifier_key('seen.identifier_type', 'seen.identifier_value') }} as identifier_key,
        seen.identifier_type,
        seen.identifier_value,
        seen.first_seen_at,
        seen.last_seen_at,
        coalesce(link_checks.linked_identifier_count, 0) as linked_identifier_count,
        case
            when blocked.identifier_value is not null then 'blocked_value'
            when link_checks.is_over_type_limit then 'over_type_limit'
            when link_checks.linked_identifier_count > {{ var('identity_max_links') }} then 'over_total_limit'
        end as merge_exclusion_reason
    from seen
    left join link_checks
        on seen.identifier_type = link_checks.identifier_type
            and seen.identifier_value = link_checks.identifier_value
    left join blocked
        on seen.identifier_type = blocked.identifier_type
            and seen.identifier_value = blocked.identifier_value
)

select * from final
