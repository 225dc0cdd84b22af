{{ audience.quarantined_rows(
    ref('base_crm__order_items'),
    source_table='crm.order_items',
    key_column='order_item_id',
    loaded_at_column='cast(null as timestamp)',
) }}
