{#-
    on-run-start hook. With var raw_format = 'files' ('parquet' is its older name) on DuckDB,
    (re)creates one view per source table, <raw_schema>.<table>, over the files below
    <raw_data_path>/<table>/, so sources read the same way as warehouse tables on every adapter:

    - folders are read recursively, hive partitions (`day=2026-10-01/`) included;
    - Parquet, CSV and JSON lines are read, the format told by the extension (.parquet; .csv,
      .tsv; .jsonl, .ndjson, .json); each view holds exactly the columns the sources YAML
      declares, matched by name and cast to the declared types (a missing column is null, an
      unknown one is ignored, a UTF-8 byte order mark is skipped);
    - every file is checked once, when first seen (its name, size and time are kept in
      <raw_schema>.raw_files): a truncated file (a Parquet file without its closing marker, a
      text file whose last line has no line break) stops the run before any model, naming the
      file and the reason, unless var skip_corrupt_raw_files is true: then it is left out and
      listed in raw_files with status 'rejected';
    - a table of a source marked `meta: {optional: true}` may have no files: its view is empty;
      any other table without files stops the run;
    - with var event_layout other than json_properties (macros/layouts/event_layout.sql), the
      event tables are the vendor's: every folder below <raw_data_path> that is not a declared
      table (`tracks/`, `order_completed/`, Snowplow's `events/`, ...) becomes a view of all its
      columns, and the layout's macros read the ones they need.
-#}
{% macro register_raw_files() %}
    {% set raw_format = var('raw_format', env_var('AUDIENCE_RAW_FORMAT', 'files')) %}
    {% set raw_schema = var('raw_schema', env_var('AUDIENCE_RAW_SCHEMA', 'raw')) %}
    {% if not execute or raw_format not in ('files', 'parquet') %}
        {{ return('') }}
    {% endif %}
    {% if target.type == 'spark' %}
        {{ return(audience._spark_raw_parquet_views(raw_schema)) }}
    {% endif %}
    {% if target.type != 'duckdb' %}
        {{ exceptions.raise_compiler_error(
            "var raw_format is '" ~ raw_format ~ "' (--vars raw_format / env AUDIENCE_RAW_FORMAT), which only the "
            ~ "duckdb adapter can read; target '" ~ target.name ~ "' is " ~ target.type ~ ": set AUDIENCE_RAW_FORMAT=table.") }}
    {% endif %}
    {% set raw_path = audience.raw_data_path() %}
    {% if not run_query("select 1 from glob('" ~ raw_path | replace("'", "''") ~ "/**') limit 1").rows %}
        {{ exceptions.raise_compiler_error(
            "No raw data below " ~ raw_path ~ "/ (var raw_data_path / env AUDIENCE_RAW_PATH"
            ~ (", unset: the demo's folder" if audience.is_demo_data() else "") ~ "). Run `make demo` "
            ~ "to generate the demo data there, or set AUDIENCE_RAW_PATH to the folder holding one "
            ~ "folder per raw table.") }}
    {% endif %}
    {% do run_query(
        "create schema if not exists " ~ raw_schema ~ "; create table if not exists " ~ raw_schema ~ ".raw_files ("
        ~ "source_name varchar, table_name varchar, file varchar, format varchar, size bigint, "
        ~ "modified_at timestamp with time zone, status varchar, reason varchar, checked_at timestamp with time zone); "
        ~ "alter table " ~ raw_schema ~ ".raw_files add column if not exists has_invalid_utf8 boolean") %}
    {% set statements = [] %}
    {% set declared = [] %}
    {% set layout_tables = audience.event_layout() != 'json_properties' %}
    {% for source_node in graph.sources.values() | sort(attribute='unique_id') %}
        {% if not (layout_tables and source_node.source_name == 'segment') %}
            {% do declared.append(source_node.name) %}
            {% set files = audience._raw_files_readable(
                source_node.source_name, source_node.name, raw_path, raw_schema,
                source_node.source_meta.get('optional') or source_node.meta.get('optional')) %}
            {% do statements.append(
                "create or replace view " ~ raw_schema ~ "." ~ source_node.name ~ " as "
                ~ audience._raw_files_select(source_node.columns.values() | list, files)) %}
        {% endif %}
    {% endfor %}
    {% if layout_tables %}
        {% for folder in audience._raw_folders(raw_path) if folder not in declared %}
            {% set files = audience._raw_files_readable(audience.event_layout(), folder, raw_path, raw_schema, true) %}
            {% if files %}
                {% do statements.append(
                    "create or replace view " ~ raw_schema ~ "." ~ adapter.quote(folder) ~ " as "
                    ~ audience._raw_files_select(none, files)) %}
            {% endif %}
        {% endfor %}
    {% endif %}
    {{ return(statements | join(';\n')) }}
{% endmacro %}


{#- Names of the folders right below raw_path that hold raw files and can name a table. -#}
{% macro _raw_folders(raw_path) %}
    {{ return(run_query(
        "select distinct split_part(substr(file, " ~ (raw_path | length + 2) ~ "), '/', 1) as folder "
        ~ "from glob('" ~ raw_path | replace("'", "''") ~ "/*/**') "
        ~ "where regexp_matches(lower(file), '\\.(parquet|csv|tsv|jsonl|ndjson|json)$') "
        ~ "and regexp_matches(split_part(substr(file, " ~ (raw_path | length + 2) ~ "), '/', 1), '^[a-z_][a-z0-9_]*$') "
        ~ "order by folder").columns[0].values()) }}
{% endmacro %}


{#- The table's readable files by format; files not seen before are checked and remembered. -#}
{% macro _raw_files_readable(source_name, table_name, raw_path, raw_schema, optional) %}
    {% set folder = raw_path ~ '/' ~ table_name %}
    {% set known = raw_schema ~ ".raw_files" %}
    {% set this_table = "source_name = '" ~ source_name ~ "' and table_name = '" ~ table_name ~ "'" %}
    {% set found = run_query(
        "select file from glob('" ~ folder ~ "/**') "
        ~ "where regexp_matches(lower(file), '\\.(parquet|csv|tsv|jsonl|ndjson|json)$') order by file"
    ).columns[0].values() %}
    {% set by_format = {} %}
    {% if found %}
        {% set quoted = [] %}
        {% for file in found %}{% do quoted.append("'" ~ file | replace("'", "''") ~ "'") %}{% endfor %}
        {% set listed = '[' ~ quoted | join(', ') ~ ']' %}
        {% do run_query(
            "create or replace temp table raw_present as select filename as file, size, "
            ~ "last_modified as modified_at from read_blob(" ~ listed ~ ")") %}
        {% set fresh = run_query(
            "select file from raw_present as p where not exists (select 1 from " ~ known ~ " as k where "
            ~ this_table ~ " and k.file = p.file and k.size = p.size and k.modified_at = p.modified_at) order by file"
        ).columns[0].values() %}
        {% if fresh %}
            {% set quoted_fresh = [] %}
            {% for file in fresh %}{% do quoted_fresh.append("'" ~ file | replace("'", "''") ~ "'") %}{% endfor %}
            {% do run_query(
                "insert into " ~ known ~ " select '" ~ source_name ~ "', '" ~ table_name ~ "', p.file, "
                ~ "case when lower(p.file) like '%.parquet' then 'parquet' "
                ~ "when regexp_matches(lower(p.file), '\\.(csv|tsv)$') then 'csv' else 'json' end, "
                ~ "p.size, p.modified_at, case when c.problem is null then 'read' else 'rejected' end, c.problem, now(), "
                ~ "false from raw_present as p inner join ("
                ~ audience._raw_file_problems('[' ~ quoted_fresh | join(', ') ~ ']') ~ ") as c on p.file = c.file") %}
            {{ audience._raw_files_flag_invalid_utf8(known, this_table, quoted_fresh) }}
            {{ audience._raw_text_files_check(known, this_table, quoted_fresh, raw_schema) }}
        {% endif %}
        {% set present = "select k.* from " ~ known ~ " as k inner join raw_present as p on k.file = p.file "
            ~ "and k.size = p.size and k.modified_at = p.modified_at where " ~ this_table %}
        {% set broken = run_query("select file, reason from (" ~ present ~ ") where status = 'rejected' order by file") %}
        {% if broken.rows and not var('skip_corrupt_raw_files', false) %}
            {{ exceptions.raise_compiler_error(
                "Raw file " ~ broken.rows[0][0] ~ " (table " ~ source_name ~ "." ~ table_name
                ~ ") cannot be read: " ~ broken.rows[0][1] ~ ". Replace or remove it, or set var "
                ~ "skip_corrupt_raw_files: true to leave it out (it is then listed in " ~ known ~ ").") }}
        {% endif %}
        {% set readable = run_query(
            "select format || case when has_invalid_utf8 then '_invalid_utf8' else '' end, file from ("
            ~ present ~ ") where status = 'read' order by 1, file") %}
        {% for row in readable.rows %}
            {% do by_format.setdefault(row[0], []).append(row[1]) %}
        {% endfor %}
    {% endif %}
    {% if not by_format and not optional %}
        {{ exceptions.raise_compiler_error(
            "No readable files for raw table '" ~ source_name ~ "." ~ table_name ~ "': expected "
            ~ "Parquet, CSV or JSON-lines files below " ~ folder ~ "/ (var raw_data_path, env AUDIENCE_RAW_PATH). "
            ~ "Run `make demo` for the demo data, or point AUDIENCE_RAW_PATH at your export.") }}
    {% endif %}
    {{ return(by_format) }}
{% endmacro %}


{#- Flags the newly read Parquet files among `quoted` that hold a string that is not valid UTF-8:
    read with invalid bytes replaced, and with them dropped, such a file's strings differ in
    length. -#}
{% macro _raw_files_flag_invalid_utf8(known, this_table, quoted) %}
    {% set parquet = [] %}
    {% for file in quoted %}{% if file.lower().endswith(".parquet'") %}{% do parquet.append(file) %}{% endif %}{% endfor %}
    {% set readable = run_query(
        "select file from " ~ known ~ " where " ~ this_table ~ " and status = 'read' and file in ("
        ~ (parquet | join(', ') if parquet else "null") ~ ")").columns[0].values() %}
    {% if not readable %}{{ return('') }}{% endif %}
    {% set listed = [] %}
    {% for file in readable %}{% do listed.append("'" ~ file | replace("'", "''") ~ "'") %}{% endfor %}
    {% set reader = "read_parquet([" ~ listed | join(', ') ~ "], union_by_name = true, filename = true, utf8_validation = '" %}
    {% set strings = run_query(
        "select column_name from (describe select * from " ~ reader ~ "ignore')) where column_type = 'VARCHAR' "
        ~ "and column_name <> 'filename'").columns[0].values() %}
    {% if not strings %}{{ return('') }}{% endif %}
    {% set lengths = [] %}
    {% for column in strings %}{% do lengths.append("coalesce(sum(strlen(" ~ adapter.quote(column) ~ ")), 0)") %}{% endfor %}
    {% set total = lengths | join(' + ') %}
    {% do run_query(
        "update " ~ known ~ " set has_invalid_utf8 = true where " ~ this_table ~ " and file in ("
        ~ "select r.filename from (select filename, " ~ total ~ " as size from " ~ reader ~ "replace') group by filename) as r "
        ~ "inner join (select filename, " ~ total ~ " as size from " ~ reader ~ "ignore') group by filename) as i "
        ~ "on r.filename = i.filename where r.size <> i.size)") %}
{% endmacro %}


{#- SQL: (file, problem) for `files` (a list expression), problem null when the file is whole:
    a Parquet file opens and closes with PAR1, a text file ends with a line break. -#}
{% macro _raw_file_problems(files) %}
    {{ return(
        "select filename as file, case "
        ~ "when lower(filename) like '%.parquet' and (size < 12 or content[1:4] != 'PAR1'::blob) "
        ~ "then 'not a Parquet file (no PAR1 marker at its start)' "
        ~ "when lower(filename) like '%.parquet' and content[-4:] != 'PAR1'::blob "
        ~ "then 'truncated (no PAR1 marker at its end)' "
        ~ "when lower(filename) not like '%.parquet' and size > 0 and content[-1:] != '\\x0A'::blob "
        ~ "then 'truncated (its last line has no line break)' end as problem "
        ~ "from read_blob(" ~ files ~ ")") }}
{% endmacro %}


{#- SQL: the table's declared `columns` (name, data_type), cast to their declared types, from
    its files (or no rows when it has none), or with columns none every column the files hold;
    and _invalid_encoding: whether the row held a string that is not valid UTF-8 (its invalid
    bytes then read as '?', and staging quarantines the row). -#}
{% macro _raw_files_select(columns, by_format) %}
    {% if not by_format %}
        {% set nulls = [] %}
        {% for column in columns %}
            {% do nulls.append("cast(null as " ~ column.data_type ~ ") as " ~ adapter.quote(column.name)) %}
        {% endfor %}
        {{ return("select " ~ nulls | join(', ') ~ ", false as _invalid_encoding where false") }}
    {% endif %}
    {% set parts = [] %}
    {% for format, files in by_format.items() | sort %}
        {% set invalid_utf8 = format.endswith('_invalid_utf8') %}
        {% if invalid_utf8 and not format.startswith('parquet') %}
            {% do parts.append(audience._raw_text_rows_with_invalid_utf8(
                files, columns, var('raw_schema', env_var('AUDIENCE_RAW_SCHEMA', 'raw')))) %}
        {% else %}
            {% set reader = audience._raw_reader(format.replace('_invalid_utf8', ''), files, columns, invalid_utf8) %}
            {% set described = run_query("select column_name, column_type from (describe select * from " ~ reader ~ ")") %}
            {% set present = described.columns[0].values() %}
            {% set projected = [] %}
            {% set differs = [] %}
            {% if columns is none %}
                {% for row in described.rows if row[0] not in ('filename', 'file_row_number') %}
                    {% do projected.append("r." ~ adapter.quote(row[0])) %}
                    {% if row[1] == 'VARCHAR' %}
                        {% do differs.append("r." ~ adapter.quote(row[0]) ~ " is distinct from i." ~ adapter.quote(row[0])) %}
                    {% endif %}
                {% endfor %}
            {% endif %}
            {% for column in columns or [] %}
                {% set name = adapter.quote(column.name) %}
                {% if column.name in present %}
                    {% do projected.append("try_cast(r." ~ name ~ " as " ~ column.data_type ~ ") as " ~ name) %}
                    {% do differs.append("r." ~ name ~ " is distinct from i." ~ name) %}
                {% else %}
                    {% do projected.append("cast(null as " ~ column.data_type ~ ") as " ~ name) %}
                {% endif %}
            {% endfor %}
            {% if invalid_utf8 and differs %}
                {#- each row read twice, invalid bytes replaced and dropped: a row whose strings differ held some -#}
                {% do parts.append("select " ~ projected | join(', ') ~ ", " ~ differs | join(' or ') ~ " as _invalid_encoding "
                    ~ "from " ~ reader ~ " as r inner join " ~ audience._raw_reader('parquet', files, columns, 'ignore')
                    ~ " as i on r.filename = i.filename and r.file_row_number = i.file_row_number") %}
            {% else %}
                {% do parts.append("select " ~ projected | join(', ') ~ ", false as _invalid_encoding from " ~ reader ~ " as r") %}
            {% endif %}
        {% endif %}
    {% endfor %}
    {{ return(parts | join(' union all by name ')) }}
{% endmacro %}


{#- SQL: a DuckDB reader over `files` (a list) of one format; text formats read as text. With
    `invalid_utf8` (true: 'replace', or 'ignore') Parquet strings' invalid bytes are replaced with
    '?' or dropped, and each row says its file and position. -#}
{% macro _raw_reader(format, files, columns, invalid_utf8=false) %}
    {% set quoted = [] %}
    {% for file in files %}{% do quoted.append("'" ~ file | replace("'", "''") ~ "'") %}{% endfor %}
    {% set listed = '[' ~ quoted | join(', ') ~ ']' %}
    {% if format == 'parquet' and invalid_utf8 %}
        {{ return("read_parquet(" ~ listed ~ ", union_by_name = true, hive_partitioning = true, filename = true, "
            ~ "file_row_number = true, utf8_validation = '" ~ ('ignore' if invalid_utf8 == 'ignore' else 'replace') ~ "')") }}
    {% elif format == 'parquet' %}
        {{ return("read_parquet(" ~ listed ~ ", union_by_name = true, hive_partitioning = true)") }}
    {% elif format == 'csv' %}
        {{ return("read_csv(" ~ listed ~ ", header = true, all_varchar = true, union_by_name = true, "
            ~ "hive_partitioning = true)") }}
    {% endif %}
    {% if columns is none %}
        {{ return("read_json(" ~ listed ~ ", format = 'newline_delimited', union_by_name = true, "
            ~ "hive_partitioning = true)") }}
    {% endif %}
    {% set types = [] %}
    {% for column in columns %}{% do types.append("'" ~ column.name ~ "': 'varchar'") %}{% endfor %}
    {{ return("read_json(" ~ listed ~ ", format = 'newline_delimited', columns = {" ~ types | join(', ')
        ~ "}, hive_partitioning = true)") }}
{% endmacro %}
