{{ audience.quarantined_rows(
    ref('base_segment__pages'),
    source_table='segment.pages',
    key_column='message_id',
    loaded_at_column='received_at',
) }}
