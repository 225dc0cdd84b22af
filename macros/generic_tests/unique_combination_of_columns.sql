{#-
    Generic test: no two rows share the values of `combination_of_columns` (nulls compare
    equal, as in `group by`). Fails with one row per repeated combination and its row count.
    Grouping the columns is cheaper than a unique test on a concatenated key, which casts every
    value to text and misses keys with a null part.

    Vendored, rewritten, from dbt-utils 1.4.1 (dbt-labs/dbt-utils,
    macros/generic_tests/unique_combination_of_columns.sql) rather than installed: `dbt deps`
    fetches packages from dbt Hub or by git clone, which the project's machines and CI cannot reach
    (they reach package registries only; tried with a packages.yml naming dbt_utils, both fail), so
    a packages.yml would break every build.
    The models name it unqualified (`unique_combination_of_columns`, not
    `dbt_utils.unique_combination_of_columns`).
    Differs from dbt-utils: each repeated combination is returned with its row count
    (rows_with_combination); no `quote_columns` argument; no adapter.dispatch. The same group by, so
    nulls compare equal in both.
-#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{%- set columns = combination_of_columns | join(', ') %}

select
    {{ columns }},
    count(*) as rows_with_combination
from {{ model }}
group by {{ columns }}
having count(*) > 1

{% endtest %}
