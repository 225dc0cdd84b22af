"""Independent pandas computations of what the marts should hold, shared by the e2e tests."""

from __future__ import annotations

import pandas as pd

REPORTING_CURRENCY = "USD"  # var reporting_currency


def person_of(identities: pd.DataFrame, identifier_type: str, values: pd.Series) -> pd.Series:
    """The person of each value as an identifier of the given type (NaN when unknown or null)."""
    lookup = identities.set_index("identifier_key")["person_id"]
    keys = identifier_type + ":" + values.astype("string")
    return keys.map(lookup).astype(object)


def expected_as_of_date(tracks: pd.DataFrame, pages: pd.DataFrame) -> pd.Timestamp:
    """The date of the latest track or page event (the default as-of date)."""
    return pd.Timestamp(max(tracks["event_at"].max(), pages["event_at"].max())).normalize()


def completed_orders(
    orders: pd.DataFrame,
    identities: pd.DataFrame,
    currencies: pd.DataFrame,
    as_of_date: pd.Timestamp,
) -> pd.DataFrame:
    """Completed orders placed up to the end of the as-of date with their person (by contact_id,
    else user_id, else email) and their total in the reporting currency; unattributed ones left
    out. Columns person_id, ordered_at, revenue."""
    as_of_end = as_of_date + pd.Timedelta(days=1)
    completed = orders[(orders["order_status"] == "completed") & (orders["ordered_at"] < as_of_end)]
    person = (
        person_of(identities, "contact_id", completed["contact_id"])
        .fillna(person_of(identities, "user_id", completed["user_id"]))
        .fillna(person_of(identities, "email", completed["email"]))
    )
    rates = currencies.set_index("currency_code")["units_per_usd"]
    revenue = (
        completed["order_total"].astype(float)
        / completed["currency_code"].map(rates)
        * rates[REPORTING_CURRENCY]
    )
    frame = pd.DataFrame(
        {"person_id": person, "ordered_at": completed["ordered_at"], "revenue": revenue}
    )
    return frame.dropna(subset=["person_id"])
