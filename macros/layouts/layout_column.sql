{#-
    SQL of a raw column read from a layout table: the first of `candidates` (column names) the
    table (from layout_relation_columns) has, prefixed with `alias`, cast to `data_type` (null
    where it does not cast); a typed null when it has none of them. A timestamp without time zone
    (Snowplow's, and the usual type of loaded event times) is read as UTC.
-#}
{% macro layout_column(table, candidates, data_type, alias) %}
    {%- set present = [] -%}
    {%- for name in candidates if name | lower in table.columns -%}
        {%- set column = table.columns[name | lower] -%}
        {%- set naive = column.type in ('timestamp', 'timestamp without time zone', 'timestamp_ntz', 'datetime') -%}
        {%- set value = alias ~ '.' ~ column.quoted -%}
        {%- do present.append(audience.utc_timestamp_tz(value) if naive and 'zone' in data_type else value) -%}
    {%- endfor -%}
    {%- if not present -%}
        {{ return('cast(null as ' ~ data_type ~ ')') }}
    {%- endif -%}
    {%- set value = present[0] if present | length == 1 else 'coalesce(' ~ present | join(', ') ~ ')' -%}
    {{ return(audience.try_cast(value, data_type)) }}
{% endmacro %}
