-- One row per segment: its definition (config.meta.segment of the segment model), read from the
-- dbt graph when the model runs, so it always matches the YAML of this build.
{%- set segments = audience.segment_definitions() %}
{%- set text = dbt.type_string() %}

with

definitions as (
    {%- for segment in segments %}
    select
        {{ audience.text_literal(segment['segment_name']) }} as segment_name,
        {{ audience.text_literal(segment['label']) }} as label,
        {{ audience.text_literal(segment['description']) }} as description,
        {{ audience.text_literal(segment['owner']) }} as owner,
        {{ audience.text_literal(segment['family']) }} as family,
        cast({{ audience.text_literal(segment['priority_group']) if segment['priority_group'] else 'null' }} as {{ text }}) as priority_group,
        cast({{ segment['priority'] if segment['priority'] else 'null' }} as {{ dbt.type_int() }}) as priority,
        cast({{ segment['min_size'] }} as {{ dbt.type_int() }}) as min_size,
        cast({{ segment['holdout_share'] }} as {{ dbt.type_numeric() }}) as holdout_share,
        cast({{ audience.text_literal(segment['destinations'] | join(',')) }} as {{ text }}) as destinations,
        cast({{ audience.text_literal(segment['tags'] | join(',')) }} as {{ text }}) as tags,
        {{ audience.text_literal(segment['model_name']) }} as model_name,
        {{ audience.text_literal(segment['definition_path']) }} as definition_path,
        {{ audience.text_literal(segment['rule'] | tojson) }} as rule_json
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ text }}) as segment_name,
        cast(null as {{ text }}) as label,
        cast(null as {{ text }}) as description,
        cast(null as {{ text }}) as owner,
        cast(null as {{ text }}) as family,
        cast(null as {{ text }}) as priority_group,
        cast(null as {{ dbt.type_int() }}) as priority,
        cast(null as {{ dbt.type_int() }}) as min_size,
        cast(null as {{ dbt.type_numeric() }}) as holdout_share,
        cast(null as {{ text }}) as destinations,
        cast(null as {{ text }}) as tags,
        cast(null as {{ text }}) as model_name,
        cast(null as {{ text }}) as definition_path,
        cast(null as {{ text }}) as rule_json
    where 1 = 0
    {%- endfor %}
),

final as (
    select * from definitions
)

select * from final
