{% macro hugeint_columns_narrowed() %}
    {#-
        Pre-hook of an incremental model that keeps history: the statements narrowing the
        128-bit integer columns of its existing table to bigint, which BI drivers read. Release
        0.2.0 and earlier built counts as DuckDB's HUGEINT (the type of a sum of integers); rows
        inserted since keep the table's types, so the table is altered once, in place. Nothing
        on other adapters, or when no column needs it.
    -#}
    {{ return(adapter.dispatch('hugeint_columns_narrowed', 'audience')()) }}
{% endmacro %}

{% macro default__hugeint_columns_narrowed() %}
    {{ return('') }}
{% endmacro %}

{% macro duckdb__hugeint_columns_narrowed() %}
    {%- if not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
    {%- if existing is none or not existing.is_table -%}
        {{ return('') }}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- for column in adapter.get_columns_in_relation(existing) if column.dtype | upper == 'HUGEINT' -%}
        {%- do statements.append('alter table ' ~ existing ~ ' alter column ' ~ adapter.quote(column.name)
            ~ ' set data type ' ~ dbt.type_bigint()) -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{% endmacro %}
