{#-
    SQL of an event property's value for the `properties` JSON object (macro json_object), read
    from a layout table (from layout_relation_columns) by the first of `candidates` it has, cast
    to the tracking plan's `type` (string, number, integer or boolean); null when the table has
    none of the columns. On DuckDB a value that does not cast (or, for an integer, is not a whole
    number) keeps its text, so staging sees what was sent and judges it as in the JSON layout.
-#}
{% macro layout_property_value(table, candidates, type, alias) %}
    {%- set present = [] -%}
    {%- for name in candidates if name | lower in table.columns -%}
        {%- do present.append(alias ~ '.' ~ table.columns[name | lower].quoted) -%}
    {%- endfor -%}
    {%- set value = 'null' if not present else present[0] if present | length == 1 else 'coalesce(' ~ present | join(', ') ~ ')' -%}
    {{ return(adapter.dispatch('layout_property_value', 'audience')(value, type)) }}
{% endmacro %}

{% macro default__layout_property_value(value, type) -%}
    {%- set sql_type = {
        'string': dbt.type_string(),
        'number': dbt.type_float(),
        'integer': dbt.type_bigint(),
        'boolean': dbt.type_boolean(),
    }[type] -%}
    {{ audience.try_cast(value, sql_type) }}
{%- endmacro %}

{% macro duckdb__layout_property_value(value, type) -%}
    {%- if type == 'string' -%}
        cast({{ value }} as varchar)
    {%- elif type == 'integer' -%}
        {#- a cast to bigint would round 2.5 to 3: only whole numbers are integers -#}
        coalesce(to_json(case when try_cast({{ value }} as double) = trunc(try_cast({{ value }} as double))
            then cast(try_cast({{ value }} as double) as bigint) end),
            to_json(cast({{ value }} as varchar)))
    {%- else -%}
        coalesce(to_json(try_cast({{ value }} as {{ {'number': 'double', 'integer': 'bigint', 'boolean': 'boolean'}[type] }})),
            to_json(cast({{ value }} as varchar)))
    {%- endif -%}
{%- endmacro %}
