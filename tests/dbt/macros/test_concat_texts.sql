-- concat_texts joins its expressions in order, as the `||` chain it replaces in the raw row hash
-- did (same text, so rows loaded before the change keep matching their hashes).
with

cases as (
    select
        {{ audience.concat_texts(["'5:hello'", "'|'", "'~'", "'|'", "'0:'"]) }} as concatenated,
        '5:hello' || '|' || '~' || '|' || '0:' as expected
    union all
    select
        {{ audience.concat_texts(["'single'"]) }} as concatenated,
        'single' as expected
)

select * from cases
where concatenated is distinct from expected
