{#-
    Select-list entries `subject_type` (lowercased) and `subject_value` (normalized for its type,
    macro normalize_identifier, phones read with the CTE default_country's dialing rules) of a
    CRM row about a person: a consent or a deletion request.
-#}
{% macro subject_columns(relation) -%}
        lower({{ audience.clean_text(relation ~ '.subject_type') }}) as subject_type,
        {{ audience.normalize_identifier(
            'lower(' ~ audience.clean_text(relation ~ '.subject_type') ~ ')',
            relation ~ '.subject_value',
            'default_country.calling_code',
            'default_country.trunk_prefix',
            'default_country.national_number_length',
        ) }} as subject_value
{%- endmacro %}
