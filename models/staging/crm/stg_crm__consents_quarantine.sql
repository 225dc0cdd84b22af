{{ audience.quarantined_rows(
    ref('base_crm__consents'),
    source_table='crm.consents',
    key_column='consent_id',
    loaded_at_column='recorded_at',
) }}
