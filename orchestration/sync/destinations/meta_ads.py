"""Meta Custom Audiences: POST (add) and DELETE (remove) /{audience_id}/users with a multi-key
payload of SHA-256 hashes, at most 10,000 rows a request, each request its own upload session.
Audiences are created in the ad account (customer_file_source USER_PROVIDED_ONLY)."""

from __future__ import annotations

import random
from typing import Any

from orchestration.sync import identifiers as ids
from orchestration.sync.destinations.base import (
    Audience,
    BatchOutcome,
    Destination,
    Prepared,
    RowResult,
    contact_points,
)

SCHEMA = ["EMAIL", "PHONE", "FN", "LN", "ZIP", "COUNTRY"]


def _hashed(value: str | None) -> str:
    return ids.sha256_hex(value) if value else ""


class MetaAds(Destination):
    name = "meta_ads"
    batch_size = 10_000
    concurrency = 2

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

    def create_audience(self, segment_name: str) -> str:
        account = self.config.option("ad_account_id")
        if not account:
            raise self.config.error("options.ad_account_id", "the ad account id (act_...)", None)
        response = self.http.request(
            "POST",
            f"/{account}/customaudiences",
            headers=self.bearer_headers(),
            json={
                "name": segment_name,
                "subtype": "CUSTOM",
                "customer_file_source": "USER_PROVIDED_ONLY",
                "description": f"Audience segment {segment_name}, synced by audience-warehouse",
            },
        )
        return str(response.json()["id"])

    def _send(self, method: str, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        body = {
            "payload": {"schema": SCHEMA, "data": [p.identity["data"] for p in batch]},
            "session": {
                "session_id": random.getrandbits(63),
                "batch_seq": 1,
                "last_batch_flag": True,
                "estimated_num_total": len(batch),
            },
        }
        response = self.http.request(
            method, f"/{audience.audience_id}/users", headers=self.bearer_headers(), json=body
        ).json()
        # Meta names invalid rows by their first hash in invalid_entry_samples
        invalid = response.get("invalid_entry_samples") or {}
        rows = []
        for p in batch:
            first = next((h for h in p.identity["data"] if h), "")
            reason = invalid.get(first)
            rows.append(RowResult(p.person_id, reason is None, reason))
        return BatchOutcome(rows)

    def add(self, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        return self._send("POST", audience, batch)

    def remove(
        self, audience: Audience, batch: list[Prepared], refs: dict[str, str]
    ) -> BatchOutcome:
        return self._send("DELETE", audience, batch)
