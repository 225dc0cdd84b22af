{#-
    The date profiles are computed as of: var as_of_date (YYYY-MM-DD) when given, else env
    AUDIENCE_AS_OF_DATE (what `audience backfill` sets: a changed var makes dbt parse the whole
    project again, a changed env var only the files reading it), otherwise the date of the latest
    event in the data, so a rebuild on the same data gives the same profiles.
-#}
{%- set as_of_var = var('as_of_date', none) or env_var('AUDIENCE_AS_OF_DATE', '') or none -%}
{%- if as_of_var is not none and not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', as_of_var | string) -%}
    {{ exceptions.raise_compiler_error(
        "var as_of_date (or env AUDIENCE_AS_OF_DATE) must be a date as YYYY-MM-DD, got '" ~ as_of_var ~ "'"
    ) }}
{%- endif -%}

with

tracks as (
    select * from {{ ref('stg_segment__tracks') }}
),

pages as (
    select * from {{ ref('stg_segment__pages') }}
),

event_times as (
    select event_at from tracks
    union all
    select viewed_at as event_at from pages
),

latest_event as (
    select cast(max(event_at) as date) as latest_event_date
    from event_times
),

resolved as (
    select
        latest_event_date,
        {% if as_of_var is not none -%}
            cast('{{ as_of_var }}' as date) as as_of_date,
            'var' as as_of_date_source
        {%- else -%}
            latest_event_date as as_of_date,
            'latest_event' as as_of_date_source
        {%- endif %}
    from latest_event
),

final as (
    select
        as_of_date,
        cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as {{ dbt.type_timestamp() }}) as as_of_ends_at,
        cast({{ dbt.dateadd('day', -6, 'as_of_date') }} as {{ dbt.type_timestamp() }}) as last_7_days_start_at,
        cast({{ dbt.dateadd('day', -29, 'as_of_date') }} as {{ dbt.type_timestamp() }}) as last_30_days_start_at,
        cast({{ dbt.dateadd('day', -89, 'as_of_date') }} as {{ dbt.type_timestamp() }}) as last_90_days_start_at,
        as_of_date_source,
        latest_event_date
    from resolved
)

select * from final
