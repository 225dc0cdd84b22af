{#-
    on-run-start hook, after register_raw_files: lists the relations of every schema sources read
    from, so dbt's relation cache holds them whole before models compile in parallel. dbt fills
    the cache for a schema on its first uncached lookup one relation at a time, and a thread
    looking up the same schema meanwhile sees it as cached but partly filled: a raw table that
    exists is then reported missing (macro layout_relation_columns).
-#}
{% macro cache_source_relations() %}
    {%- if execute -%}
        {%- set schemas = [] -%}
        {%- for source_node in graph.sources.values() | sort(attribute='unique_id') -%}
            {%- set key = (source_node.database, source_node.schema) -%}
            {%- if key not in schemas -%}
                {%- do schemas.append(key) -%}
                {%- do adapter.get_relation(source_node.database, source_node.schema, source_node.identifier) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
