with

base as (
    select * from {{ ref('base_crm__deletion_requests') }}
),

final as (
    select
        request_id,
        subject_type,
        subject_value,
        requested_at
    from base
    where row_disposition = 'clean'
)

select * from final
