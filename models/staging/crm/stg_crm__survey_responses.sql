{{ audience.clean_rows(ref('base_crm__survey_responses')) }}
