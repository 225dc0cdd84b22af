-- json_texts_parsed and json_parsed_text read what json_extract_text reads, key for key: texts,
-- numbers as written, nested values as JSON text, absent keys and JSON null as null.
{%- set keys = ['product_id', 'price', 'tags', 'missing', 'empty'] %}

with

cases as (
    select * from (
        values
        ('{"product_id": "p1", "price": 19.5, "tags": ["a", "b"], "empty": null}'),
        ('{"price": 3}'),
        ('{}')
    ) as t (raw_json)
),

parsed as (
    select
        raw_json,
        {{ audience.json_texts_parsed('raw_json', keys) }} as texts
    from cases
),

mismatches as (
    {%- for key in keys %}
        select
            raw_json,
            '{{ key }}' as json_key
        from parsed
        where {{ audience.json_parsed_text('texts', keys, key) }}
        is distinct from {{ audience.json_extract_text('raw_json', key) }}
        {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from mismatches
