-- normal_cdf agrees with scipy.stats.norm.cdf to 1e-7 across both tails and at 0.
with

cases as (
    select * from (
        values
        (-3.5, 0.00023262907903552502),
        (-1.959963985, 0.02499999997311844),
        (-1.0, 0.15865525393145707),
        (0.0, 0.5),
        (0.5, 0.6914624612740131),
        (1.644853627, 0.950000000005005),
        (4.0, 0.9999683287581669)
    ) as t (z, expected_cdf)
),

actual as (
    select
        *,
        {{ audience.normal_cdf('z') }} as cdf
    from cases
)

select * from actual
where abs(cdf - expected_cdf) > 1e-7
