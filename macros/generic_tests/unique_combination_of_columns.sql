{#-
    Generic test: no two rows share the values of `combination_of_columns` (nulls compare
    equal, as in `group by`). Fails with one row per repeated combination and its row count.
    Grouping the columns is cheaper than a unique test on a concatenated key, which casts every
    value to text and misses keys with a null part.
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
