{{ audience.quarantined_rows(
    ref('base_crm__contacts'),
    source_table='crm.contacts',
    key_column='contact_id',
    loaded_at_column='updated_at',
    nulled_fields=[
        {'field': 'email', 'flag': 'has_invalid_email', 'raw': 'email_raw'},
        {'field': 'phone', 'flag': 'has_invalid_phone', 'raw': 'phone_raw'},
        {
            'field': 'phone', 'flag': 'is_phone_repaired', 'raw': 'phone_raw',
            'reason': "'phone_repaired'", 'action': 'value_repaired',
        },
        {'field': 'birth_date', 'flag': 'has_invalid_birth_date', 'raw': 'birth_date_raw', 'reason': 'birth_date_issue'},
    ],
) }}
