{#- The run-time path of connected_components: one statement per round until nothing changes. -#}
{% macro _connected_components_iterated(edges, max_rounds) %}
    {% set labels = api.Relation.create(database=this.database, schema=this.schema, identifier=this.identifier ~ '__cc_labels', type='table') %}
    {% set next_labels = api.Relation.create(database=this.database, schema=this.schema, identifier=this.identifier ~ '__cc_next', type='table') %}
    {% do adapter.create_schema(labels) %}
    {% do run_query(audience.create_table_as_select(labels, audience._connected_components_initial(edges))) %}
    {% set state = namespace(changed=1, rounds=0) %}
    {% for round in range(max_rounds) if state.changed > 0 %}
        {% do run_query(audience.create_table_as_select(next_labels, audience._connected_components_round(labels, edges))) %}
        {% set state.changed = run_query(
            "select count(*) from " ~ next_labels ~ " as next_labels inner join " ~ labels
            ~ " as labels on next_labels.node_id = labels.node_id where next_labels.label != labels.label"
        ).columns[0].values()[0] %}
        {% do run_query(audience.create_table_as_select(labels, "select * from " ~ next_labels)) %}
        {% set state.rounds = round + 1 %}
    {% endfor %}
    {% do adapter.drop_relation(next_labels) %}
    {% if state.changed > 0 %}
        {% do adapter.drop_relation(labels) %}
        {{ exceptions.raise_compiler_error(
            "Identity stitching did not converge in " ~ max_rounds ~ " rounds (var identity_max_rounds in "
            ~ "dbt_project.yml); raise it, or look for a very long chain of linked identifiers.") }}
    {% endif %}
    {{ log("connected_components: converged in " ~ state.rounds ~ " rounds", info=true) }}
    {{ return("select node_id, label as component_id from " ~ labels) }}
{% endmacro %}

{#- The compile-time path: the same round unrolled in one statement (unit tests, compile, lint). -#}
{% macro _connected_components_unrolled(edges, rounds) -%}
    with

    labels_0 as (
        {{ audience._connected_components_initial(edges) }}
    ),
    {% for round in range(1, rounds + 1) %}
    labels_{{ round }} as {{ audience.materialized_cte() }} (
        {{ audience._connected_components_round('labels_' ~ (round - 1), edges) }}
    ),
    {% endfor %}
    final as (
        select
            node_id,
            label as component_id
        from labels_{{ rounds }}
    )

    select * from final
{%- endmacro %}
