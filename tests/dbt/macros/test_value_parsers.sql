-- parse_amount, parse_boolean, normalize_gender and to_utc_timestamp on the spellings exports contain.
with

cases as (
    select * from (
        values
        (' 12.50 ', 12.50, 'yes', true, 'F', 'female', '2026-10-05T10:00:00+02:00', '2026-10-05 08:00:00'),
        ('-1', null, 'N', false, 'man', 'male', '2026-10-05T10:00:00Z', '2026-10-05 10:00:00'),
        ('twelve', null, '1', true, 'Non-Binary', 'non_binary', '2026-10-05 10:00:00-05:00', '2026-10-05 15:00:00'),
        ('12,50', null, 'maybe', null, 'n/a', 'undisclosed', 'not a date', null),
        ('', null, '', null, '', null, '', null)
    ) as t (raw_amount, expected_amount, raw_flag, expected_flag, raw_gender, expected_gender, raw_time, expected_time)
),

actual as (
    select
        *,
        {{ audience.parse_amount('raw_amount') }} as amount,
        {{ audience.parse_boolean('raw_flag') }} as flag,
        {{ audience.normalize_gender('raw_gender') }} as gender,
        {{ audience.to_utc_timestamp(audience.clean_text('raw_time')) }} as utc_time
    from cases
)

select * from actual
where amount is distinct from expected_amount
    or flag is distinct from expected_flag
    or gender is distinct from expected_gender
    or utc_time is distinct from cast(expected_time as timestamp)
