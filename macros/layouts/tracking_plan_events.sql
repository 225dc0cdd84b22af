{#-
    The tracking plan (seeds tracking_plan and tracking_plan_properties), read when the model
    compiles: a list of {name, slug, properties: [{name, type}]}. slug is the event name in snake
    case (`Product Viewed` -> `product_viewed`), the `event` value of Segment and RudderStack and the
    schema name of a Snowplow self-describing event.
-#}
{% macro tracking_plan_events() %}
    {%- set plan = audience._seed_relation('tracking_plan') -%}
    {%- if plan is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set names = run_query('select event_name from ' ~ plan ~ ' order by event_name').columns[0].values() -%}
    {%- set rules = audience.tracking_plan_properties() -%}
    {%- set events = [] -%}
    {%- for name in names -%}
        {%- set properties = [] -%}
        {%- for rule in rules if rule.event == name -%}
            {%- do properties.append({'name': rule.name, 'type': rule.type}) -%}
        {%- endfor -%}
        {%- do events.append({'name': name, 'slug': audience.snake_case(name), 'properties': properties}) -%}
    {%- endfor -%}
    {{ return(events) }}
{% endmacro %}
