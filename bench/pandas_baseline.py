"""What an analyst would write instead of the warehouse: RFM scores and the current lifecycle
stage per person, in pandas, from the same raw files and seeds and with the same rules as
int_persons_rfm_scored and int_lifecycle_stages_evaluated (thresholds from dbt_project.yml).

    python bench/pandas_baseline.py --raw <raw folder>

Persons are stitched the simple way: an anonymous id belongs to the user id an identify call
gave it, and an order to its user id or the user id its email was identified with."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# the thresholds the dbt models use, so the two cannot drift apart
VARS = yaml.safe_load((ROOT / "dbt_project.yml").read_text())["vars"]
RFM_WINDOW_DAYS = VARS["rfm_window_days"]
NEW_CUSTOMER_DAYS = VARS["lifecycle_new_customer_days"]
LAPSED_DAYS = VARS["lifecycle_lapsed_days"]
ADVOCATE_MIN_NPS = VARS["lifecycle_advocate_min_nps"]
MAX_CLOCK_SKEW = pd.Timedelta(hours=VARS["max_clock_skew_hours"])


def load(raw: Path, table: str, columns: list[str]) -> pd.DataFrame:
    return pd.read_parquet(raw / table, columns=columns)


def persons_of_events(raw: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Events with a person column, and the map of emails to user ids."""
    times = ["timestamp", "received_at"]
    identifies = load(raw, "identifies", ["anonymous_id", "user_id", "email", *times])
    tracks = load(raw, "tracks", ["anonymous_id", "user_id", "event", *times])
    pages = load(raw, "pages", ["anonymous_id", "user_id", *times])
    events = pd.concat([tracks, pages, identifies.drop(columns="email")], ignore_index=True)
    # device clocks: an event time later than its receipt plus the allowed skew is wrong
    events = events[events.timestamp <= events.received_at + MAX_CLOCK_SKEW]
    known = identifies.dropna(subset=["user_id"])
    by_anonymous = known.dropna(subset=["anonymous_id"]).drop_duplicates("anonymous_id")
    anonymous_to_user = by_anonymous.set_index("anonymous_id")["user_id"]
    emails = known.dropna(subset=["email"]).assign(email=lambda d: d.email.str.strip().str.lower())
    email_to_user = emails.drop_duplicates("email").set_index("email")["user_id"]
    events["person"] = events.user_id.fillna(events.anonymous_id.map(anonymous_to_user))
    events["person"] = events.person.fillna("anonymous:" + events.anonymous_id)
    return events, email_to_user


def completed_orders(raw: Path, email_to_user: pd.Series) -> pd.DataFrame:
    columns = ["order_id", "user_id", "email", "ordered_at", "status", "total", "currency"]
    orders = load(raw, "orders", [*columns, "updated_at"])
    orders = orders.sort_values("updated_at").drop_duplicates("order_id", keep="last")
    email = orders.email.str.strip().str.lower()
    orders["person"] = orders.user_id.fillna(email.map(email_to_user))
    orders = orders[(orders.status == "completed") & orders.person.notna()].copy()
    rates = pd.read_csv(SEEDS / "currencies.csv").set_index("currency_code")["units_per_usd"]
    orders["total_usd"] = pd.to_numeric(orders.total, errors="coerce") / orders.currency.map(rates)
    orders["ordered_at"] = pd.to_datetime(orders.ordered_at, utc=True, errors="coerce")
    orders["order_date"] = orders.ordered_at.dt.normalize()
    return orders.dropna(subset=["total_usd", "ordered_at"])


def rfm(orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    in_window = orders.ordered_at >= as_of + pd.Timedelta(days=1 - RFM_WINDOW_DAYS)
    windowed = orders.assign(in_window=in_window, spend=orders.total_usd.where(in_window, 0))
    customers = windowed.groupby("person").agg(
        last_order=("order_date", "max"), frequency=("in_window", "sum"), monetary=("spend", "sum")
    )
    customers["recency_days"] = (as_of - customers.last_order).dt.days
    active = customers.frequency > 0
    for name, column, ascending in (
        ("recency_score", "recency_days", False),
        ("frequency_score", "frequency", True),
        ("monetary_score", "monetary", True),
    ):
        worse = customers.loc[active, column].rank(method="min", ascending=ascending) - 1
        customers[name] = 1
        customers.loc[active, name] = 1 + np.floor(5 * worse / active.sum()).astype(int)
    segments = pd.read_csv(SEEDS / "rfm_segments.csv").sort_values("priority")
    customers["rfm_segment"] = None
    for segment in segments.itertuples():
        matches = customers.rfm_segment.isna()
        for score in ("recency", "frequency", "monetary"):
            value = customers[f"{score}_score"]
            bounds = getattr(segment, f"{score}_score_min"), getattr(segment, f"{score}_score_max")
            matches &= value.between(*bounds)
        customers.loc[matches, "rfm_segment"] = segment.rfm_segment
    return customers


def lifecycle(events: pd.DataFrame, orders: pd.DataFrame, raw: Path, as_of: pd.Timestamp):
    persons = events.groupby("person").agg(first_seen=("timestamp", "min"))
    persons["is_known"] = ~persons.index.str.startswith("anonymous:")
    advocated = set(events.person[events.event.isin(["referral_sent", "review_submitted"])])
    surveys = load(raw, "survey_responses", ["user_id", "question_id", "answer"])
    nps = pd.to_numeric(surveys.answer.where(surveys.question_id == "nps"), errors="coerce")
    advocated |= set(surveys.user_id[nps >= ADVOCATE_MIN_NPS].dropna())
    persons["has_advocated"] = persons.index.isin(list(advocated))
    bought = orders.groupby("person").agg(
        orders=("order_id", "count"),
        first_order=("order_date", "min"),
        last_order=("order_date", "max"),
    )
    persons = persons.join(bought, how="outer")
    persons["orders"] = persons.orders.fillna(0)
    persons["is_known"] = persons.is_known.fillna(True)
    persons["has_advocated"] = persons.has_advocated.fillna(False)
    stage = np.select(
        [
            (persons.orders == 0) & persons.is_known,
            persons.orders == 0,
            (as_of - persons.last_order).dt.days > LAPSED_DAYS,
            (persons.orders >= 2) & persons.has_advocated,
            persons.orders >= 2,
            (as_of - persons.first_order).dt.days <= NEW_CUSTOMER_DAYS,
        ],
        ["Prospect", "Anonymous Visitor", "Lapsed", "Advocate", "Repeat Buyer", "New Customer"],
        default="One-Time Buyer",
    )
    return persons.assign(lifecycle_stage=stage)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, required=True)
    args = parser.parse_args()
    events, email_to_user = persons_of_events(args.raw)
    orders = completed_orders(args.raw, email_to_user)
    as_of = events.timestamp.max().normalize()
    scores = rfm(orders, as_of)
    stages = lifecycle(events, orders, args.raw, as_of)
    print("customers", len(scores), "persons", len(stages))
    print(stages.lifecycle_stage.value_counts().to_string())


if __name__ == "__main__":
    main()
