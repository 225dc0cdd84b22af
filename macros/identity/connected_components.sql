{#-
    Connected components of the undirected graph in `edges` (columns node_id, linked_node_id,
    both directions, plus a self-loop for every node): returns a select of node_id and
    component_id, the smallest node_id of the node's component.

    Label propagation with hooking and pointer jumping: each round every tree of labels hooks
    onto the smallest label adjacent to any of its nodes, then every node jumps to its label's
    label. A chain of n nodes converges in about log2(n) rounds. During `dbt run`/`build` the
    rounds run one by one until no label changes, in work tables next to the model; more than
    `max_rounds` rounds fails the run. Elsewhere (compile, lint, unit tests) the same round SQL
    is unrolled `unrolled_rounds` times in one statement.
-#}
{% macro connected_components(edges, max_rounds, unrolled_rounds=10) %}
    {% if execute and flags.WHICH in ('run', 'build') and model.resource_type == 'model' %}
        {{ return(audience._connected_components_iterated(edges, max_rounds)) }}
    {% endif %}
    {{ return(audience._connected_components_unrolled(edges, unrolled_rounds)) }}
{% endmacro %}

{#- One round: hook each label tree onto its smallest adjacent label, then jump once. -#}
{% macro _connected_components_round(labels, edges) -%}
    with

    hooks as (
        select
            source_labels.label,
            min(target_labels.label) as hooked_label
        from {{ edges }} as edges
        inner join {{ labels }} as source_labels on edges.node_id = source_labels.node_id
        inner join {{ labels }} as target_labels on edges.linked_node_id = target_labels.node_id
        group by source_labels.label
    ),

    hooked as (
        select
            labels.node_id,
            least(labels.label, coalesce(hooks.hooked_label, labels.label)) as label
        from {{ labels }} as labels
        left join hooks on labels.label = hooks.label
    )

    select
        hooked.node_id,
        coalesce(parents.label, hooked.label) as label
    from hooked
    left join hooked as parents on hooked.label = parents.node_id
{%- endmacro %}

{% macro _connected_components_initial(edges) -%}
    select distinct
        node_id,
        node_id as label
    from {{ edges }}
{%- endmacro %}
