{#-
    The segment definition of a segment model (config.meta.segment), checked against
    segment_definition_schema, and the context the compiler needs to report errors and resolve names:
    the YAML file, the segment name, the columns of each input (as documented in their YAML, with
    their data types), the segments the model depends on (from segment_dependencies, written by
    `audience segment-deps`, or a hand-written `-- depends_on` line), and the schema.
-#}
{% macro _segment_definition_checked(model) %}
    {%- set segment_name = audience._segment_name_of(model) -%}
    {%- set yaml_file = (model.patch_path or model.original_file_path).split('://')[-1] -%}
    {%- set context = {'file': yaml_file, 'segment': segment_name} -%}
    {%- set definition = model.config.get('meta', {}).get('segment') -%}
    {%- if definition is none -%}
        {{ audience._segment_error(context, 'segment',
            'expected a definition under config.meta.segment of model ' ~ model.name ~ ' in its YAML') }}
    {%- endif -%}
    {%- set schema = audience.segment_definition_schema() -%}
    {%- set error = audience.validate_against_schema(definition, schema, schema, 'segment') -%}
    {%- if error -%}
        {{ exceptions.raise_compiler_error(yaml_file ~ ": segment '" ~ segment_name ~ "': " ~ error) }}
    {%- endif -%}
    {%- if 'priority_group' in definition and 'priority' not in definition -%}
        {{ audience._segment_error(context, 'segment.priority',
            'expected an integer >= 1 since priority_group is set') }}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for input_name in ('users', 'events', 'orders') -%}
        {%- do columns.update({input_name: audience._segment_column_types(audience._segment_input_model(input_name))}) -%}
    {%- endfor -%}
    {%- do context.update({'columns': columns, 'depends_on': model.depends_on.nodes,
        'sql_file': model.original_file_path, 'schema': schema}) -%}
    {{ return({'definition': definition, 'context': context}) }}
{% endmacro %}

{#-
    column name -> data type of the columns documented in the YAML of model `model_name`: the
    declared data_type, else (for a column that declares none) the type in the warehouse.
-#}
{% macro _segment_column_types(model_name) %}
    {%- set types = {} -%}
    {%- for name, column in graph.nodes['model.audience.' ~ model_name].columns.items() -%}
        {%- do types.update({name: column.get('data_type')}) -%}
    {%- endfor -%}
    {%- if none in types.values() | list -%}
        {%- for column in adapter.get_columns_in_relation(ref(model_name)) if types.get(column.name, '') is none -%}
            {%- do types.update({column.name: column.dtype}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(types) }}
{% endmacro %}

{% macro _segment_name_of(model) %}
    {%- if not model.name.startswith('segment_') -%}
        {{ exceptions.raise_compiler_error(model.original_file_path
            ~ ": segment_members() builds segment models only: expected the model name to start with 'segment_', got '"
            ~ model.name ~ "'") }}
    {%- endif -%}
    {{ return(model.name[8:]) }}
{% endmacro %}

{% macro _segment_error(context, path, message) %}
    {{ exceptions.raise_compiler_error(context['file'] ~ ": segment '" ~ context['segment'] ~ "': "
        ~ path ~ ": " ~ message) }}
{% endmacro %}
