{#-
    Compiles one rule node (see models/activation/segments/_segments__docs.md) to a boolean SQL expression
    over the `users` row of segment_members. Conditions that need their own query add a CTE,
    one row per person, to compiled['ctes']; every condition adds the value it saw to
    compiled['values'] (keyed c<n>_<what>, depth first). `path` names the node in errors.
-#}
{% macro _segment_rule_sql(rule, path, compiled) %}
    {%- set kind = (rule.keys() | list)[0] -%}
    {%- set body = rule[kind] -%}
    {%- set here = path ~ '.' ~ kind -%}
    {%- if kind in ('all', 'any') -%}
        {%- set parts = [] -%}
        {%- for child in body -%}
            {%- do parts.append(audience._segment_rule_sql(child, here ~ '[' ~ loop.index0 ~ ']', compiled)) -%}
        {%- endfor -%}
        {{ return('(' ~ parts | join(' and ' if kind == 'all' else ' or ') ~ ')') }}
    {%- elif kind == 'not' -%}
        {{ return('(not ' ~ audience._segment_rule_sql(body, here, compiled) ~ ')') }}
    {%- endif -%}

    {%- set n = compiled['values'] | length + 1 -%}
    {%- set cte = 'condition_' ~ n -%}
    {%- set context = compiled['context'] -%}
    {%- if kind == 'column' -%}
        {%- set value_sql = 'users.' ~ body['name'] -%}
        {%- set key = body['name'] -%}
        {%- set test = audience._segment_condition_sql('users', body, here, context, 'users') -%}

    {%- elif kind == 'event' -%}
        {%- set bounds = [] -%}
        {%- for bound in ('at_least', 'at_most', 'exactly') if bound in body -%}
            {%- do bounds.append(bound) -%}
        {%- endfor -%}
        {%- if bounds | length != 1 -%}
            {{ audience._segment_error(context, here, 'expected exactly one of at_least, at_most, exactly, got '
                ~ (bounds | join(', ') if bounds else 'none')) }}
        {%- endif -%}
        {%- for option in ('distinct', 'per') if option in body -%}
            {{ audience._segment_column_checked(body[option], here ~ '.' ~ option, context, 'events') }}
        {%- endfor -%}
        {%- set counted = 'count(distinct events.' ~ body['distinct'] ~ ')' if 'distinct' in body else 'count(*)' -%}
        {%- set filters = audience._segment_event_filters('events', body, here, context) -%}
        {%- if 'per' in body -%}
            {%- set query -%}
select per_value.person_id, max(per_value.event_count) as value
from (
    select events.person_id, events.{{ body['per'] }}, {{ counted }} as event_count
    from events
    cross join as_of
    where {{ filters }}
        {{- audience._segment_window('events.event_at', body) }}
    group by events.person_id, events.{{ body['per'] }}
) as per_value
group by per_value.person_id
            {%- endset -%}
        {%- else -%}
            {%- set query -%}
select events.person_id, {{ counted }} as value
from events
cross join as_of
where {{ filters }}
    {{- audience._segment_window('events.event_at', body) }}
group by events.person_id
            {%- endset -%}
        {%- endif -%}
        {%- do compiled['ctes'].append({'name': cte, 'sql': query}) -%}
        {%- set value_sql = 'coalesce(' ~ cte ~ '.value, 0)' -%}
        {%- set key = audience._segment_slug(body['name']) ~ '_count' -%}
        {%- set op = {'at_least': '>=', 'at_most': '<=', 'exactly': '='}[bounds[0]] -%}
        {%- set test = value_sql ~ ' ' ~ op ~ ' ' ~ body[bounds[0]] -%}

    {%- elif kind == 'sequence' -%}
        {%- set steps = body['steps'] -%}
        {%- set last = 'step_' ~ (steps | length) -%}
        {%- set same = body.get('same', []) -%}
        {%- for column in same -%}
            {{ audience._segment_column_checked(column, here ~ '.same[' ~ loop.index0 ~ ']', context, 'events') }}
        {%- endfor -%}
        {%- set query -%}
select step_1.person_id, min({{ last }}.event_at) as value
from events as step_1
cross join as_of
{%- for step in steps[1:] %}
{%- set alias = 'step_' ~ (loop.index + 1) %}
{%- set previous = 'step_' ~ loop.index %}
inner join events as {{ alias }}
    on
        {{ alias }}.person_id = step_1.person_id
        and {{ alias }}.event_at > {{ previous }}.event_at
        and {{ alias }}.event_at <= {{ dbt.dateadd('minute', body['within_minutes'], 'step_1.event_at') | trim }}
        {%- for column in same %}
        and {{ alias }}.{{ column }} = step_1.{{ column }}
        {%- endfor %}
        and {{ audience._segment_event_filters(alias, step, here ~ '.steps[' ~ loop.index ~ ']', context) }}
{%- endfor %}
where {{ audience._segment_event_filters('step_1', steps[0], here ~ '.steps[0]', context) }}
    {{- audience._segment_window('step_1.event_at', body) }}
group by step_1.person_id
        {%- endset -%}
        {%- do compiled['ctes'].append({'name': cte, 'sql': query}) -%}
        {%- set value_sql = cte ~ '.value' -%}
        {%- set key = 'sequence_completed_at' -%}
        {%- set test = value_sql ~ ' is not null' -%}

    {%- elif kind == 'absence' -%}
        {%- set wait_ends = dbt.dateadd('hour', body['wait_hours'], 'triggers.event_at') | trim -%}
        {%- set query -%}
select triggers.person_id, max(triggers.event_at) as value
from events as triggers
cross join as_of
where {{ audience._segment_event_filters('triggers', body['after'], here ~ '.after', context) }}
    {{- audience._segment_window('triggers.event_at', body) }}
    and {{ wait_ends }} <= as_of.as_of_ends_at
    and not exists (
        select 1
        from events as follow_ups
        where
            follow_ups.person_id = triggers.person_id
            and {{ audience._segment_event_filters('follow_ups', body['missing'], here ~ '.missing', context) }}
            and follow_ups.event_at > triggers.event_at
            and follow_ups.event_at <= {{ wait_ends }}
    )
group by triggers.person_id
        {%- endset -%}
        {%- do compiled['ctes'].append({'name': cte, 'sql': query}) -%}
        {%- set value_sql = cte ~ '.value' -%}
        {%- set key = audience._segment_slug(body['after']['name']) ~ '_unanswered_at' -%}
        {%- set test = value_sql ~ ' is not null' -%}

    {%- elif kind == 'orders' -%}
        {%- set aggregate = body['aggregate'] -%}
        {%- if aggregate == 'count' -%}
            {%- set aggregated = 'count(*)' -%}
        {%- elif 'field' not in body -%}
            {{ audience._segment_error(context, here ~ '.field', 'expected an order column to ' ~ aggregate ~ ', got none') }}
        {%- else -%}
            {{ audience._segment_column_checked(body['field'], here ~ '.field', context, 'orders') }}
            {%- set field_type = context['columns']['orders'][body['field']] -%}
            {%- if audience._segment_value_kind(field_type, context['schema']) not in ('number_value', none) -%}
                {{ audience._segment_error(context, here ~ '.field', 'expected a numeric column of int_completed_orders_filtered to '
                    ~ aggregate ~ ", got '" ~ body['field'] ~ "' (" ~ field_type ~ ")") }}
            {%- endif -%}
            {%- set aggregated = aggregate ~ '(orders.' ~ body['field'] ~ ')' -%}
        {%- endif -%}
        {%- set filters = ['orders.ordered_at < as_of.as_of_ends_at'] -%}
        {%- for condition in body.get('where', []) -%}
            {%- do filters.append(audience._segment_condition_sql('orders', condition, here ~ '.where[' ~ loop.index0 ~ ']', context, 'orders')) -%}
        {%- endfor -%}
        {%- set query -%}
select orders.person_id, {{ aggregated }} as value
from orders
cross join as_of
where {{ filters | join('\n    and ') }}
    {{- audience._segment_window('orders.ordered_at', body) }}
group by orders.person_id
        {%- endset -%}
        {%- do compiled['ctes'].append({'name': cte, 'sql': query}) -%}
        {%- set value_sql = 'coalesce(' ~ cte ~ '.value, 0)' if aggregate in ('count', 'sum') else cte ~ '.value' -%}
        {%- set key = 'orders_' ~ aggregate ~ ('_' ~ body['field'] if aggregate != 'count' else '') -%}
        {%- set test = value_sql ~ ' ' ~ audience._segment_operator(body['op']) ~ ' ' ~ audience._segment_literal(body['value']) -%}

    {%- elif kind == 'segment' -%}
        {%- set node_id = 'model.audience.segment_' ~ body -%}
        {%- if node_id not in graph.nodes or graph.nodes[node_id].config.get('meta', {}).get('segment') is none -%}
            {{ audience._segment_error(context, here, "expected the name of a segment (a model segment_<name> with config.meta.segment), got '" ~ body ~ "'") }}
        {%- endif -%}
        {%- if body == context['segment'] -%}
            {{ audience._segment_error(context, here, 'expected another segment, got the segment itself') }}
        {%- endif -%}
        {%- if node_id not in context['depends_on'] -%}
            {{ audience._segment_error(context, here, "expected the dependency on segment_" ~ body
                ~ " in macros/segments/segment_dependencies.sql: run `audience segment-deps` to write that file"
                ~ " from the definitions") }}
        {%- endif -%}
        {%- set query -%}
select distinct member.person_id, true as value
from {{ ref('segment_' ~ body) }} as member
        {%- endset -%}
        {%- do compiled['ctes'].append({'name': cte, 'sql': query}) -%}
        {%- set value_sql = 'coalesce(' ~ cte ~ '.value, false)' -%}
        {%- set key = 'segment_' ~ body -%}
        {%- set test = value_sql -%}

    {%- elif kind == 'sql' -%}
        {%- set value_sql = '(' ~ body ~ ')' -%}
        {%- set key = 'sql' -%}
        {%- set test = value_sql -%}
    {%- endif -%}

    {%- set value_key = 'c' ~ n ~ '_' ~ key -%}
    {%- do compiled['values'].append({'key': value_key, 'sql': value_sql}) -%}
    {{ return('coalesce(' ~ test ~ ', false)') }}
{% endmacro %}
