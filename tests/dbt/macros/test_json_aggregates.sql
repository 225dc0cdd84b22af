-- json_array_agg keeps order and its condition, and gives [] when no row qualifies;
-- json_object_agg with json_value nests objects, not strings, in key order.
with

rows_by_group as (
    select *
    from (
        values
        (1, 'b', true, 'banner', 'Sale'),
        (1, 'a', true, 'hero', 'New "in"'),
        (1, 'c', false, 'footer', 'Hi'),
        (2, 'd', false, 'banner', 'Default')
    ) as t (group_id, segment_name, is_kept, placement, headline)
),

actual as (
    select
        group_id,
        cast({{ audience.json_array_agg('segment_name', 'segment_name', 'is_kept') }} as varchar) as kept_json,
        cast({{ audience.json_object_agg('placement', audience.json_value(audience.json_object({'headline': 'headline'}))) }} as varchar)
            as content_json
    from rows_by_group
    group by group_id
),

expected as (
    select *
    from (
        values
        (1, '["a","b"]', '{"banner":{"headline":"Sale"},"footer":{"headline":"Hi"},"hero":{"headline":"New \"in\""}}'),
        (2, '[]', '{"banner":{"headline":"Default"}}')
    ) as t (group_id, kept_json, content_json)
)

select *
from actual
full outer join expected on actual.group_id = expected.group_id
where
    actual.kept_json is distinct from expected.kept_json
    or actual.content_json is distinct from expected.content_json
