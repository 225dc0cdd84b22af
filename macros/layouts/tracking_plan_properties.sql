{#-
    The property rules of the tracking plan (seed tracking_plan_properties), read when the model
    compiles and checked: a list of {event, name, type, is_required, minimum, maximum, allowed,
    allowed_from} by event and property name (a seed has no row order that every engine keeps).
    `allowed` is the list of `|`-separated allowed_values; `allowed_from` is {'seed', 'column'}
    for allowed_values `seed:<seed>.<column>`. A rule that cannot be applied
    stops the run with a message naming the file, the event, the property, the field and what was
    expected. Empty while the seeds are not built (a compile or lint before `dbt seed`).
-#}
{% macro tracking_plan_properties() %}
    {%- set types = ['string', 'number', 'integer', 'boolean'] -%}
    {%- set relations = [audience._seed_relation('tracking_plan'), audience._seed_relation('tracking_plan_properties')] -%}
    {%- if none in relations -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set known_events = run_query('select event_name from ' ~ relations[0]).columns[0].values() -%}
    {%- set rows = run_query(
        'select event_name, property_name, property_type, is_required, minimum, maximum, allowed_values from '
        ~ relations[1] ~ ' order by event_name, property_name').rows -%}
    {%- set rules = [] -%}
    {%- for row in rows -%}
        {%- set where = "seeds/tracking_plan_properties.csv, event '" ~ row[0] ~ "', property '" ~ row[1] ~ "': " -%}
        {%- if row[0] not in known_events -%}
            {{ exceptions.raise_compiler_error(where ~ 'event_name: expected an event of seeds/tracking_plan.csv') }}
        {%- endif -%}
        {%- if not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', row[1] or '') -%}
            {{ exceptions.raise_compiler_error(where ~ 'property_name: expected letters, digits and underscores, not starting with a digit') }}
        {%- endif -%}
        {%- if row[2] not in types -%}
            {{ exceptions.raise_compiler_error(where ~ 'property_type: expected one of ' ~ types | join(', ') ~ ", got '" ~ row[2] ~ "'") }}
        {%- endif -%}
        {%- if (row[4] is not none or row[5] is not none) and row[2] not in ('number', 'integer') -%}
            {{ exceptions.raise_compiler_error(where ~ 'minimum/maximum: expected only on a number or integer property, the type is ' ~ row[2]) }}
        {%- endif -%}
        {%- if row[4] is not none and row[5] is not none and row[4] > row[5] -%}
            {{ exceptions.raise_compiler_error(where ~ 'minimum: expected at most the maximum ' ~ row[5] ~ ', got ' ~ row[4]) }}
        {%- endif -%}
        {%- set rule = {'event': row[0], 'name': row[1], 'type': row[2], 'is_required': row[3] is sameas true,
            'minimum': row[4], 'maximum': row[5], 'allowed': [], 'allowed_from': none} -%}
        {%- set allowed = (row[6] or '').strip() -%}
        {%- if allowed.startswith('seed:') -%}
            {%- set parts = allowed[5:].split('.') -%}
            {%- if parts | length != 2 or not modules.re.fullmatch('[A-Za-z_][A-Za-z0-9_]*', parts[1]) -%}
                {{ exceptions.raise_compiler_error(where ~ "allowed_values: expected seed:<seed>.<column>, got '" ~ allowed ~ "'") }}
            {%- endif -%}
            {%- do rule.update({'allowed_from': {'seed': parts[0], 'column': parts[1]}}) -%}
        {%- elif allowed -%}
            {%- do rule.update({'allowed': allowed.split('|') | map('trim') | list}) -%}
        {%- endif -%}
        {%- do rules.append(rule) -%}
    {%- endfor -%}
    {{ return(rules) }}
{% endmacro %}
