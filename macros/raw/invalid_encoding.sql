{#-
    SQL of whether a raw row held a string that is not valid UTF-8: the `_invalid_encoding`
    column the raw files hook adds to every raw view (macros/raw/register_raw_files.sql), or
    false where raw rows come from warehouse tables (which hold valid text only) and in unit tests
    (whose inputs have no such column). The base models carry it as has_invalid_encoding, and
    classify_rows rejects such a row first, as invalid_encoding.
-#}
{% macro invalid_encoding(relation_alias=none) %}
    {%- set from_files = var('raw_format', env_var('AUDIENCE_RAW_FORMAT', 'files')) in ('files', 'parquet') -%}
    {%- if not from_files or not (graph.get('sources') or {}) -%}
        {{ return('false') }}
    {%- endif -%}
    {{ return((relation_alias ~ '.' if relation_alias else '') ~ '_invalid_encoding') }}
{% endmacro %}
