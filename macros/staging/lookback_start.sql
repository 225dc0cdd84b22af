{#-
    SQL expression: the receipt time an incremental run reads again from, the newest received_at
    already loaded (newest_received_at, an aggregate such as max(loaded.received_at)) minus var
    event_lookback_hours. Null when nothing is loaded. One window for every incremental event
    model, so a model downstream never looks back less far than the one it reads.
-#}
{% macro lookback_start(newest_received_at) %}
    {{- dbt.dateadd('hour', -1 * var('event_lookback_hours'), newest_received_at) -}}
{% endmacro %}
