{#-
    Generic test: a SQL boolean expression over the model's columns holds on every row (rows where
    it is false or null fail). Fails with the offending rows.
-#}
{% test expression_is_true(model, expression) %}

select *
from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
