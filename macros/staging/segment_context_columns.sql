{#-
    Cleaned columns of a Segment-style event's context, one group at a time, in a fixed order:
    `client` (ip_address, user_agent, locale_code, library_name, device_type, os_name) or
    `place` (country_code, region, city and the five utm_ campaign fields). Codes are cased as
    their standards write them; the rest is clean_text.
-#}
{% macro segment_context_columns(group) -%}
    {%- set groups = {
        'client': [
            ('ip_address', 'context_ip', none),
            ('user_agent', 'context_user_agent', none),
            ('locale_code', 'context_locale', none),
            ('library_name', 'context_library_name', none),
            ('device_type', 'context_device_type', 'lower'),
            ('os_name', 'context_os_name', none),
        ],
        'place': [
            ('country_code', 'context_location_country', 'upper'),
            ('region', 'context_location_region', none),
            ('city', 'context_location_city', none),
            ('utm_source', 'context_campaign_source', 'lower'),
            ('utm_medium', 'context_campaign_medium', 'lower'),
            ('utm_campaign', 'context_campaign_name', none),
            ('utm_content', 'context_campaign_content', none),
            ('utm_term', 'context_campaign_term', none),
        ],
    } -%}
    {%- if group not in groups -%}
        {{ exceptions.raise_compiler_error("segment_context_columns: group '" ~ group ~ "': expected one of " ~ groups.keys() | list | join(', ')) }}
    {%- endif -%}
    {%- for name, field, casing in groups[group] %}
        {% if casing %}{{ casing }}({{ audience.clean_text(field) }}){% else %}{{ audience.clean_text(field) }}{% endif %} as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}
