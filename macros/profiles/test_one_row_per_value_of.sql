{#-
    Generic test: the model has exactly one row per distinct non-null value of `field` in `to`.
    Fails with one row per offending value: `missing` (in `to`, not in the model), `unexpected`
    (in the model, not in `to`, or null) and `duplicated` (more than one row in the model).
-#}
{% test one_row_per_value_of(model, column_name, to, field) %}

with

model_values as (
    select
        {{ column_name }} as value,
        count(*) as model_rows
    from {{ model }}
    group by {{ column_name }}
),

expected_values as (
    select distinct {{ field }} as value
    from {{ to }}
    where {{ field }} is not null
),

checked as (
    select
        coalesce(model_values.value, expected_values.value) as value,
        model_values.model_rows,
        case
            when model_values.value is null and expected_values.value is not null then 'missing'
            when expected_values.value is null then 'unexpected'
            when model_values.model_rows > 1 then 'duplicated'
        end as problem
    from model_values
    full outer join expected_values on model_values.value = expected_values.value
)

select * from checked
where problem is not null

{% endtest %}
