{#-
    Generic test: every non-null value of the column lies within [min_value, max_value] (either
    bound optional; exclusive bounds with inclusive=false). Fails with one row per offending value.

    Vendored, rewritten, from dbt-utils 1.4.1 (dbt-labs/dbt-utils,
    macros/generic_tests/accepted_range.sql) rather than installed: `dbt deps` fetches packages from
    dbt Hub or by git clone, which the project's machines and CI cannot reach (they reach package
    registries only; tried with a packages.yml naming dbt_utils, both fail), so a packages.yml would
    break every build.
    The models name it unqualified (`accepted_range`, not `dbt_utils.accepted_range`).
    Differs from dbt-utils: naming neither bound is a compiler error (dbt-utils then passes
    silently); failures return the offending value only, not the whole row; no adapter.dispatch.
    Nulls pass in both.
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

{%- if min_value is none and max_value is none -%}
    {{ exceptions.raise_compiler_error(
        "accepted_range on " ~ model ~ "." ~ column_name ~ " needs min_value, max_value or both"
    ) }}
{%- endif -%}
{%- set lower = '>=' if inclusive else '>' -%}
{%- set upper = '<=' if inclusive else '<' -%}

select {{ column_name }} as value
from {{ model }}
where
    {{ column_name }} is not null
    and not (
        true
        {%- if min_value is not none %} and {{ column_name }} {{ lower }} {{ min_value }}{% endif %}
        {%- if max_value is not none %} and {{ column_name }} {{ upper }} {{ max_value }}{% endif %}
    )

{% endtest %}
