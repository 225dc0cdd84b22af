{#- Small pieces of SQL the segment rule compiler (_segment_rule_sql) assembles. -#}

{#- A condition {name, op, value} on column `name` of `alias` (input `input_name`), as SQL. -#}
{% macro _segment_condition_sql(alias, condition, path, context, input_name) %}
    {{ audience._segment_column_checked(condition['name'], path ~ '.name', context, input_name) }}
    {%- set column = alias ~ '.' ~ condition['name'] -%}
    {%- set op = condition['op'] -%}
    {%- set value = condition.get('value') -%}
    {%- set shown = tojson(value, sort_keys=True) -%}
    {%- if op in ('is_null', 'is_not_null') -%}
        {%- if 'value' in condition -%}
            {{ audience._segment_error(context, path ~ '.value', 'expected no value with op ' ~ op ~ ', got ' ~ shown) }}
        {%- endif -%}
        {{ return(column ~ (' is null' if op == 'is_null' else ' is not null')) }}
    {%- elif op == 'between' -%}
        {%- if value is string or value is not iterable or value | length != 2 -%}
            {{ audience._segment_error(context, path ~ '.value', 'expected [low, high] with op between, got ' ~ shown) }}
        {%- endif -%}
        {%- for item in value -%}
            {{ audience._segment_value_checked(item, path ~ '.value[' ~ loop.index0 ~ ']', context, input_name, condition['name']) }}
        {%- endfor -%}
        {{ audience._segment_range_checked(value, path ~ '.value', context) }}
        {{ return(column ~ ' between ' ~ audience._segment_literal(value[0]) ~ ' and ' ~ audience._segment_literal(value[1])) }}
    {%- elif op in ('in', 'not_in') -%}
        {%- if value is string or value is not iterable or value | length == 0 -%}
            {{ audience._segment_error(context, path ~ '.value', 'expected a non-empty list with op ' ~ op ~ ', got ' ~ shown) }}
        {%- endif -%}
        {%- set literals = [] -%}
        {%- for item in value -%}
            {{ audience._segment_value_checked(item, path ~ '.value[' ~ loop.index0 ~ ']', context, input_name, condition['name']) }}
            {%- do literals.append(audience._segment_literal(item)) -%}
        {%- endfor -%}
        {{ return(column ~ (' in (' if op == 'in' else ' not in (') ~ literals | join(', ') ~ ')') }}
    {%- endif -%}
    {%- if value is none or (value is not string and value is iterable) -%}
        {{ audience._segment_error(context, path ~ '.value', 'expected a string, number or boolean with op ' ~ op ~ ', got ' ~ shown) }}
    {%- endif -%}
    {%- if op == 'contains' -%}
        {{ return(dbt.position(audience._segment_literal(value | string), 'cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') ~ ' > 0') }}
    {%- endif -%}
    {{ audience._segment_value_checked(value, path ~ '.value', context, input_name, condition['name']) }}
    {{ return(column ~ ' ' ~ audience._segment_operator(op) ~ ' ' ~ audience._segment_literal(value)) }}
{% endmacro %}

{#- Fails naming the field unless `column` is a documented column of the input. -#}
{% macro _segment_column_checked(column, path, context, input_name) %}
    {%- set known = context['columns'][input_name] -%}
    {%- if column not in known -%}
        {{ audience._segment_error(context, path, "expected a column of " ~ audience._segment_input_model(input_name) ~ ", got '" ~ column
            ~ "'; columns: " ~ known | join(', ')) }}
    {%- endif -%}
{% endmacro %}

{#- The events of a filter {name, where} up to the as-of date, for events aliased `alias`. -#}
{% macro _segment_event_filters(alias, event_filter, path, context) %}
    {%- set filters = [
        alias ~ '.event_name = ' ~ audience._segment_literal(event_filter['name']),
        alias ~ '.event_at < as_of.as_of_ends_at',
    ] -%}
    {%- for condition in event_filter.get('where', []) -%}
        {%- do filters.append(audience._segment_condition_sql(alias, condition, path ~ '.where[' ~ loop.index0 ~ ']', context, 'events')) -%}
    {%- endfor -%}
    {{ return(filters | join('\n    and ')) }}
{% endmacro %}

{#- `and <column> >= start of the last within_days days`, or nothing without within_days. -#}
{% macro _segment_window(column, body) %}
    {%- if 'within_days' in body -%}
        {{ return('\n    and ' ~ column ~ ' >= ' ~ dbt.dateadd('day', -body['within_days'], 'as_of.as_of_ends_at') | trim) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{% macro _segment_literal(value) %}
    {%- if value is sameas true or value is sameas false -%}
        {{ return('true' if value else 'false') }}
    {%- elif value is number -%}
        {{ return(value | string) }}
    {%- endif -%}
    {{ return(audience.text_literal(value | string)) }}
{% endmacro %}

{% macro _segment_operator(op) %}
    {{ return('<>' if op == '!=' else op) }}
{% endmacro %}

{#- A name as a lowercase identifier part: "Product Viewed" -> product_viewed. -#}
{% macro _segment_slug(name) %}
    {{ return(modules.re.sub('[^a-z0-9]+', '_', name | lower).strip('_')) }}
{% endmacro %}
