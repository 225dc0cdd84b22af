"""The generated world behaves like a shop's audience: personas, funnels, identity, CRM."""

from __future__ import annotations

import pytest

from orchestration.generator import DEFAULT_MIX

from . import rules

CLEAN_EVENTS = "not out_of_range(timestamp, received_at) and not late(timestamp, received_at)"


@pytest.fixture(scope="module")
def con(standard):
    return rules.connect(standard[0])


def count(con, sql: str) -> int:
    return rules._count(con, sql)


def test_persona_mix_is_close_to_the_default(standard):
    _, manifest = standard
    total = sum(manifest["personas"].values())
    assert set(manifest["personas"]) == set(DEFAULT_MIX)
    for persona, share in DEFAULT_MIX.items():
        assert abs(manifest["personas"][persona] / total - share) < 0.035, persona
    assert count(rules.connect(standard[0]), "select count(*) from truth_persons") == total


def test_events_stay_in_the_period_and_arrive_in_time(con):
    assert (
        count(
            con,
            f"""
        select count(*) from (select timestamp, received_at, sent_at from tracks
                              union all select timestamp, received_at, sent_at from pages)
        where {CLEAN_EVENTS} and (
            timestamp < timestamptz '2026-10-01 00:00:00+00'
            or timestamp >= timestamptz '2026-10-31 00:00:00+00'
            or received_at < timestamp or received_at - timestamp > interval 20 hours
            or sent_at < timestamp or sent_at > received_at)""",
        )
        == 0
    )
    # mostly seconds, with some offline mobile batches hours later
    assert (
        count(
            con,
            f"select count(*) from tracks where {CLEAN_EVENTS} and "
            "received_at - timestamp > interval 10 minutes",
        )
        > 0
    )
    assert (
        count(con, "select quantile_cont(epoch(received_at - timestamp), 0.5) < 10 from tracks")
        == 1
    )


def test_properties_carry_exactly_the_tracking_plan_keys(con, dataset):
    mismatches = count(
        con,
        """
        with plan as (select event_name,
                             coalesce(list_sort(list(property_name) filter (
                                 where property_name is not null)), []) keys
                      from tracking_plan left join tracking_plan_properties using (event_name)
                      group by event_name)
        select count(*) from tracks t join plan p on p.event_name = t.event_text
        where json_valid(t.properties)
          and list_sort(json_keys(t.properties)) <> p.keys""",
    )
    assert mismatches == 0
    # values out of range are a defect kind, so the clean values are checked on clean data
    assert (
        count(
            rules.connect(dataset(users=1000, defect_rate=0.0)[0]),
            """select count(*) from tracks where json_valid(properties) and (
        (properties->>'percent_watched')::int not between 0 and 100
        or (properties->>'scroll_depth')::int not between 0 and 100)""",
        )
        == 0
    )


def test_funnels_convert_and_abandon(con):
    assert count(con, "select count(distinct person_key) from truth_persons where orders > 0") > 50
    # devices that added to cart but never ordered
    assert (
        count(
            con,
            """select count(*) from (select anonymous_id from tracks
        where event_text = 'Product Added' except
        select anonymous_id from tracks where event_text = 'Order Completed')""",
        )
        > 50
    )
    funnel = dict(
        con.sql("""select event_text, count(*) from tracks where event_text in
        ('Product Viewed', 'Product Added', 'Checkout Started', 'Order Completed')
        group by 1""").fetchall()
    )
    assert (
        funnel["Product Viewed"]
        > funnel["Product Added"]
        > funnel["Checkout Started"]
        > funnel["Order Completed"]
    )
    by_persona = dict(
        con.sql("""select persona, sum(orders) / sum(sessions)
        from truth_persons where has_events group by 1""").fetchall()
    )
    assert by_persona["loyal_high_spender"] > 3 * by_persona["window_shopper"]
    assert by_persona["loyal_high_spender"] > 3 * by_persona["cart_abandoner"]
    assert count(
        con,
        """select count(*) from truth_persons
        where persona = 'one_time_buyer' and orders > 1""",
    ) <= 0.05 * count(
        con, "select count(*) from truth_persons where persona = 'one_time_buyer' and orders > 0"
    )


