{#-
    Checks `value` against a JSON Schema (the subset segment_definition_schema uses) and returns the
    first violation as "<path>: expected <what>, got <value>", or none when the value conforms.
    `root` is the schema that `$ref: "#/$defs/<name>"` resolves in; `path` names the value.
    Why Jinja and not the jsonschema library: the check must run inside `dbt build` (users only edit
    YAML and run dbt), and dbt's Jinja imports no Python package (its `modules` are datetime, pytz,
    re and itertools). `audience check-segments` uses jsonschema on the same schema; tests/segments
    check both reject the invalid_cases.py definitions with the same messages
    (test_invalid_definitions.py, test_check_segments.py, test_definition_schema.py).
-#}
{% macro validate_against_schema(value, schema, root, path) %}
    {%- if '$ref' in schema -%}
        {{ return(audience.validate_against_schema(value, root['$defs'][schema['$ref'].split('/')[-1]], root, path)) }}
    {%- endif -%}
    {%- set got = audience._json_type_of(value) -%}
    {%- set shown = tojson(value, sort_keys=True)[:80] -%}
    {%- set expected_types = schema['type'] if schema['type'] is not string else [schema['type']] -%}
    {%- if 'type' in schema and got not in expected_types
            and not (got == 'integer' and 'number' in expected_types) -%}
        {{ return(path ~ ": expected " ~ (expected_types | join(' or ')) ~ ", got " ~ shown) }}
    {%- endif -%}
    {%- if 'enum' in schema and value not in schema['enum'] -%}
        {{ return(path ~ ": expected one of " ~ (schema['enum'] | join(', ')) ~ ", got " ~ shown) }}
    {%- endif -%}
    {%- if got == 'string' -%}
        {%- if value | length < schema.get('minLength', 0) -%}
            {{ return(path ~ ": expected a non-empty string, got " ~ shown) }}
        {%- endif -%}
        {%- if 'pattern' in schema and not modules.re.search(schema['pattern'], value) -%}
            {{ return(path ~ ": expected a string matching " ~ schema['pattern'] ~ ", got " ~ shown) }}
        {%- endif -%}
    {%- elif got in ('integer', 'number') -%}
        {%- if 'minimum' in schema and value < schema['minimum'] -%}
            {{ return(path ~ ": expected a number >= " ~ schema['minimum'] ~ ", got " ~ shown) }}
        {%- endif -%}
        {%- if 'maximum' in schema and value > schema['maximum'] -%}
            {{ return(path ~ ": expected a number <= " ~ schema['maximum'] ~ ", got " ~ shown) }}
        {%- endif -%}
    {%- elif got == 'array' -%}
        {%- if value | length < schema.get('minItems', 0) -%}
            {{ return(path ~ ": expected at least " ~ schema['minItems'] ~ " items, got " ~ (value | length)) }}
        {%- endif -%}
        {%- if 'maxItems' in schema and value | length > schema['maxItems'] -%}
            {{ return(path ~ ": expected at most " ~ schema['maxItems'] ~ " items, got " ~ (value | length)) }}
        {%- endif -%}
        {%- if 'items' in schema -%}
            {%- for item in value -%}
                {%- set error = audience.validate_against_schema(item, schema['items'], root, path ~ '[' ~ loop.index0 ~ ']') -%}
                {%- if error -%}{{ return(error) }}{%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- elif got == 'object' -%}
        {%- set properties = schema.get('properties', {}) -%}
        {%- for key in schema.get('required', []) if key not in value -%}
            {{ return(path ~ "." ~ key ~ ": expected a value, the field is required") }}
        {%- endfor -%}
        {%- if schema.get('additionalProperties', true) is sameas false -%}
            {%- for key in value if key not in properties -%}
                {{ return(path ~ "." ~ key ~ ": expected no such field; allowed: " ~ (properties.keys() | join(', '))) }}
            {%- endfor -%}
        {%- endif -%}
        {%- if value | length < schema.get('minProperties', 0)
                or ('maxProperties' in schema and value | length > schema['maxProperties']) -%}
            {%- if schema.get('minProperties') == schema.get('maxProperties') == 1 -%}
                {{ return(path ~ ": expected exactly one of " ~ (properties.keys() | join(', ')) ~ ", got " ~ shown) }}
            {%- endif -%}
            {{ return(path ~ ": expected between " ~ schema.get('minProperties', 0) ~ " and "
                ~ schema.get('maxProperties', 'any number of') ~ " fields, got " ~ shown) }}
        {%- endif -%}
        {%- for key, item in value.items() if key in properties -%}
            {%- set error = audience.validate_against_schema(item, properties[key], root, path ~ '.' ~ key) -%}
            {%- if error -%}{{ return(error) }}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(none) }}
{% endmacro %}

{% macro _json_type_of(value) %}
    {%- if value is none -%}{{ return('null') }}
    {%- elif value is sameas true or value is sameas false -%}{{ return('boolean') }}
    {%- elif value is integer -%}{{ return('integer') }}
    {%- elif value is number -%}{{ return('number') }}
    {%- elif value is string -%}{{ return('string') }}
    {%- elif value is mapping -%}{{ return('object') }}
    {%- elif value is iterable -%}{{ return('array') }}
    {%- endif -%}
    {{ return('unknown') }}
{% endmacro %}
