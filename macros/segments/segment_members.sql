{#-
    The whole body of a segment model (models/activation/segments/<family>/segment_<name>.sql): the people of
    dim_persons who meet the rule in the model's config.meta.segment, as of int_persons_profiled,
    one row each with the values every condition saw. The language is documented in
    models/activation/segments/_segments__docs.md. dbt parses SQL before it reads YAML, so at parse time this
    only declares the inputs every segment may read, and the segments its rule names (generated
    from the definitions into segment_dependencies by `audience segment-deps`); the definition is
    validated and compiled when the model runs.
-#}
{% macro segment_members() %}
    {%- set inputs = {
        'as_of': ref('int_persons_profiled'),
        'users': ref('dim_persons'),
        'events': ref('int_events_mapped_to_persons'),
        'orders': ref('int_completed_orders_filtered'),
    } -%}
    {%- set dependencies = audience.segment_dependencies(model.name) | trim -%}
    {%- if not execute -%}
        {{ return('select 1 as person_id') }}
    {%- endif -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{ exceptions.raise_compiler_error(model.original_file_path ~ ": unit test " ~ model.name
            ~ ": dbt unit tests cannot test segment models, because dbt gives them no access to the YAML"
            ~ " definition (config.meta.segment); test segment rules on fixture tables as tests/segments/test_compiler.py does") }}
    {%- endif -%}
    {%- set segment_name = audience._segment_name_of(model) -%}
    {%- set checked = audience._segment_definition_checked(model) -%}
    {%- set compiled = {'ctes': [], 'values': [], 'context': checked['context']} -%}
    {%- set predicate = audience._segment_rule_sql(checked['definition']['rule'], 'segment.rule', compiled) -%}
{{ dependencies }}
with

as_of as (
    select * from {{ inputs['as_of'] }}
),

users as (
    select * from {{ inputs['users'] }}
),

events as (
    select * from {{ inputs['events'] }}
),

orders as (
    select * from {{ inputs['orders'] }}
),
{% for cte in compiled['ctes'] %}
{{ cte['name'] }} as (
    {{ cte['sql'] | indent(4) }}
),
{% endfor %}
evaluated as (
    select
        users.person_id,
        {%- for value in compiled['values'] %}
        {{ value['sql'] }} as {{ value['key'] }},
        {%- endfor %}
        {{ predicate }} as is_member
    from users
    {%- for cte in compiled['ctes'] %}
    left join {{ cte['name'] }} on users.person_id = {{ cte['name'] }}.person_id
    {%- endfor %}
),

final as (
    select
        '{{ segment_name }}' as segment_name,
        evaluated.person_id,
        as_of.as_of_date,
        {%- set qualifying = {} -%}
        {%- for value in compiled['values'] -%}
            {%- do qualifying.update({value['key']: 'evaluated.' ~ value['key']}) -%}
        {%- endfor %}
        {{ audience.json_object(qualifying) }} as qualifying_values
    from evaluated
    cross join as_of
    where evaluated.is_member
)

select * from final
{% endmacro %}