def test_online_orders_match_their_order_completed_track(con):
    assert (
        count(
            con,
            """
        with latest as (select distinct on (order_id) * from orders
                        order by order_id, updated_at::timestamptz desc),
        placed as (select properties->>'order_id' order_id, properties->>'revenue' revenue,
                          properties->>'currency' currency, timestamp
                   from tracks where event_text = 'Order Completed')
        select count(*) from placed p left join latest o using (order_id)
        where o.order_id is null or o.total::decimal(18, 2) <> p.revenue::decimal(18, 2)
           or (o.currency <> p.currency
               and o.currency in (select currency_code from currencies))  -- else a defect
           or abs(epoch(o.ordered_at::timestamptz - p.timestamp)) > 1""",
        )
        == 0
    )
    # orders that staging rejects carry no lines, so no line points at a rejected order
    assert (
        count(
            con,
            """select count(*) from order_items i join orders o using (order_id)
        where o.currency not in (select currency_code from currencies)
           or o.contact_id not in (select contact_id from contacts)""",
        )
        == 0
    )
    # currency follows the contact's country
    assert (
        count(
            con,
            """select count(*) from orders o join contacts c using (contact_id)
        join countries k on k.country_code = c.country
        where o.currency in (select currency_code from currencies)
          and o.currency <> k.default_currency""",
        )
        == 0
    )
    statuses = dict(con.sql("select status, count(*) from orders group by 1").fetchall())
    assert set(statuses) == {"completed", "pending", "cancelled", "refunded"}
    assert statuses["completed"] > sum(statuses.values()) / 2
    assert (
        count(
            con,
            "select count(*) from orders where contact_id is null "
            "and user_id is null and email is not null",
        )
        > 0
    )  # guest checkouts


def test_identity_is_linked_across_devices_and_over_linked_on_purpose(con):
    assert (
        count(
            con,
            """select count(*) from (select user_id from identifies
        group by 1 having count(distinct anonymous_id) >= 2)""",
        )
        > 20
    )
    # a store kiosk device used by dozens of people, flagged as shared in the truth
    assert (
        count(
            con,
            """select max(n) from (select anonymous_id, count(distinct user_id) n
        from identifies group by 1)""",
        )
        >= 15
    )
    assert (
        count(
            con,
            """select count(*) from (select anonymous_id from identifies
        group by 1 having count(distinct user_id) >= 2)
        where anonymous_id not in (select identifier_value from truth_identifiers
                                   where identifier_type = 'anonymous_id' and is_shared)""",
        )
        == 0
    )
    assert (
        count(
            con,
            """select count(distinct anonymous_id) from identifies
        where user_id in (select identifier_value from truth_identifiers
                          where identifier_type = 'user_id' and is_shared)""",
        )
        >= 3
    )
    assert (
        count(con, "select count(*) from orders where lower(trim(email)) = 'test@example.com'") >= 5
    )
    # users browse anonymously before logging in on a device
    assert (
        count(
            con,
            """select count(*) from identifies i where exists (
        select 1 from pages p where p.anonymous_id = i.anonymous_id and p.user_id is null
        and p.timestamp < i.timestamp)""",
        )
        > 0
    )


