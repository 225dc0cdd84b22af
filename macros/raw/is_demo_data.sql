{#-
    Whether this run reads the demo's generated data and nothing was configured: raw files
    (var raw_format / env AUDIENCE_RAW_FORMAT unset or `files`) from the default folder. Only
    then may settings fall back to the demo's, so `dbt build` works by hand after `make demo`.
-#}
{% macro is_demo_data() %}
    {{ return(var('raw_format', env_var('AUDIENCE_RAW_FORMAT', 'files')) in ('files', 'parquet')
        and audience.raw_data_path() == 'data/demo/raw') }}
{% endmacro %}
