{#-
    SQL timestamp literal (UTC) before which data is past its retention window: var
    retention_now (ISO timestamp; empty: the run's start, so every model and test of one run
    agrees) minus `days` days. none when `days` is none (that data is kept forever).
-#}
{% macro retention_cutoff(days) %}
    {%- if days is none or days == '' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set now = var('retention_now') -%}
    {%- set now = modules.datetime.datetime.fromisoformat(now | string) if now else run_started_at -%}
    {%- set cutoff = now.replace(tzinfo=none) - modules.datetime.timedelta(days=days | int) -%}
    {{ return("cast('" ~ cutoff.strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{% endmacro %}
