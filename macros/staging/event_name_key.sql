{#-
    The key an event name is matched on against the tracking plan: lowercase, with each run of
    spaces, underscores and hyphens as one space, so `product viewed`, `PRODUCT_VIEWED` and
    `Product  Viewed` all match `Product Viewed`.
-#}
{% macro event_name_key(expression) -%}
    lower({{ audience.regex_replace_all(expression, "'[ _-]+'", "' '") }})
{%- endmacro %}
