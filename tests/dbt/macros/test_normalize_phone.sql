-- normalize_phone: international, 00-prefixed and national formats to E.164; junk to null.
with

cases as (
    select * from (
        values
        ('+1 (415) 555-0132', '1', null, 10, '+14155550132'),
        ('415.555.0132', '1', null, 10, '+14155550132'),
        ('1-415-555-0132', '1', null, 10, '+14155550132'),
        ('07700 900123', '44', '0', 10, '+447700900123'),
        ('0044 7700 900123', '1', null, 10, '+447700900123'),
        ('+33 6 12 34 56 78', '1', null, 10, '+33612345678'),
        ('12345', '1', null, 10, null),
        ('555-CALL-NOW', '1', null, 10, null),
        ('000', '44', '0', 10, null),
        ('   ', '1', null, 10, null),
        ('+0 415 555 0132', '1', null, 10, null),
        ('7700 900123', null, null, null, null)
    ) as t (raw_phone, calling_code, trunk_prefix, national_number_length, expected)
),

actual as (
    select
        *,
        {{ audience.normalize_phone('raw_phone', 'calling_code', 'trunk_prefix', 'national_number_length') }}
            as normalized
    from cases
)

select * from actual
where normalized is distinct from expected
