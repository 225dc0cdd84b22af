{#-
    Every segment of the project, from the dbt graph: a list of dicts, one per model with
    config.meta.segment, sorted by name, with its metadata and the model's node id. Empty at parse
    time (the graph is filled only when models run).
-#}
{% macro segment_definitions() %}
    {%- set segments = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() | sort(attribute='name')
                if node.resource_type == 'model' and node.config.get('meta', {}).get('segment') is not none -%}
            {%- set definition = node.config.meta.segment -%}
            {%- do segments.append({
                'segment_name': node.name[8:],
                'model_name': node.name,
                'node_id': node.unique_id,
                'label': definition.get('label'),
                'description': node.description,
                'owner': definition.get('owner'),
                'family': node.fqn[-2],
                'priority_group': definition.get('priority_group'),
                'priority': definition.get('priority'),
                'min_size': definition.get('min_size', 0),
                'holdout_share': definition.get('holdout_share', 0),
                'destinations': definition.get('destinations', []),
                'tags': definition.get('tags', []),
                'definition_path': (node.patch_path or node.original_file_path).split('://')[-1],
                'rule': definition.get('rule'),
            }) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(segments) }}
{% endmacro %}
