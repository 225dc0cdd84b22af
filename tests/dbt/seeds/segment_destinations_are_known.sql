-- Every destination a segment definition names (config.meta.segment.destinations) is a row of
-- seeds/destinations.csv. One row per segment and unknown destination.
{%- set named = [] %}
{%- for segment in audience.segment_definitions() %}
    {%- for destination in segment['destinations'] or [] %}
        {%- do named.append((segment['segment_name'], destination)) %}
    {%- endfor %}
{%- endfor %}

with

destinations as (
    select * from {{ ref('destinations') }}
),

named as (
{%- for segment_name, destination in named %}
    select '{{ segment_name }}' as segment_name, '{{ destination }}' as destination
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- else %}
    select cast(null as {{ dbt.type_string() }}) as segment_name, cast(null as {{ dbt.type_string() }}) as destination
    where false
{%- endfor %}
),

final as (
    select named.*
    from named
    left join destinations on named.destination = destinations.destination
    where destinations.destination is null
)

select * from final
