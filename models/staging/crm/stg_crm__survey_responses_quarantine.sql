{{ audience.quarantined_rows(
    ref('base_crm__survey_responses'),
    source_table='crm.survey_responses',
    key_column='response_id',
    loaded_at_column='answered_at',
    nulled_fields=[{'field': 'email', 'flag': 'has_invalid_email', 'raw': 'email_raw'}],
) }}
