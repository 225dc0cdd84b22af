"""Meta Custom Audiences: POST (add) and DELETE (remove) /{audience_id}/users with a multi-key
payload of SHA-256 hashes, at most 10,000 rows a request, each request its own upload session.
Audiences are created in the ad account (customer_file_source USER_PROVIDED_ONLY). An answer
counts only with num_received equal to the rows sent."""

from __future__ import annotations

import random
from typing import Any

from pydantic import BaseModel

from orchestration.sync import identifiers as ids
from orchestration.sync.destinations.base import (
    Audience,
    BatchOutcome,
    OneRequestEachWay,
    Prepared,
    RowResult,
    contact_points,
    error_fields_at,
    key,
)

SCHEMA = ["EMAIL", "PHONE", "FN", "LN", "ZIP", "COUNTRY"]
# the columns Meta matches a person by on their own; the others only refine a match
KEYED = {0: "email", 1: "phone"}


class Created(BaseModel):
    id: str | int


class Received(BaseModel):
    num_received: int
    num_invalid_entries: int = 0
    invalid_entry_samples: dict[str, str] = {}


def _hashed(value: str | None) -> str:
    return ids.sha256_hex(value) if value else ""


class MetaAds(OneRequestEachWay):
    platform = "Meta Custom Audiences"
    consent_purpose = "ads_personalization"
    identifiers = ("email", "phone_e164", "first_name", "last_name", "postal_code", "country_code")
    description = (
        "Custom Audience per segment: SHA-256 of the email, phone (E.164 digits), names, "
        "postal code and country, each normalized as Meta documents"
    )
    batch_size = 10_000
    concurrency = 2
    add_operation, remove_operation = "POST", "DELETE"  # the methods of /{audience_id}/users
    error_fields = error_fields_at("error", code="code", message="message")

    def prepare(self, member: dict[str, Any]) -> Prepared:
        country = member.get("country_code")
        email, phone = contact_points(member, phone=ids.meta_phone)
        values = [
            email,
            phone,
            ids.meta_name(member.get("first_name")),
            ids.meta_name(member.get("last_name")),
            ids.meta_postal_code(member.get("postal_code"), country),
            ids.meta_country(country),
        ]
        return Prepared(member["person_id"], {"data": [_hashed(v) for v in values]})

    def keys(self, identity: dict[str, Any]) -> list[str]:
        row = identity["data"]
        return [key(kind, row[column]) for column, kind in KEYED.items() if row[column]]

    def narrowed(self, member: Prepared, held: set[str]) -> Prepared | None:
        """Shared hashes blanked; with any blanked, the name and address columns too, as they
        could match the person who shares them."""
        row = list(member.identity["data"])
        shared = [c for c, kind in KEYED.items() if row[c] and key(kind, row[c]) in held]
        if not shared:
            return member
        free = [c for c in KEYED if row[c] and c not in shared]
        if not free:
            return None
        narrow = [row[c] if c in free else "" for c in range(len(SCHEMA))]
        return Prepared(member.person_id, {"data": narrow}, member.attributes)

    def create_audience(self, segment_name: str) -> str:
        account = self.config.option("ad_account_id")
        if not account:
            raise self.config.error("options.ad_account_id", "the ad account id (act_...)", None)
        created = self.request(
            "POST",
            f"/{account}/customaudiences",
            expect=Created,
            json={
                "name": segment_name,
                "subtype": "CUSTOM",
                "customer_file_source": "USER_PROVIDED_ONLY",
                "description": f"Audience segment {segment_name}, synced by audience-warehouse",
            },
        )
        return str(created.id)

    def send(self, method: str, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        body = {
            "payload": {"schema": SCHEMA, "data": [p.identity["data"] for p in batch]},
            "session": {
                "session_id": random.getrandbits(63),
                "batch_seq": 1,
                "last_batch_flag": True,
                "estimated_num_total": len(batch),
            },
        }
        answer = self.request(
            method,
            f"/{audience.audience_id}/users",
            json=body,
            members=batch,
            expect=Received,
            check=lambda a: (
                None
                if a.num_received == len(batch)
                else f"num_received {a.num_received} of {len(batch)} rows sent"
            ),
        )
        # Meta names invalid rows by their first hash in invalid_entry_samples
        invalid = answer.invalid_entry_samples
        if not invalid:
            return BatchOutcome([RowResult(p.person_id, True) for p in batch])
        rows = []
        for p in batch:
            reason = invalid.get(next((h for h in p.identity["data"] if h), ""))
            rows.append(RowResult(p.person_id, reason is None, reason))
        return BatchOutcome(rows)
