-- normalize_email and is_valid_email: trim and lowercase; validity after normalizing.
with

cases as (
    select * from (
        values
        ('  Jane.Doe@Example.COM ', 'jane.doe@example.com', true),
        ('o''neil+news@mail.co.uk', 'o''neil+news@mail.co.uk', true),
        ('jane.doe@', 'jane.doe@', false),
        ('jane@@example.com', 'jane@@example.com', false),
        ('jane doe@example.com', 'jane doe@example.com', false),
        ('jane.example.com', 'jane.example.com', false),
        ('jane@example.c', 'jane@example.c', false),
        ('', null, false)
    ) as t (raw_email, expected_email, expected_valid)
),

actual as (
    select
        *,
        {{ audience.normalize_email('raw_email') }} as normalized,
        {{ audience.is_valid_email(audience.normalize_email('raw_email')) }} as is_valid
    from cases
)

select * from actual
where normalized is distinct from expected_email or is_valid != expected_valid
