"""The order history before the period: contacts created before it bought BG/NBD-like, so
the shop's order table holds years of purchases with one-order customers, frequent buyers,
long-lapsed and still active customers, in the same shape as the orders of the period."""

from __future__ import annotations

import pytest

from . import rules

START = "timestamptz '2026-10-01 00:00:00+00'"
END = "timestamptz '2026-10-31 00:00:00+00'"


@pytest.fixture(scope="module")
def con(dataset):
    out, _ = dataset(users=2000, defect_rate=0.0)
    con = rules.connect(out)
    con.sql("""
        create view latest as select distinct on (order_id) * from orders
            order by order_id, updated_at::timestamptz desc;
        -- every order of a known person, with the person's truth
        create view placed as select o.*, o.ordered_at::timestamptz ts, p.person_key, p.persona,
                p.is_lapsed, p.history_orders
            from latest o join truth_persons p on p.contact_id = o.contact_id
                or (o.contact_id is null and p.user_id = o.user_id);
        create view created as select contact_id, min(created_at::timestamptz) created_at
            from contacts group by 1;
        -- persons with a completed order up to the end of the period
        create view customers as select person_key, any_value(persona) persona, count(*) n,
                min(ts) first_at, max(ts) last_at
            from placed where status = 'completed' group by 1;
    """)
    return con


def count(con, sql: str) -> int:
    return rules._count(con, sql)


def test_history_orders_lie_between_contact_creation_and_the_period(con):
    history = count(con, f"select count(*) from placed where ts < {START}")
    period = count(con, f"select count(*) from placed where ts >= {START}")
    assert history > 3 * period > 0
    # every history order belongs to a contact, and none precedes the contact's creation
    assert count(con, f"select count(*) from latest where ordered_at::timestamptz < {START}") == (
        history
    )
    assert (
        count(
            con,
            f"select count(*) from latest where contact_id is null "
            f"and ordered_at::timestamptz < {START}",
        )
        == 0
    )
    assert (
        count(
            con,
            "select count(*) from placed join created using (contact_id) where ts < created_at",
        )
        == 0
    )
    # contacts created in the period (new sign-ups) have no history
    assert (
        count(
            con,
            f"""select count(*) from placed join created using (contact_id)
            where ts < {START} and created_at >= {START}""",
        )
        == 0
    )
    assert (
        count(con, f"select count(*) from placed where ts < {START} and persona = 'new_signup'")
        == 0
    )
    # the truth counts the same history orders as the raw table holds
    assert (
        count(
            con,
            f"""select count(*) from truth_persons p left join (
                select person_key, count(*) n from placed where ts < {START} group by 1
            ) h using (person_key) where coalesce(h.n, 0) <> p.history_orders""",
        )
        == 0
    )


def test_one_time_buyers_bought_exactly_once_before_the_period(con):
    per_buyer = con.sql(f"""
        select count(o.order_id) filter (where o.ts < {START}) from truth_persons p
        join created c using (contact_id) left join placed o using (person_key)
        where p.persona = 'one_time_buyer' and c.created_at < {START}
        group by p.person_key""").fetchall()
    assert len(per_buyer) > 30
    assert {n for (n,) in per_buyer} == {1}


def test_history_spans_several_years_and_grows(con):
    by_year = dict(
        con.sql(f"select year(ts), count(*) from placed where ts < {START} group by 1").fetchall()
    )
    assert min(by_year) <= 2022
    assert all(by_year.get(year, 0) >= 100 for year in (2023, 2024, 2025))
    # more contacts exist every year, so more orders (2026 covers nine months)
    assert by_year[2023] < by_year[2024] < by_year[2025]
    assert count(con, f"select count(*) from placed where ts < {START} - interval 1200 days") > 10


def test_customers_mix_one_order_and_frequent_buyers(con):
    n, one, five, most = con.sql(
        "select count(*), count(*) filter (where n = 1), count(*) filter (where n >= 5), "
        "max(n) from customers"
    ).fetchall()[0]
    assert n > 600
    assert 0.25 < one / n < 0.6  # the biggest group buys once
    assert 0.1 < five / n < 0.45  # a long tail buys often
    assert most >= 20
    persona = {
        name: (orders, single)
        for name, orders, single in con.sql(
            "select persona, avg(n), avg((n = 1)::int) from customers group by 1"
        ).fetchall()
    }
    loyal, bargain, window = (
        persona[p] for p in ("loyal_high_spender", "bargain_hunter", "window_shopper")
    )
    assert loyal[0] > 1.5 * bargain[0] > 1.5 * window[0]
    assert loyal[1] < bargain[1] < window[1]


