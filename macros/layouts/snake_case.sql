{#-
    A name in snake case, as Segment's warehouse destination names event tables and property
    columns (the go-snakecase rule): a break before an upper-case letter that follows a lower-case
    letter or digit, lower case, every run of other characters than ASCII letters and digits one
    underscore, none at either end (`Product Viewed` -> `product_viewed`, `userID` -> `user_id`).
    RudderStack's variants of a name are listed by macro vendor_names.
-#}
{% macro snake_case(name) %}
    {%- set re = modules.re -%}
    {%- set spaced = re.sub('([a-z0-9])([A-Z])', '\\1_\\2', name | string) -%}
    {{ return(re.sub('[^a-z0-9]+', '_', spaced.lower()).strip('_')) }}
{% endmacro %}
