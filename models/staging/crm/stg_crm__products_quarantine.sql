{{ audience.quarantined_rows(
    ref('base_crm__products'),
    source_table='crm.products',
    key_column='product_id',
    loaded_at_column='cast(null as timestamp)',
) }}