def test_truth_covers_the_raw_identifiers(con):
    checks = {
        "anonymous_id": "select anonymous_id from tracks union select anonymous_id from pages",
        "user_id": "select user_id from tracks union select user_id from orders",
        "email": "select lower(trim(email)) from identifies where not bad_email(email) "
        "union select lower(trim(email)) from contacts where not bad_email(email)",
        "contact_id": "select contact_id from contacts",
    }
    for kind, raw in checks.items():
        assert (
            count(
                con,
                f"""select count(*) from ({raw}) r(v) where nullif(clean_id(v), '') is not null
            and clean_id(v) not in (select identifier_value from truth_identifiers
                          where identifier_type = '{kind}')""",
            )
            == 0
        ), kind
    # a person's identify traits belong to that person in the truth
    assert (
        count(
            con,
            """select count(*) from identifies i
        join truth_identifiers u on u.identifier_type = 'user_id' and u.identifier_value = i.user_id
        join truth_identifiers e on e.identifier_type = 'email'
             and e.identifier_value = lower(trim(i.email))
        where not bad_email(i.email) and u.person_key <> e.person_key""",
        )
        == 0
    )
    assert (
        count(
            con,
            """select count(*) from truth_identifiers where identifier_type = 'phone'
        and not regexp_full_match(identifier_value, '\\+[1-9][0-9]{7,14}')""",
        )
        == 0
    )


def test_crm_is_consistent_with_behaviour(con, standard):
    assert (
        count(
            con,
            """select count(*) from contacts c join truth_persons p using (contact_id)
        where not (c.country = p.country and c.city = p.city)""",
        )
        == 0
    )
    assert count(con, "select count(*) from truth_persons where has_contact and not has_events") > 0
    # only the injected future and implausible birth dates fall outside the personas' ages
    defects = standard[1]["defects"]["contacts"]
    assert count(
        con,
        """select count(*) from contacts where birth_date::date not between
        date '1946-01-01' and date '2008-10-01'""",
    ) == (defects["future_birth_date"] + defects["implausible_age"])
    offsets = dict(
        con.sql("""select ordered_at like '%Z', count(*) from orders
        group by 1""").fetchall()
    )
    assert offsets[True] > 0 and offsets[False] > 0


def test_consents_surveys_and_deletions(con, standard):
    # some people grant email marketing and withdraw it later (possibly under another id)
    assert (
        count(
            con,
            """
        with c as (select p.person_key, c.status, c.recorded_at::timestamptz recorded
                   from consents c join truth_identifiers p on p.identifier_value = c.subject_value
                   where c.purpose = 'email_marketing' and p.person_key is not null)
        select count(distinct g.person_key) from c g join c w on w.person_key = g.person_key
        where g.status = 'granted' and w.status = 'withdrawn' and w.recorded > g.recorded""",
        )
        > 0
    )
    assert count(con, "select count(*) from consents where subject_type = 'anonymous_id'") > 0
    # answers the question does not allow are only the injected ones
    answers = count(
        con,
        """select count(*) from survey_responses
        where (question_id = 'nps' and coalesce(try_cast(answer as int) not between 0 and 10
                                                or answer not similar to '[0-9]+', true))
        or (question_id = 'top_value' and answer not in ('sustainability', 'latest_tech',
            'low_prices', 'quality', 'convenience', 'style'))""",
    )
    assert answers == standard[1]["defects"]["survey_responses"]["invalid_answer"]
    respondents = count(
        con,
        """select count(distinct coalesce(user_id, email))
        from survey_responses where question_id = 'nps'""",
    )
    known = count(con, "select count(*) from truth_persons where has_account or has_contact")
    assert 0.06 * known < respondents < 0.14 * known
    assert count(con, "select count(*) from deletion_requests") > 0


def test_time_of_day_and_channels_look_like_real_traffic(con):
    office = dict(
        con.sql("""select context_device_type,
        avg((hour(timestamp at time zone 'America/New_York') between 9 and 17)::int)
        from pages where context_location_country = 'US' group by 1""").fetchall()
    )
    assert office["desktop"] > office["mobile"] + 0.1
    assert (
        count(
            con,
            """select count(*) from pages where context_campaign_medium = 'email'
        and search like '%utm_medium=email%'""",
        )
        > 0
    )
    assert count(con, """select count(distinct context_campaign_source) from pages""") >= 6
    assert (
        count(
            con,
            """select count(*) from tracks where context_campaign_source is not null
        and context_page_url not like '%utm_source=%'""",
        )
        == 0
    )
