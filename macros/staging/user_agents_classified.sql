{#-
    Two CTEs, user_agents and user_agents_classified: each distinct non-null user_agent of
    `from_cte` with is_bot (macro is_bot_user_agent). The bot rules run once per distinct user
    agent (thousands), not once per row (millions); join the result back on user_agent.
-#}
{% macro user_agents_classified(from_cte) -%}
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
)
{%- endmacro %}
