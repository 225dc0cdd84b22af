{#-
    A phone number in E.164 (`+14155550132`), or null when it cannot be read as one, by the rules
    in macros/_macros.yml (normalize_phone) that orchestration/sync/identifiers.py follows too;
    tests/fixtures/phone_formats.csv lists the formats both must read alike. The country whose
    national format is assumed is given as SQL expressions for its calling code, trunk prefix and
    national number length. Each intermediate is referenced as few times as possible: the
    expression is repeated wherever it is used.
-#}
{% macro normalize_phone(expression, calling_code, trunk_prefix, national_number_length) -%}
    {#- trimmed, lowercased, without a trailing extension -#}
    {%- set text = audience.regex_replace_all(
        'lower(' ~ audience.clean_text(expression) ~ ')',
        "'[^0-9a-z+]*(;ext=|ext[.]?|extension|x|#)[^0-9a-z]*[0-9]{1,6}$'",
        "''"
    ) -%}
    {#- digits and `+` only; 011 is an international prefix in the +1 countries; `(0)` after an international prefix dropped -#}
    {%- set digits = audience.regex_replace_all(
        audience.regex_replace_all(
            audience.regex_replace_all(text, "'^011'", "case when " ~ calling_code ~ " = '1' then '00' else '011' end"),
            "'^([+]|00)([^(]*)[(]0[)]'",
            "'\\1\\2'"
        ),
        "'[^0-9+]'",
        "''"
    ) -%}
    {%- set international = audience.regex_replace_all(digits, "'^(?:[+]|00)([1-9][0-9]{7,14})$'", "'+\\1'") -%}
    {%- set trunk_length = 'coalesce(length(' ~ trunk_prefix ~ '), 0)' -%}
    case
        -- only ASCII digits, one leading +, spaces and ( ) . / - (letters and other digits are not read)
        when not {{ audience.regex_full_match(text, audience.text_literal('[+]?[0-9()./\\s\\p{Z}-]+')) }} then null
        -- international; the North American plan (+1) has exactly 10 digits after the 1
        when {{ audience.regex_full_match(international, "'[+](1[0-9]{10}|[2-9][0-9]{7,14})'") }}
            then {{ international }}
        when substr({{ international }}, 1, 1) = '+' or {{ calling_code }} is null then null
        -- national: the national significant number, alone or after the trunk prefix
        when length({{ digits }}) = {{ national_number_length }} + {{ trunk_length }}
            and substr({{ digits }}, 1, {{ trunk_length }}) = coalesce({{ trunk_prefix }}, '')
            then '+' || {{ calling_code }} || substr({{ digits }}, {{ trunk_length }} + 1)
        -- national with the calling code but no +
        when length({{ digits }}) = {{ national_number_length }} + length({{ calling_code }})
            and substr({{ digits }}, 1, length({{ calling_code }})) = {{ calling_code }}
            then '+' || {{ digits }}
    end
{%- endmacro %}
