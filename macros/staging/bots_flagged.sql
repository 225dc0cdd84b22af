{#-
    Three CTEs: user_agents and user_agents_classified (each distinct non-null user_agent of
    `from_cte` with is_bot, macro is_bot_user_agent), then `flagged`: every row of `from_cte`
    with is_bot (false when the user agent is null or not a bot). The bot rules run once per
    distinct user agent (thousands), not once per row (millions).
-#}
{% macro bots_flagged(from_cte) -%}
user_agents as (
    select distinct user_agent
    from {{ from_cte }}
    where user_agent is not null
),

user_agents_classified as (
    select
        user_agent,
        {{ audience.is_bot_user_agent('user_agent') }} as is_bot
    from user_agents
),

flagged as (
    select
        {{ from_cte }}.*,
        coalesce(user_agents_classified.is_bot, false) as is_bot
    from {{ from_cte }}
    left join user_agents_classified on {{ from_cte }}.user_agent = user_agents_classified.user_agent
)
{%- endmacro %}
