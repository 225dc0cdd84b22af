{#-
    on-run-start hook. With var raw_format = 'parquet' on DuckDB, (re)creates one view per
    source table, <raw_schema>.<table>, over <raw_data_path>/<table>/*.parquet, so sources
    read the same way as warehouse tables on every adapter. Fails with a message naming the
    setting when a table has no files.
-#}
{% macro register_raw_parquet_views() %}
    {% set raw_format = var('raw_format', env_var('AUDIENCE_RAW_FORMAT', 'parquet')) %}
    {% set raw_schema = var('raw_schema', env_var('AUDIENCE_RAW_SCHEMA', 'raw')) %}
    {% if not execute or raw_format != 'parquet' %}
        {{ return('') }}
    {% endif %}
    {% if target.type != 'duckdb' %}
        {{ exceptions.raise_compiler_error(
            "var raw_format is 'parquet' (--vars raw_format / env AUDIENCE_RAW_FORMAT), which only the duckdb adapter "
            ~ "can read; target '" ~ target.name ~ "' is " ~ target.type ~ ": set AUDIENCE_RAW_FORMAT=table.") }}
    {% endif %}
    {% set raw_path = var('raw_data_path', env_var('AUDIENCE_RAW_PATH', 'data/raw')).rstrip('/') %}
    {% set statements = ["create schema if not exists " ~ raw_schema] %}
    {% for source_node in graph.sources.values() | sort(attribute='unique_id') %}
        {% set pattern = raw_path ~ '/' ~ source_node.name ~ '/*.parquet' %}
        {% set found = run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] %}
        {% if found == 0 %}
            {{ exceptions.raise_compiler_error(
                "No Parquet files for raw table '" ~ source_node.source_name ~ "." ~ source_node.name ~ "': expected "
                ~ pattern ~ " (var raw_data_path, env AUDIENCE_RAW_PATH). Generate sample data with "
                ~ "`audience generate --out data` or point AUDIENCE_RAW_PATH at your export.") }}
        {% endif %}
        {% do statements.append(
            "create or replace view " ~ raw_schema ~ "." ~ source_node.name
            ~ " as select * from read_parquet('" ~ pattern ~ "', union_by_name = true)") %}
    {% endfor %}
    {{ return(statements | join(';\n')) }}
{% endmacro %}
