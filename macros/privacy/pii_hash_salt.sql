{#-
    The salt of pii_hash: var pii_hash_salt, which dbt_project.yml reads from env AUDIENCE_PII_SALT.
    Raises a compiler error naming the setting when it is missing or too short to be a secret, or
    holds a quote. Parsing does not need it. Unset on the demo's generated data (is_demo_data), it
    is the salt `make demo` uses, so dbt runs by hand after the demo; never on other data.
-#}
{% macro pii_hash_salt() %}
    {%- set salt = var('pii_hash_salt', '') | string -%}
    {%- if not salt and execute and audience.is_demo_data() -%}
        {%- set salt = 'generated-data-only-salt' -%}
    {%- endif -%}
    {%- if execute and (salt | length < 16 or "'" in salt or "\\" in salt) -%}
        {{ exceptions.raise_compiler_error(
            "dbt_project.yml var pii_hash_salt (env AUDIENCE_PII_SALT): expected a secret of at least "
            ~ "16 characters without quotes or backslashes, got "
            ~ ("nothing" if not salt else salt | length ~ " characters")
            ~ ". Set AUDIENCE_PII_SALT to a random value and keep it: changing it changes every "
            ~ "pseudonymous hash and the erasure list's.") }}
    {%- endif -%}
    {{ return(salt) }}
{% endmacro %}
