{#-
    The CTE `source` of a base_ model: the rows of a raw table the warehouse may keep, i.e. not
    an erased person's and not past retention (macro is_excluded_raw_row). Left-out rows are
    counted by the model's reconciles_with_source test; carried-out deletion requests are left
    out the same way (the erasure list keeps their request_id).
-#}
{% macro raw_rows_kept(source_name, table_name) -%}
source as (
    select * from {{ audience.raw_source(source_name, table_name) }}
    where not {{ audience.is_excluded_raw_row(source_name, table_name) }}
)
{%- endmacro %}
