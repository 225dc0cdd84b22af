-- hash_to_unit_interval matches the md5 prefix computed outside the warehouse (Python's hashlib),
-- including a prefix above 2^31 that a signed cast would turn negative.
with

cases as (
    select * from (
        values
        ('a', 0.0498269631061703),
        ('loyal_customers:p_1', 0.15237152320332825),
        ('x28', 0.9989363830536604),
        ('', 0.8285759000573307)
    ) as t (hashed_text, expected_value)
),

actual as (
    select
        *,
        {{ audience.hash_to_unit_interval('hashed_text') }} as hashed_value
    from cases
)

select * from actual
where abs(hashed_value - expected_value) > 1e-12 or hashed_value < 0 or hashed_value >= 1
