{{ config(
    meta={
        'erasure': {'identifiers': [['identifier_type', 'identifier_value'], ['linked_type', 'linked_value']]},
    },
) }}

-- Every pair of identifiers seen together, from each place two identifiers meet: the links of
-- macro identity_sources, the list of identifier columns int_identifiers_unioned reads too.
{%- set sources = audience.identity_sources() %}
{%- set links = [] %}
{%- for source in sources %}
    {%- for link in source.links %}
        {#- a list in first place: the first of its columns that is not null is linked #}
        {%- set identifier_columns = [link[0]] if link[0] is string else link[0] %}
        {%- for identifier_column in identifier_columns %}
            {%- do links.append({
                'source': source,
                'identifier_column': identifier_column,
                'linked_column': link[1],
                'null_columns': identifier_columns[:loop.index0],
            }) %}
        {%- endfor %}
    {%- endfor %}
{%- endfor %}

with

{% for source in sources %}
    {{ source.name }} as (
        select * from {{ ref(source.model) }}
    ),

{% endfor %}
all_links as (
    {%- for link in links %}
        select
            '{{ link.source.identifiers[link.identifier_column] }}' as identifier_type,
            {{ link.identifier_column }} as identifier_value,
            '{{ link.source.identifiers[link.linked_column] }}' as linked_type,
            {{ link.linked_column }} as linked_value,
            {{ link.source.get('linked_at', link.source.seen_at) }} as linked_at,
            '{{ link.source.name }}' as link_source
        from {{ link.source.name }}
        where
            {{ link.identifier_column }} is not null
            and {{ link.linked_column }} is not null
            {%- for null_column in link.null_columns %}
                and {{ null_column }} is null
            {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        identifier_type,
        identifier_value,
        linked_type,
        linked_value,
        min(linked_at) as first_linked_at,
        max(linked_at) as last_linked_at,
        count(*) as times_linked
    from all_links
    group by identifier_type, identifier_value, linked_type, linked_value
)

select * from final
