{{ audience.clean_rows(ref('base_crm__order_items')) }}
