{#- female, male, non_binary or undisclosed from the spellings CRMs hold; null when empty. -#}
{% macro normalize_gender(expression) -%}
    case
        when {{ audience.clean_text(expression) }} is null then null
        when lower(trim({{ expression }})) in ('f', 'female', 'woman', 'w') then 'female'
        when lower(trim({{ expression }})) in ('m', 'male', 'man') then 'male'
        when lower(trim({{ expression }})) in ('non_binary', 'non-binary', 'nonbinary', 'nb', 'x', 'diverse')
            then 'non_binary'
        else 'undisclosed'
    end
{%- endmacro %}
