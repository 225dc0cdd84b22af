{{ audience.quarantined_rows(
    ref('base_crm__deletion_requests'),
    source_table='crm.deletion_requests',
    key_column='request_id',
    loaded_at_column='requested_at',
) }}
