-- What to show each person in each placement: the content of seeds/personalization_content.csv
-- for the segment with the best (lowest) priority among the person's current segments, or the
-- placement's default. Holdout members get the default, so that the holdout measures the
-- personalization too. One extra row per placement with a null person_id serves unknown visitors.
with

users as (
    select * from {{ ref('dim_persons') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

content as (
    select * from {{ ref('personalization_content') }}
),

memberships as (
    select * from {{ ref('fct_segment_memberships') }}
    where not is_holdout
),

placements as (
    select distinct placement from content
),

defaults as (
    select * from content
    where segment_name is null
),

candidates as (
    select
        memberships.person_id,
        content.*,
        row_number() over (
            partition by memberships.person_id, content.placement
            order by content.priority, content.segment_name
        ) as candidate_rank
    from memberships
    inner join content on memberships.segment_name = content.segment_name
),

chosen as (
    select * from candidates
    where candidate_rank = 1
),

audience as (
    select
        users.person_id,
        placements.placement
    from users
    cross join placements
    union all
    select
        cast(null as {{ dbt.type_string() }}) as person_id,
        placement
    from placements
),

final as (
    select
        audience.person_id,
        audience.placement,
        chosen.segment_name,
        chosen.person_id is null as is_default,
        coalesce(chosen.banner_image, defaults.banner_image) as banner_image,
        coalesce(chosen.headline, defaults.headline) as headline,
        case when chosen.person_id is null then defaults.offer_code else chosen.offer_code end as offer_code,
        coalesce(chosen.landing_page_path, defaults.landing_page_path) as landing_page_path,
        case
            when chosen.person_id is null then defaults.email_template_id else chosen.email_template_id
        end as email_template_id,
        as_of.as_of_date
    from audience
    left join chosen
        on
            audience.person_id = chosen.person_id
            and audience.placement = chosen.placement
    left join defaults on audience.placement = defaults.placement
    cross join as_of
)

select * from final
