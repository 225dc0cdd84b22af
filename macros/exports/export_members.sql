{#- The body of an export model (exports.exp_<destination>, written from the destination's
    module by `python -m orchestration.sync.destinations`): the members routed to `destination`
    with the contact fields a sync may send, as the warehouse holds them (emails trimmed and
    lowercased, phones E.164). Each destination's sync module normalizes and hashes them as its
    platform documents. -#}
{% macro export_members(destination) %}
with

routed as (
    select * from {{ ref('int_segment_members_routed') }}
    where destination = '{{ destination }}'
),

final as (
    select
        segment_name,
        person_id,
        email,
        phone as phone_e164,
        first_name,
        last_name,
        postal_code,
        country_code
    from routed
)

select * from final
{% endmacro %}
