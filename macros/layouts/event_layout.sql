{#-
    The layout the event source is read in: var event_layout (env AUDIENCE_EVENT_LAYOUT), one of
    json_properties (the `segment` sources YAML as declared: `tracks.properties` one JSON string),
    segment_warehouse, rudderstack_warehouse (tracks plus one table per tracked event, pages,
    identifies) or snowplow_atomic (Snowplow's atomic `events` table). Anything else stops the run
    naming the setting and the accepted values.
-#}
{% macro event_layout() %}
    {%- set layout = var('event_layout', env_var('AUDIENCE_EVENT_LAYOUT', 'json_properties')) -%}
    {%- set layouts = ['json_properties', 'segment_warehouse', 'rudderstack_warehouse', 'snowplow_atomic'] -%}
    {%- if layout not in layouts -%}
        {{ exceptions.raise_compiler_error(
            "var event_layout (--vars event_layout / env AUDIENCE_EVENT_LAYOUT) is '" ~ layout
            ~ "'; expected one of " ~ layouts | join(', ') ~ ".") }}
    {%- endif -%}
    {{ return(layout) }}
{% endmacro %}