def test_customers_lapse_and_lapsed_customers_stop_buying(con):
    repeat, lapsed_long_ago, recent = con.sql(f"""
        select count(*), count(*) filter (where last_at < {END} - interval 180 days),
               count(*) filter (where last_at >= {START} - interval 30 days)
        from customers where n >= 2""").fetchall()[0]
    # repeat customers whose last order is long ago, and others still buying
    assert lapsed_long_ago > 0.15 * repeat
    assert recent > 0.15 * repeat
    # frequent buyers with years of history: those who lapsed have no recent order,
    # those still customers nearly all have one
    quiet = dict(
        con.sql(f"""
        with h as (
            select p.person_key, p.is_lapsed,
                   count(o.order_id) filter (where o.ts < {START}) n,
                   count(o.order_id) filter (where o.ts < {START}
                                             and o.ts >= {START} - interval 180 days) recent
            from truth_persons p join created c using (contact_id)
            left join placed o using (person_key)
            where c.created_at < {START} - interval 730 days and p.purchase_rate_per_30d >= 0.3
            group by all)
        select is_lapsed, avg((recent = 0)::int) from h where n > 0 group by 1""").fetchall()
    )
    assert quiet[True] > 0.7
    assert quiet[False] < 0.25
    # lapsed persons place no shop orders in the period, customers still buying do
    shop_in_period = f"ts >= {START} and user_id is null"
    assert count(con, f"select count(*) from placed where {shop_in_period} and is_lapsed") == 0
    assert count(con, f"select count(*) from placed where {shop_in_period} and not is_lapsed") > 10


def test_history_orders_look_like_the_orders_of_the_period(con):
    history = f"ordered_at::timestamptz < {START}"
    web, shop, missing_email, paid_shipping = con.sql(f"""
        select count(*) filter (where user_id is not null),
               count(*) filter (where user_id is null),
               count(*) filter (where user_id is null and email is null),
               count(*) filter (where user_id is null and shipping_amount::decimal(18, 2) > 0)
        from latest where {history}""").fetchall()[0]
    assert web > 0.3 * (web + shop) and shop > 0.2 * (web + shop)
    assert 0.2 * shop < missing_email < 0.6 * shop
    assert paid_shipping == 0
    statuses = dict(
        con.sql(f"select status, count(*) from latest where {history} group by 1").fetchall()
    )
    assert statuses["completed"] > 0.8 * sum(statuses.values())
    assert statuses["cancelled"] > 0 and statuses["refunded"] > 0
    # only recent orders can still be pending
    assert (
        count(
            con,
            f"""select count(*) from latest where status = 'pending'
            and ordered_at::timestamptz < {START} - interval 7 days""",
        )
        == 0
    )
    # older versions, discount codes and order lines as in the period
    assert (
        count(
            con,
            f"""select count(*) from (select order_id from orders where {history}
            group by 1 having count(*) > 1)""",
        )
        > 20
    )
    assert (
        count(con, f"select count(*) from latest where {history} and discount_code is not null") > 0
    )
    assert (
        count(
            con,
            f"""select count(*) from latest o left join (
                select order_id, sum(quantity::int * unit_price::decimal(18, 2)) amount
                from order_items group by 1) i using (order_id)
            where {history} and (i.amount is null or i.amount <> o.subtotal::decimal(18, 2)
                or o.total::decimal(18, 2) <> o.subtotal::decimal(18, 2)
                   - o.discount_amount::decimal(18, 2) + o.shipping_amount::decimal(18, 2)
                   + o.tax_amount::decimal(18, 2))""",
        )
        == 0
    )
    # shop orders in store hours, local time (timestamps with an offset show it)
    hours = con.sql(f"""
        select distinct ordered_at[12:13]::int from latest
        where {history} and user_id is null and ordered_at not like '%Z'""").fetchall()
    assert hours and {h for (h,) in hours} <= set(range(10, 19))
