{#-
    SQL for the salted SHA-256 (lowercase hex) of a text expression: the pseudonymous key the
    analytics marts and the erasure list use where a join needs an identifier. The salt is var
    pii_hash_salt (env AUDIENCE_PII_SALT), never code: without it the hash of a known email could
    be recomputed by anyone.
-#}
{% macro pii_hash(expression) %}
    {{ return(adapter.dispatch('pii_hash', 'audience')(expression, audience.pii_hash_salt())) }}
{% endmacro %}

{% macro default__pii_hash(expression, salt) -%}
    sha2('{{ salt }}' || cast({{ expression }} as {{ dbt.type_string() }}), 256)
{%- endmacro %}

{% macro duckdb__pii_hash(expression, salt) -%}
    sha256('{{ salt }}' || cast({{ expression }} as {{ dbt.type_string() }}))
{%- endmacro %}

{% macro bigquery__pii_hash(expression, salt) -%}
    to_hex(sha256('{{ salt }}' || cast({{ expression }} as string)))
{%- endmacro %}
