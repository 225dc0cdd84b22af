{#-
    The tracking plan (seed tracking_plan), read when the model compiles: a list of
    {name, slug, properties: [{name, type}]}, the properties from `expected_properties`
    (`product_id:string;price:number`). slug is the event name in snake case (`Product Viewed` ->
    `product_viewed`), the `event` value of Segment and RudderStack and the schema name of a
    Snowplow self-describing event. An unknown property type stops the run naming the event.
-#}
{% macro tracking_plan_events() %}
    {%- set types = ['string', 'number', 'integer', 'boolean'] -%}
    {#- found in the graph rather than by ref(), so the reconciliation tests may call it too -#}
    {%- set seed = graph.nodes['seed.' ~ project_name ~ '.tracking_plan'] -%}
    {%- set plan = api.Relation.create(database=seed.database, schema=seed.schema, identifier=seed.alias) -%}
    {%- set rows = run_query('select event_name, expected_properties from ' ~ plan ~ ' order by event_name').rows -%}
    {%- set events = [] -%}
    {%- for row in rows -%}
        {%- set properties = [] -%}
        {%- for item in (row[1] or '').split(';') if item.strip() -%}
            {%- set parts = item.split(':') -%}
            {%- set type = parts[1].strip() if parts | length == 2 else '' -%}
            {%- if type not in types -%}
                {{ exceptions.raise_compiler_error(
                    "seeds/tracking_plan.csv, event '" ~ row[0] ~ "', expected_properties entry '" ~ item
                    ~ "': expected <property>:<type> with a type among " ~ types | join(', ') ~ ".") }}
            {%- endif -%}
            {%- do properties.append({'name': parts[0].strip(), 'type': type}) -%}
        {%- endfor -%}
        {%- do events.append({'name': row[0], 'slug': audience.snake_case(row[0]), 'properties': properties}) -%}
    {%- endfor -%}
    {{ return(events) }}
{% endmacro %}
