{%- set nulled_fields = [{
    'field': 'event_name',
    'flag': 'event_name_sent != event_name',
    'raw': 'event_name_sent',
    'action': 'value_repaired',
    'reason': "'event_name_normalized'",
}] -%}
{%- for property in (audience.tracking_plan_properties() if execute else []) | map(attribute='name') | unique -%}
    {%- do nulled_fields.append({
        'field': property,
        'flag': audience.json_extract_text('nulled_properties', property) ~ ' is not null',
        'raw': audience.clean_identifier(audience.json_extract_text('properties', property)),
        'reason': audience.json_extract_text('nulled_properties', property),
    }) -%}
{%- endfor -%}

-- depends_on: {{ ref('tracking_plan_properties') }}
{{ audience.quarantined_rows(
    ref('base_segment__tracks'),
    source_table='segment.tracks',
    key_column='message_id',
    loaded_at_column='received_at',
    nulled_fields=nulled_fields,
    field_column='quarantine_field',
) }}
