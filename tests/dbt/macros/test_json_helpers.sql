-- is_json_object and json_extract_text: broken JSON, scalars and arrays are not objects, and never fail the query.
with

cases as (
    select * from (
        values
        ('{"product_id": "p1", "price": 19.5}', true, 'p1'),
        ('{"product_id": "p1",', false, null),
        ('{"product_id": "p1"}}', false, null),
        ('{"product_id": "p1"} {}', false, null),
        ('{''product_id'': 1}', false, null),
        ('[1, 2]', false, null),
        ('"text"', false, null),
        ('{}', true, null)
    ) as t (raw_json, expected_is_object, expected_product_id)
),

actual as (
    select
        *,
        {{ audience.is_json_object('raw_json') }} as is_object,
        {{ audience.json_extract_text('case when ' ~ audience.is_json_object('raw_json') ~ ' then raw_json end', 'product_id') }}
            as product_id
    from cases
)

select * from actual
where is_object != expected_is_object or product_id is distinct from expected_product_id
