{#-
    The raw files hook on Spark (private to macros/raw/register_raw_files.sql): one view per source
    table, <raw_schema>.<table>, over the Parquet files below <raw_data_path>/<table>/ (read
    recursively), with exactly the columns the sources YAML declares, cast to their types; a column
    the files lack is null; _invalid_encoding says whether a text column held bytes that are not
    UTF-8, as on DuckDB. Jinja cannot list a folder, so every table needs its folder, even an
    optional one (an empty Parquet file will do); Spark's error names a missing one.
-#}
{% macro _spark_raw_parquet_views(raw_schema) %}
    {% set raw_path = audience.raw_data_path() %}
    {% set statements = ["create schema if not exists " ~ raw_schema] %}
    {% for source_node in graph.sources.values() | sort(attribute='unique_id') %}
        {% set folder = raw_path ~ '/' ~ source_node.name %}
        {% set reader = "parquet.`" ~ folder | replace('`', '``') ~ "`" %}
        {% set found = run_query("select * from " ~ reader ~ " limit 0") %}
        {% set file_columns = found.column_names | map('lower') | list %}
        {% set select = [] %}
        {% set valid = [] %}
        {% for column in source_node.columns.values() %}
            {% set spark_type = {'varchar': 'string', 'timestamp with time zone': 'timestamp'}.get(column.data_type, column.data_type) %}
            {% if column.name | lower in file_columns %}
                {% do select.append("try_cast(`" ~ column.name ~ "` as " ~ spark_type ~ ") as `" ~ column.name ~ "`") %}
                {% if spark_type == 'string' %}
                    {% do valid.append("coalesce(is_valid_utf8(`" ~ column.name ~ "`), true)") %}
                {% endif %}
            {% else %}
                {% do select.append("cast(null as " ~ spark_type ~ ") as `" ~ column.name ~ "`") %}
            {% endif %}
        {% endfor %}
        {% do select.append(("not (" ~ valid | join(' and ') ~ ")" if valid else "false") ~ " as _invalid_encoding") %}
        {% do statements.append("create or replace view " ~ raw_schema ~ "." ~ source_node.name ~ " as select "
            ~ select | join(', ') ~ " from " ~ reader) %}
    {% endfor %}
    {% for statement in statements %}{% do run_query(statement) %}{% endfor %}
    {{ return('') }}
{% endmacro %}
