{{ audience.quarantined_rows(
    ref('base_segment__identifies'),
    source_table='segment.identifies',
    key_column='message_id',
    loaded_at_column='received_at',
    nulled_fields=[
        {'field': 'email', 'flag': 'has_invalid_email', 'raw': 'email_raw'},
        {'field': 'phone', 'flag': 'has_invalid_phone', 'raw': 'phone_raw'},
        {
            'field': 'phone', 'flag': 'is_phone_repaired', 'raw': 'phone_raw',
            'reason': "'phone_repaired'", 'action': 'value_repaired',
        },
    ],
) }}
