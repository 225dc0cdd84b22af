with

base as (
    select * from {{ ref('base_crm__consents') }}
),

final as (
    select
        consent_id,
        subject_type,
        subject_value,
        purpose,
        is_granted,
        recorded_at,
        consent_source
    from base
    where row_disposition = 'clean'
)

select * from final
