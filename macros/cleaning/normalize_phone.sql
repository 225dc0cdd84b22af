{#-
    A phone number in E.164 (`+14155550132`), or null when it cannot be read as one.
    Accepts international format (`+44 7700 900123`, `0044...`) and national format for a
    country given as SQL expressions for its calling code, trunk prefix and national number length.
-#}
{% macro normalize_phone(expression, calling_code, trunk_prefix, national_number_length) -%}
    {%- set digits = audience.regex_replace_all(audience.clean_text(expression), "'[^0-9+]'", "''") -%}
    case
        when {{ audience.regex_full_match(digits, "'[+][1-9][0-9]{7,14}'") }}
            then {{ digits }}
        when {{ audience.regex_full_match(digits, "'00[1-9][0-9]{7,14}'") }}
            then '+' || substr({{ digits }}, 3)
        when not {{ audience.regex_full_match(digits, "'[0-9]+'") }} or {{ calling_code }} is null
            then null
        when length({{ digits }}) = {{ national_number_length }}
            and coalesce({{ trunk_prefix }}, '') = ''
            then '+' || {{ calling_code }} || {{ digits }}
        when length({{ digits }}) = {{ national_number_length }} + length({{ trunk_prefix }})
            and substr({{ digits }}, 1, length({{ trunk_prefix }})) = {{ trunk_prefix }}
            then '+' || {{ calling_code }} || substr({{ digits }}, length({{ trunk_prefix }}) + 1)
        when length({{ digits }}) = {{ national_number_length }} + length({{ calling_code }})
            and substr({{ digits }}, 1, length({{ calling_code }})) = {{ calling_code }}
            then '+' || {{ digits }}
    end
{%- endmacro %}
