{{ audience.quarantined_rows(
    ref('base_segment__tracks'),
    source_table='segment.tracks',
    key_column='message_id',
    loaded_at_column='received_at',
) }}
