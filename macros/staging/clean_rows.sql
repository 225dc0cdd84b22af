{#-
    Body of a `stg_<source>__<table>` model: the clean rows of its base model, with the columns
    the model's YAML documents, in their order. The YAML is the one list of a staging model's
    columns; a column it names that the base model lacks fails the build.
-#}
{% macro clean_rows(base_relation) -%}
{%- set columns = model.columns.values() | map(attribute='name') | list if execute else [] -%}
{%- if execute and not columns -%}
    {{ exceptions.raise_compiler_error(model.original_file_path ~ ": no columns in its YAML: expected the columns of " ~ base_relation ~ " that staging keeps") }}
{%- endif -%}
with

base as (
    select * from {{ base_relation }}
),

final as (
    select
        {%- for column in columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from base
    where row_disposition = 'clean'
)

select * from final
{%- endmacro %}
