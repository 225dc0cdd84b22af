{#-
    SQL boolean, never null: true when any of `identifiers` ([SQL of the identifier type, SQL of
    its normalized value] pairs, e.g. ["'email'", "lower(email)"]) is on the erasure list with its
    purge done (purged_at set: staging and the reconciliation tests then agree on which rows are
    gone; an erasure not purged yet is removed downstream by int_identifiers_resolved and purged at
    the end of the run). `hashes`: instead of the list, SQL of a subquery of identifier_hash values
    (the purge passes the pending ones). Renders `false` when the list has nothing purged, so a
    warehouse without erasures pays no hashing.
-#}
{% macro is_erased(identifiers, hashes=none) %}
    {%- if hashes is none -%}
        {%- set erasures = audience.erasure_list() -%}
        {%- if not execute or erasures is string -%}
            {{ return('false') }}
        {%- endif -%}
        {%- set purged = run_query('select count(*) from ' ~ erasures ~ ' where purged_at is not null') -%}
        {%- if purged.rows[0][0] == 0 -%}
            {{ return('false') }}
        {%- endif -%}
        {%- set hashes = 'select erased.identifier_hash from ' ~ erasures ~ ' as erased where erased.purged_at is not null' -%}
    {%- endif -%}
    {%- set tests = [] -%}
    {%- for identifier_type, value in identifiers -%}
        {%- do tests.append(
            'coalesce(' ~ audience.pii_hash(audience.identifier_key(identifier_type, value)) ~ ' in (' ~ hashes ~ '), false)'
        ) -%}
    {%- endfor -%}
    {{ return('(' ~ tests | join(' or ') ~ ')') }}
{% endmacro %}
