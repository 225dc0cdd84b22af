{#-
    Where raw files are read from: var raw_data_path, else env AUDIENCE_RAW_PATH, else the demo's
    generated data (data/demo/raw, written by `make demo`), as DuckDB's glob names files: no
    leading `./`, no trailing or doubled `/`.
-#}
{% macro raw_data_path() %}
    {{ return(modules.re.sub('/+', '/', modules.re.sub('^(\\./)+', '',
        var('raw_data_path', env_var('AUDIENCE_RAW_PATH', 'data/demo/raw')))).rstrip('/')) }}
{% endmacro %}
