{#-
    Aggregate: a bigint fingerprint of a group's rows of `relation_alias` (an alias of the FROM
    clause; every column counts). The same multiset of rows gives the same fingerprint in any
    order; an added, removed or changed row gives another, but for a 2^-63 chance, and so do values
    swapped between rows. The row count is part of it, so two identical rows do not cancel out. It
    is the engine's own hash, which a new engine version may change: a stored fingerprint that
    differs means "maybe changed", never more, so such an upgrade costs one slower run and gives no
    wrong result.
-#}
{% macro fingerprint_agg(relation_alias) %}
    {{ return(adapter.dispatch('fingerprint_agg', 'audience')(relation_alias)) }}
{% endmacro %}

{% macro default__fingerprint_agg(relation_alias) %}
    {{ exceptions.raise_compiler_error(
        "fingerprint_agg: no implementation for the " ~ target.type ~ " adapter yet") }}
{% endmacro %}

{#- DuckDB combines column hashes so that a bit_xor over rows would only see each column's values,
    not which row holds them (swapping two rows' timestamps would leave it unchanged): each row's
    hash is hashed again, which mixes it. The unsigned result loses a bit to become a bigint, which
    BI drivers read. -#}
{% macro duckdb__fingerprint_agg(relation_alias) -%}
    cast(hash(count(*), bit_xor(hash(hash({{ relation_alias }})))) >> 1 as bigint)
{%- endmacro %}

{% macro spark__fingerprint_agg(relation_alias) -%}
    xxhash64(count(*), bit_xor(xxhash64({{ relation_alias }}.*)))
{%- endmacro %}

{#- Snowflake and BigQuery: parsed in CI (`make engines-parse`), not run there. Snowflake's
    hash_agg is already an order-free hash of whole rows; BigQuery hashes each row's JSON text. -#}
{% macro snowflake__fingerprint_agg(relation_alias) -%}
    hash(count(*), hash_agg({{ relation_alias }}.*))
{%- endmacro %}

{% macro bigquery__fingerprint_agg(relation_alias) -%}
    farm_fingerprint(format('%d:%d', count(*), bit_xor(farm_fingerprint(to_json_string({{ relation_alias }})))))
{%- endmacro %}
