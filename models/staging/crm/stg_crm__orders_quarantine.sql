{{ audience.quarantined_rows(
    ref('base_crm__orders'),
    source_table='crm.orders',
    key_column='order_id',
    loaded_at_column='updated_at',
    nulled_fields=[
        {'field': 'email', 'flag': 'has_invalid_email', 'raw': 'email_raw'},
        {
            'field': 'subtotal', 'flag': 'has_inconsistent_items', 'raw': 'subtotal_raw',
            'reason': "'inconsistent_order_items'", 'action': 'flagged',
        },
    ],
) }}
