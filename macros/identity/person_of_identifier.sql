{#-
    A select of every row of `relation` (a CTE or relation) with the person of its identifiers:
    `person_id`, the person of the first of `identifier_types` (in that order) whose identifier
    `identities` (int_identifiers_resolved) knows, read from the column named as the type, and
    `person_matched_on`, that type; both null when none is known.
-#}
{% macro person_of_identifier(relation, identifier_types, identities='identities') %}
    {%- set person_ids = [] %}
    {%- for identifier_type in identifier_types %}
        {%- do person_ids.append(identifier_type ~ '_identities.person_id') %}
    {%- endfor -%}
    select
        {{ relation }}.*,
        coalesce({{ person_ids | join(', ') }}) as person_id,
        case
            {%- for identifier_type in identifier_types %}
            when {{ identifier_type }}_identities.person_id is not null then '{{ identifier_type }}'
            {%- endfor %}
        end as person_matched_on
    from {{ relation }}
    {%- for identifier_type in identifier_types %}
    left join {{ identities }} as {{ identifier_type }}_identities
        on {{ identifier_type }}_identities.identifier_key
            = {{ audience.identifier_key("'" ~ identifier_type ~ "'", relation ~ '.' ~ identifier_type) }}
    {%- endfor %}
{%- endmacro %}
