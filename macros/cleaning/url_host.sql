{#- The lowercased host of a URL, without scheme, port, path, query or fragment; null when empty. -#}
{% macro url_host(expression) -%}
    {%- set parsed = namespace(host="case when " ~ expression ~ " like '%://%' then "
        ~ dbt.split_part(expression, "'://'", 2) ~ " else " ~ expression ~ " end") -%}
    {%- for delimiter in ["'/'", "'?'", "'#'", "':'"] -%}
        {%- set parsed.host = dbt.split_part(parsed.host, delimiter, 1) -%}
    {%- endfor -%}
    nullif(lower({{ parsed.host }}), '')
{%- endmacro %}
