-- fingerprint_agg gives the same fingerprint for the same rows in any order, and another one when
-- a row changes, when a row is added (even a copy of one) and when two rows swap a value.
with

original as (
    select 'u' as identifier_key, 10 as seen_day
    union all
    select 'v' as identifier_key, 12 as seen_day
),

reordered as (
    select 'v' as identifier_key, 12 as seen_day
    union all
    select 'u' as identifier_key, 10 as seen_day
),

changed as (
    select 'u' as identifier_key, 11 as seen_day
    union all
    select 'v' as identifier_key, 12 as seen_day
),

copied as (
    select 'u' as identifier_key, 10 as seen_day
    union all
    select 'v' as identifier_key, 12 as seen_day
    union all
    select 'v' as identifier_key, 12 as seen_day
),

swapped as (
    select 'u' as identifier_key, 12 as seen_day
    union all
    select 'v' as identifier_key, 10 as seen_day
),

fingerprints as (
    {%- for variant in ['original', 'reordered', 'changed', 'copied', 'swapped'] %}
        {{ 'union all' if not loop.first }}
        select
            '{{ variant }}' as variant,
            {{ audience.fingerprint_agg(variant) }} as fingerprint
        from {{ variant }}
    {%- endfor %}
),

original_fingerprint as (
    select fingerprints.fingerprint from fingerprints
    where fingerprints.variant = 'original'
)

select
    fingerprints.variant,
    fingerprints.fingerprint
from fingerprints
cross join original_fingerprint
where
    fingerprints.variant != 'original'
    and (fingerprints.variant = 'reordered') != (fingerprints.fingerprint = original_fingerprint.fingerprint)
