{#-
    Raw CSV and JSON-lines files (private to the raw files hook, macros/raw/register_raw_files.sql),
    each checked once, when first seen. A line that cannot be read makes the file rejected, as a
    truncated one. Lines with text that is not valid UTF-8 are kept, their bad bytes as '?', in
    <raw_schema>.raw_invalid_lines; the file's view reads its other rows as usual and these lines
    parsed, marked _invalid_encoding (staging then quarantines them as invalid_encoding).
-#}

{#- Reads each newly seen text file among `quoted` once: a line that cannot be read (too many
    fields, or in a JSON-lines file not a JSON object) rejects the file, naming the line; lines that
    do not decode as UTF-8 flag it and are kept. -#}
{% macro _raw_text_files_check(known, this_table, quoted, raw_schema) %}
    {% set lines = raw_schema ~ ".raw_invalid_lines" %}
    {% do run_query(
        "create table if not exists " ~ lines ~ " (file varchar, line_number bigint, line_text varchar, delimiter varchar)") %}
    {% set text = [] %}
    {% for file in quoted %}{% if not file.lower().endswith(".parquet'") %}{% do text.append(file) %}{% endif %}{% endfor %}
    {% set readable = run_query(
        "select file from " ~ known ~ " where " ~ this_table ~ " and status = 'read' and file in ("
        ~ (text | join(', ') if text else "null") ~ ") order by file").columns[0].values() %}
    {% for file in readable %}
        {% set literal = "'" ~ file | replace("'", "''") ~ "'" %}
        {% do run_query(
            "delete from " ~ lines ~ " where file = " ~ literal ~ "; "
            ~ "drop table if exists raw_rejects; drop table if exists raw_reject_scans; "
            ~ "create or replace temp table raw_text_scan as select * from "
            ~ audience._raw_text_reader(file, ignore_errors=true) ~ " as r") %}
        {% set problem = run_query(
            "select 'line ' || line || ': ' || lower(error_type) from raw_rejects "
            ~ "where error_type <> 'INVALID ENCODING' "
            ~ ("" if modules.re.search('\\.(csv|tsv)$', file.lower()) else
                "union all select 'line ' || (rowid + 1) || ': not a JSON object' from raw_text_scan "
                ~ "where trim(line) <> '' and not coalesce(json_valid(line) and starts_with(ltrim(line), '{'), false) ")
            ~ "order by 1 limit 1").columns[0].values() %}
        {% if problem %}
            {% do run_query(
                "update " ~ known ~ " set status = 'rejected', reason = '" ~ problem[0] | replace("'", "''")
                ~ "' where " ~ this_table ~ " and file = " ~ literal) %}
        {% else %}
            {% do run_query(
                "insert into " ~ lines ~ " select " ~ literal ~ ", r.line, r.csv_line, s.delimiter from raw_rejects as r "
                ~ "inner join raw_reject_scans as s on r.scan_id = s.scan_id and r.file_id = s.file_id "
                ~ "where s.file_path = " ~ literal ~ "; "
                ~ "update " ~ known ~ " set has_invalid_utf8 = exists (select 1 from " ~ lines ~ " where file = "
                ~ literal ~ ") where " ~ this_table ~ " and file = " ~ literal) %}
        {% endif %}
    {% endfor %}
{% endmacro %}


{#- SQL: a reader of one text file whose invalid lines are left out (and, with ignore_errors, recorded
    in the temp tables raw_rejects and raw_reject_scans); JSON lines are read as one text column, `line`. -#}
{% macro _raw_text_reader(file, ignore_errors=false) %}
    {% set literal = "'" ~ file | replace("'", "''") ~ "'" %}
    {% set rejects = ", ignore_errors = true, store_rejects = true, rejects_table = 'raw_rejects', "
        ~ "rejects_scan = 'raw_reject_scans'" if ignore_errors else ", ignore_errors = true" %}
    {% if modules.re.search('\\.(csv|tsv)$', file.lower()) %}
        {{ return("read_csv(" ~ literal ~ ", header = true, all_varchar = true" ~ rejects ~ ")") }}
    {% endif %}
    {{ return("read_csv(" ~ literal ~ ", header = false, columns = {'line': 'varchar'}, delim = chr(31), "
        ~ "quote = '', escape = ''" ~ rejects ~ ")") }}
{% endmacro %}


{#- SQL: the rows of text files with invalid UTF-8, `columns` (name, data_type; none: every column
    the files hold, as text) cast to their types, and _invalid_encoding. -#}
{% macro _raw_text_rows_with_invalid_utf8(files, columns, raw_schema) %}
    {% set parts = [] %}
    {% for file in files %}
        {% set literal = "'" ~ file | replace("'", "''") ~ "'" %}
        {% set reader = audience._raw_text_reader(file) %}
        {% set is_csv = modules.re.search('\\.(csv|tsv)$', file.lower()) %}
        {% if is_csv %}
            {% set header = run_query("select column_name from (describe select * from " ~ reader ~ ")").columns[0].values() %}
        {% else %}
            {% set header = run_query(
                "select distinct unnest(json_keys(line)) from " ~ reader ~ " where json_valid(line) order by 1").columns[0].values() %}
        {% endif %}
        {% set wanted = columns if columns is not none else header | map('string') | map('lower') | list %}
        {% set good = [] %}
        {% set bad = [] %}
        {% for column in wanted %}
            {% set name = column.name if columns is not none else column %}
            {% set data_type = column.data_type if columns is not none else 'varchar' %}
            {% if is_csv and name in header %}
                {% set position = header.index(name) + 1 %}
                {% do good.append("try_cast(r." ~ adapter.quote(name) ~ " as " ~ data_type ~ ") as " ~ adapter.quote(name)) %}
                {% do bad.append("try_cast(case when f[" ~ position ~ "] like '\"%\"' then replace(f[" ~ position ~ "][2:-2], '\"\"', '\"') "
                    ~ "else nullif(f[" ~ position ~ "], '') end as " ~ data_type ~ ") as " ~ adapter.quote(name)) %}
            {% elif not is_csv %}
                {% set value = "json_extract_string(line, '$.\"" ~ name ~ "\"')" %}
                {% do good.append("try_cast(" ~ value ~ " as " ~ data_type ~ ") as " ~ adapter.quote(name)) %}
                {% do bad.append("try_cast(" ~ value ~ " as " ~ data_type ~ ") as " ~ adapter.quote(name)) %}
            {% else %}
                {% do good.append("cast(null as " ~ data_type ~ ") as " ~ adapter.quote(name)) %}
                {% do bad.append("cast(null as " ~ data_type ~ ") as " ~ adapter.quote(name)) %}
            {% endif %}
        {% endfor %}
        {#- a CSV line split at the file's delimiter, quoted fields kept whole -#}
        {% set field = "'(?:^|' || regexp_escape(delimiter) || ')(\"(?:[^\"]|\"\")*\"|[^' || regexp_escape(delimiter) || ']*)'" %}
        {% set lines = "select line_text as line, regexp_extract_all(line_text, " ~ field ~ ", 1) as f from "
            ~ raw_schema ~ ".raw_invalid_lines where file = " ~ literal %}
        {% do parts.append("select " ~ good | join(', ') ~ ", false as _invalid_encoding from " ~ reader ~ " as r"
            ~ ("" if is_csv else " where trim(line) <> ''")) %}
        {% do parts.append("select " ~ bad | join(', ') ~ ", true as _invalid_encoding from (" ~ lines ~ ")") %}
    {% endfor %}
    {{ return(parts | join(' union all by name ')) }}
{% endmacro %}
