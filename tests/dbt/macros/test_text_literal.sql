-- text_literal: a quote and a backslash reach the query unchanged, so a regular expression keeps its escapes.
with

literals as (
    select
        {{ audience.text_literal("it's") }} as quoted,
        {{ audience.text_literal("a\\.b") }} as pattern
),

checked as (
    select
        quoted = 'it' || chr(39) || 's' as is_quote_kept,
        length(pattern) = 4 as is_backslash_kept,
        {{ audience.regex_full_match("'a.b'", 'pattern') }} as matches_dot,
        {{ audience.regex_full_match("'axb'", 'pattern') }} as matches_other
    from literals
)

select * from checked
where not is_quote_kept or not is_backslash_kept or not matches_dot or matches_other
