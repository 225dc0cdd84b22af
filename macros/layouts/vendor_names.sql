{#-
    The names a Segment or RudderStack warehouse destination may give the table or column of
    `name`, most likely first: snake_case(name) (Segment), with an underscore in front
    (RudderStack, for a name starting with a digit, a reserved word, or an event named like one of
    its own tables, which are never taken for the event's), and with letters and numbers apart
    (`omega v2` -> `omega_v_2`, RudderStack's underscoreDivideNumbers).
-#}
{% macro vendor_names(name) %}
    {%- set own_tables = ['tracks', 'pages', 'identifies', 'users', 'screens', 'aliases', 'groups', 'accounts'] -%}
    {%- set snake = audience.snake_case(name) -%}
    {%- set divided = modules.re.sub('([a-z])([0-9])', '\\1_\\2', snake) -%}
    {%- set names = [] -%}
    {%- for candidate in [snake, '_' ~ snake, divided, '_' ~ divided] -%}
        {%- if candidate not in names and candidate not in own_tables -%}
            {%- do names.append(candidate) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
