-- google_normalized_email removes Gmail dots and +suffixes only for Gmail domains; sha256_hex
-- gives the lowercase hex digest Python's hashlib gives.
with

cases as (
    select * from (
        values
        ('j.o.hn+ads@gmail.com', 'john@gmail.com'),
        ('x.y@googlemail.com', 'xy@googlemail.com'),
        ('first.last+tag@example.com', 'first.last+tag@example.com'),
        ('abc', 'abc')
    ) as t (email, expected_email)
),

actual as (
    select
        *,
        {{ audience.google_normalized_email('email') }} as normalized_email,
        {{ audience.sha256_hex("'abc'") }} as digest
    from cases
)

select * from actual
where
    normalized_email != expected_email
    or digest != 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
