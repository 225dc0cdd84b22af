-- One row per segment: its definition (config.meta.segment of the segment model), read from the
-- dbt graph when the model runs, so it always matches the YAML of this build.
{%- set segments = audience.segment_definitions() %}
{%- set text = dbt.type_string() %}

with

definitions as (
    {%- for segment in segments %}
    select
        {{ dbt.string_literal(segment['segment_name']) }} as segment_name,
        {{ dbt.string_literal(segment['label'] | replace("'", "''")) }} as label,
        {{ dbt.string_literal(segment['description'] | replace("'", "''")) }} as description,
        {{ dbt.string_literal(segment['owner'] | replace("'", "''")) }} as owner,
        {{ dbt.string_literal(segment['family'] | replace("'", "''")) }} as family,
        cast({{ dbt.string_literal(segment['priority_group'] | replace("'", "''")) if segment['priority_group'] else 'null' }} as {{ text }}) as priority_group,
        cast({{ segment['priority'] if segment['priority'] else 'null' }} as {{ dbt.type_int() }}) as priority,
        cast({{ segment['min_size'] }} as {{ dbt.type_int() }}) as min_size,
        cast({{ segment['holdout_share'] }} as {{ dbt.type_numeric() }}) as holdout_share,
        cast({{ dbt.string_literal(segment['destinations'] | join(',') | replace("'", "''")) }} as {{ text }}) as destinations,
        cast({{ dbt.string_literal(segment['tags'] | join(',') | replace("'", "''")) }} as {{ text }}) as tags,
        {{ dbt.string_literal(segment['model_name'] | replace("'", "''")) }} as model_name,
        {{ dbt.string_literal(segment['definition_path'] | replace("'", "''")) }} as definition_path,
        {{ dbt.string_literal(segment['rule'] | tojson | replace("'", "''")) }} as rule_json
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
