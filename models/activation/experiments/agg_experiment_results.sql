-- One row per experiment and arm: members, conversions and conversion rate; for each treatment
-- arm, its lift over the control arm with a two-sided two-proportion z-test (pooled standard
-- error) and a 95% confidence interval of the difference (unpooled). Arms smaller than the
-- experiment's min_sample_per_arm are flagged: their p-value is not to be trusted.
{%- set number = dbt.type_numeric() %}
{%- set z_95 = 1.959963984540054 %}

with

experiments as (
    select * from {{ ref('experiments') }}
),

variants as (
    select * from {{ ref('experiment_variants') }}
),

assignments as (
    select * from {{ ref('fct_experiment_assignments') }}
),

arms as (
    select
        variants.experiment_id,
        variants.variant,
        variants.is_control,
        variants.share,
        experiments.min_sample_per_arm,
        count(assignments.person_id) as members,
        count(case when assignments.is_converted then 1 end) as conversions,
        count(case when assignments.is_window_complete then 1 end) as members_with_complete_window
    from variants
    inner join experiments on variants.experiment_id = experiments.experiment_id
    left join assignments
        on
            variants.experiment_id = assignments.experiment_id
            and variants.variant = assignments.variant
    group by
        variants.experiment_id,
        variants.variant,
        variants.is_control,
        variants.share,
        experiments.min_sample_per_arm
),

rates as (
    select
        *,
        cast(conversions as {{ number }}) / nullif(members, 0) as conversion_rate
    from arms
),

compared as (
    select
        treatment.*,
        control.members as control_members,
        control.conversions as control_conversions,
        control.conversion_rate as control_conversion_rate,
        cast(treatment.conversions + control.conversions as {{ number }})
        / nullif(treatment.members + control.members, 0) as pooled_rate
    from rates as treatment
    inner join rates as control
        on
            treatment.experiment_id = control.experiment_id
            and control.is_control
),

standard_errors as (
    select
        *,
        sqrt(pooled_rate * (1 - pooled_rate) * (1.0 / nullif(members, 0) + 1.0 / nullif(control_members, 0)))
            as pooled_standard_error,
        sqrt(
            conversion_rate * (1 - conversion_rate) / nullif(members, 0)
            + control_conversion_rate * (1 - control_conversion_rate) / nullif(control_members, 0)
        ) as unpooled_standard_error
    from compared
),

tested as (
    select
        *,
        conversion_rate - control_conversion_rate as absolute_lift,
        (conversion_rate - control_conversion_rate) / nullif(control_conversion_rate, 0) as relative_lift,
        (conversion_rate - control_conversion_rate) / nullif(pooled_standard_error, 0) as z_score
    from standard_errors
),

final as (
    select
        experiment_id,
        variant,
        is_control,
        share,
        members,
        members_with_complete_window,
        conversions,
        conversion_rate,
        case when not is_control then absolute_lift end as absolute_lift,
        case when not is_control then relative_lift end as relative_lift,
        case when not is_control then z_score end as z_score,
        case when not is_control then 2 * (1 - {{ audience.normal_cdf('abs(z_score)') }}) end as p_value,
        case when not is_control then absolute_lift - {{ z_95 }} * unpooled_standard_error end
            as absolute_lift_ci_lower,
        case when not is_control then absolute_lift + {{ z_95 }} * unpooled_standard_error end
            as absolute_lift_ci_upper,
        coalesce(
            not is_control and 2 * (1 - {{ audience.normal_cdf('abs(z_score)') }}) < 0.05, false
        ) as is_significant,
        min_sample_per_arm,
        members < min_sample_per_arm as is_below_min_sample
    from tested
)

select * from final
