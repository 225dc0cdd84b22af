{#-
    SQL boolean: true when the user agent `expression` matches any pattern of seed bot_user_agents,
    case-insensitively and anywhere in the text; false when it is null. The seed is read when the
    model compiles and its patterns joined into alternations of `patterns_per_regex`: RE2 runs each
    as a fast automaton, while one alternation of all 1,500 outgrows its memory and is about 30
    times slower. Apply it to distinct user agents, not to every event (stg_segment__pages does).
-#}
{% macro is_bot_user_agent(expression, patterns_per_regex=250) %}
    {%- if not execute -%}
        {{ return('false') }}
    {%- endif -%}
    {%- set rules = audience._seed_relation('bot_user_agents') -%}
    {%- if rules is none -%}
        {{ return('false') }}  {#- the seed is not built yet: a compile or lint before `dbt seed` -#}
    {%- endif -%}
    {%- set patterns = run_query(
        'select pattern from ' ~ rules ~ ' where pattern is not null order by pattern').columns[0].values() -%}
    {%- set tests = [] -%}
    {%- for chunk in patterns | batch(patterns_per_regex) -%}
        {%- do tests.append(audience.regex_contains(
            expression, audience.text_literal(chunk | join('|')), case_insensitive=true)) -%}
    {%- endfor -%}
    {{ return('coalesce(' ~ (tests | join(' or ') if tests else 'false') ~ ', false)') }}
{% endmacro %}
