-- json_object keeps numbers and booleans typed, keeps nulls and escapes quotes in text.
with

cases as (
    select
        {{ audience.json_object({'c1_age': 'age', 'c2_is_mobile': 'is_mobile', 'c3_city': 'city', 'c4_missing': 'missing'}) }}
            as built_json
    from (
        values (31, true, 'New "York"', cast(null as varchar))
    ) as t (age, is_mobile, city, missing)
),

actual as (
    select
        {{ audience.json_extract_text('built_json', 'c1_age') }} as age_text,
        {{ audience.json_extract_text('built_json', 'c3_city') }} as city_text,
        {{ audience.json_extract_text('built_json', 'c4_missing') }} as missing_text,
        built_json
    from cases
)

select * from actual
where
    age_text != '31'
    or city_text != 'New "York"'
    or missing_text is not null
    or built_json not like '%"c2_is_mobile":true%'
    or built_json not like '%"c4_missing":null%'
