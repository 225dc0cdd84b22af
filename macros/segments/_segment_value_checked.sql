{#-
    Type checks of condition values, from the *_value definitions of segment_definition_schema:
    the definition whose x-column-types lists a column's data type says what a value compared
    with that column must be (`audience check-segments` reads the same definitions).
-#}

{#- Fails naming the field unless `value` can be compared with column `column` of `input_name`. -#}
{% macro _segment_value_checked(value, path, context, input_name, column) %}
    {%- set data_type = context['columns'][input_name][column] -%}
    {%- set kind = audience._segment_value_kind(data_type, context['schema']) -%}
    {%- if kind is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- set value_schema = context['schema']['$defs'][kind] -%}
    {%- set error = audience.validate_against_schema(value, value_schema, context['schema'], path) -%}
    {%- if not error and kind in ('date_value', 'timestamp_value') -%}
        {#- the pattern admits 31 days in every month: the day must exist in its month -#}
        {%- set month = value[5:7] | int -%}
        {%- set day = modules.datetime.date(value[0:4] | int, month, 1) + modules.datetime.timedelta(days=(value[8:10] | int) - 1) -%}
        {%- set error = day.month != month -%}
    {%- endif -%}
    {%- if error -%}
        {{ audience._segment_error(context, path, 'expected ' ~ value_schema['description'] ~ ' for column '
            ~ column ~ ' (' ~ data_type ~ ') of ' ~ audience._segment_input_model(input_name) ~ ', got ' ~ tojson(value, sort_keys=True)) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{#- The name of the *_value definition serving `data_type` (e.g. number_value for decimal(28,6)), or none. -#}
{% macro _segment_value_kind(data_type, schema) %}
    {%- if data_type is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set base = modules.re.sub('\\(.*\\)', '', data_type | lower) | trim -%}
    {%- for name, definition in schema['$defs'].items() if name.endswith('_value') and base in definition.get('x-column-types', []) -%}
        {{ return(name) }}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}

{#- Fails unless low <= high for the two values of a between condition of the same type. -#}
{% macro _segment_range_checked(value, path, context) %}
    {%- set low, high = value[0], value[1] -%}
    {%- set both_numbers = low is number and high is number and low is not boolean and high is not boolean -%}
    {%- if both_numbers and low > high or low is string and high is string and low.replace('T', ' ') > high.replace('T', ' ') -%}
        {{ audience._segment_error(context, path, 'expected [low, high] with low <= high, got ' ~ tojson(value, sort_keys=True)) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{% macro _segment_input_model(input_name) %}
    {{ return({'users': 'dim_persons', 'events': 'int_events_mapped_to_persons', 'orders': 'int_completed_orders_filtered'}[input_name]) }}
{% endmacro %}
