-- Demographics of each person with a CRM contact, from the contact updated last when the person
-- has several; the age is in whole years on the as-of date and the birth date is not carried on.
with

contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

as_of as (
    select * from {{ ref('int_persons_profiled') }}
),

contacts_with_persons as (
    select
        identities.person_id,
        contacts.*,
        count(*) over (partition by identities.person_id) as contact_count,
        row_number() over (
            partition by identities.person_id
            order by contacts.updated_at desc, contacts.contact_id desc
        ) as recency_rank
    from contacts
    inner join identities
        on identities.identifier_key = {{ audience.identifier_key("'contact_id'", 'contacts.contact_id') }}
),

latest_contacts as (
    select
        contacts_with_persons.*,
        {{ audience.age_in_years('contacts_with_persons.birth_date', 'as_of.as_of_date') }} as age
    from contacts_with_persons
    cross join as_of
    where contacts_with_persons.recency_rank = 1
),

final as (
    select
        person_id,
        contact_count,
        age,
        {{ audience.age_band('age') }} as age_band,
        gender,
        city,
        region,
        country_code,
        income_band,
        occupation,
        updated_at as contact_updated_at
    from latest_contacts
)

select * from final
