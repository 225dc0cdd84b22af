{#-
    An identifier value normalized for its type, so the same person's identifiers compare equal:
    emails trimmed and lowercased, phones in E.164 (national numbers read with var
    default_phone_country's dialing rules, passed as SQL expressions), other ids as clean_identifier makes them.
-#}
{% macro normalize_identifier(identifier_type, identifier_value, calling_code, trunk_prefix, national_number_length) -%}
    case {{ identifier_type }}
        when 'email' then {{ audience.normalize_email(identifier_value) }}
        when 'phone' then {{ audience.normalize_phone(identifier_value, calling_code, trunk_prefix, national_number_length) }}
        else {{ audience.clean_identifier(identifier_value) }}
    end
{%- endmacro %}
