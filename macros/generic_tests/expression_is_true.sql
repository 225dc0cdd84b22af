{#-
    Generic test: a SQL boolean expression over the model's columns holds on every row (rows where
    it is false or null fail). Fails with the offending rows.

    Vendored, rewritten, from dbt-utils 1.4.1 (dbt-labs/dbt-utils,
    macros/generic_tests/expression_is_true.sql) rather than installed: `dbt deps` fetches packages
    from dbt Hub or by git clone, which the project's machines and CI cannot reach (they reach
    package registries only; tried with a packages.yml naming dbt_utils, both fail), so a
    packages.yml would break every build.
    The models name it unqualified (`expression_is_true`, not `dbt_utils.expression_is_true`).
    Differs from dbt-utils, stricter: a row where the expression is null fails (dbt-utils' `where
    not(expression)` lets it pass); no column-level form (`column_name` prefixed to the expression);
    failing rows are returned whole even without store_failures; no adapter.dispatch.
-#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
