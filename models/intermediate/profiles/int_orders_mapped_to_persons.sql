-- CRM orders (every status) with the person they belong to and their amounts in var
-- reporting_currency. An order names its customer by contact_id, user_id and/or email: the
-- first of these that identity stitching knows, in that order, gives the person (a contact id is
-- the CRM's own key; emails are the most often shared or mistyped).
with

orders as (
    select * from {{ ref('stg_crm__orders') }}
),

identities as (
    select * from {{ ref('int_identifiers_resolved') }}
),

currencies as (
    select * from {{ ref('currencies') }}
),

reporting_currency as (
    select currencies.units_per_usd
    from currencies
    where currencies.currency_code = '{{ var("reporting_currency") }}'
),

orders_with_persons as (
    {{ audience.person_of_identifier('orders', ['contact_id', 'user_id', 'email']) }}
),

-- Amount in the order's currency / units per USD * reporting currency units per USD.
final as (
    select
        orders_with_persons.order_id,
        orders_with_persons.person_id,
        orders_with_persons.person_matched_on,
        orders_with_persons.ordered_at,
        orders_with_persons.order_status,
        orders_with_persons.order_status = 'completed' as is_completed,
        orders_with_persons.currency_code,
        cast(
            orders_with_persons.order_total / order_currency.units_per_usd * reporting_currency.units_per_usd
            as {{ dbt.type_numeric() }}
        ) as order_total_reporting,
        cast(
            orders_with_persons.discount_amount / order_currency.units_per_usd * reporting_currency.units_per_usd
            as {{ dbt.type_numeric() }}
        ) as discount_amount_reporting,
        orders_with_persons.has_discount
    from orders_with_persons
    left join currencies as order_currency
        on orders_with_persons.currency_code = order_currency.currency_code
    left join reporting_currency on true
    -- no person: an erased person's order, excluded by staging from the next run on
    where orders_with_persons.person_id is not null
)

select * from final
