-- Per person with at least one psychographic tag, the tags the rules of seeds/psychographic_rules.csv
-- give them. A tag applies when any of its rules holds:
--   survey_answer: the person's latest answer to question_id is answer_value (compared lowercased);
--   behaviour: the person's metric_name is at least min_value, over a basis of at least min_basis
--   (1 when empty): eco_product_share (basis units bought), discount_order_share (completed orders),
--   eco_view_share (product views), video_completion_share (videos started) or category_view_share
--   (the share of the product views with a category that are in the rule's `;`-separated
--   categories; basis those product views).
with

rules as (
    select * from {{ ref('psychographic_rules') }}
),

answers as (
    select * from {{ ref('int_persons_survey_answers_pivoted') }}
),

orders as (
    select * from {{ ref('int_persons_orders_aggregated') }}
),

events as (
    select * from {{ ref('int_persons_events_aggregated') }}
),

categories as (
    select * from {{ ref('int_persons_categories_aggregated') }}
),

survey_rules as (
    select
        rule_id,
        tag,
        lower(trim(question_id)) as question_id,
        lower(trim(answer_value)) as answer_value
    from rules
    where rule_type = 'survey_answer'
),

behaviour_rules as (
    select
        rule_id,
        tag,
        metric_name,
        ';' || lower({{ dbt.replace('categories', "' '", "''") }}) || ';' as category_list,
        min_value,
        coalesce(min_basis, 1) as min_basis
    from rules
    where rule_type = 'behaviour'
),

survey_matches as (
    select
        answers.person_id,
        survey_rules.rule_id,
        survey_rules.tag
    from survey_rules
    inner join answers
        on
            survey_rules.question_id = answers.question_id
            and survey_rules.answer_value = answers.answer
),

-- The metrics that do not depend on a rule's parameters, one row per person and metric.
person_metrics as (
    select
        person_id,
        'eco_product_share' as metric_name,
        eco_product_share as metric_value,
        units_purchased as metric_basis
    from orders
    union all
    select
        person_id,
        'discount_order_share' as metric_name,
        discount_order_share as metric_value,
        orders as metric_basis
    from orders
    union all
    select
        person_id,
        'eco_view_share' as metric_name,
        eco_view_share as metric_value,
        product_views as metric_basis
    from events
    union all
    select
        person_id,
        'video_completion_share' as metric_name,
        video_completion_share as metric_value,
        video_views as metric_basis
    from events
),

-- category_view_share depends on the rule's categories.
category_metrics as (
    select
        categories.person_id,
        behaviour_rules.rule_id,
        max(categories.person_product_views) as metric_basis,
        sum(
            case
                when behaviour_rules.category_list like '%;' || categories.product_category || ';%'
                    then categories.product_views
                else 0
            end
        ) as matching_views
    from behaviour_rules
    inner join categories on behaviour_rules.metric_name = 'category_view_share'
    group by categories.person_id, behaviour_rules.rule_id
),

behaviour_matches as (
    select
        person_metrics.person_id,
        behaviour_rules.rule_id,
        behaviour_rules.tag
    from behaviour_rules
    inner join person_metrics on behaviour_rules.metric_name = person_metrics.metric_name
    where
        person_metrics.metric_basis >= behaviour_rules.min_basis
        and person_metrics.metric_value >= behaviour_rules.min_value
    union all
    select
        category_metrics.person_id,
        behaviour_rules.rule_id,
        behaviour_rules.tag
    from behaviour_rules
    inner join category_metrics on behaviour_rules.rule_id = category_metrics.rule_id
    where
        category_metrics.metric_basis >= behaviour_rules.min_basis
        and 1.0 * category_metrics.matching_views / category_metrics.metric_basis >= behaviour_rules.min_value
),

matches as (
    select * from survey_matches
    union all
    select * from behaviour_matches
),

person_tags as (
    select
        person_id,
        tag,
        {{ dbt.listagg('rule_id', "','", 'order by rule_id') }} as rule_ids
    from matches
    group by person_id, tag
),

final as (
    select
        person_id,
        max(case when tag = 'eco_conscious' then 1 else 0 end) = 1 as is_eco_conscious,
        max(case when tag = 'innovation_enthusiast' then 1 else 0 end) = 1 as is_innovation_enthusiast,
        max(case when tag = 'value_seeker' then 1 else 0 end) = 1 as is_value_seeker,
        max(case when tag = 'trend_seeker' then 1 else 0 end) = 1 as is_trend_seeker,
        {{ dbt.listagg('tag', "','", 'order by tag') }} as psychographic_tags,
        {{ dbt.listagg('rule_ids', "','", 'order by tag') }} as psychographic_rule_ids
    from person_tags
    group by person_id
)

select * from final
