{#-
    SQL aggregate: the receipt time an incremental run reads again from, the newest `received_at`
    (a column of the loaded rows, e.g. loaded.received_at) up to the run's start, minus var
    event_lookback_hours. Receipt times after the run's start (a loader's clock ahead) are left
    out: counting them would hold every later row back until the clock caught up. Null when
    nothing is loaded. One window for every incremental event model, so a model downstream never
    looks back less far than the one it reads.
-#}
{% macro lookback_start(received_at) %}
    {%- set run_start = "cast('" ~ run_started_at.strftime('%Y-%m-%d %H:%M:%S') ~ "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set newest = 'max(case when ' ~ received_at ~ ' <= ' ~ run_start ~ ' then ' ~ received_at ~ ' end)' -%}
    {{- dbt.dateadd('hour', -1 * var('event_lookback_hours'), newest) -}}
{% endmacro %}
