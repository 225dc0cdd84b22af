"""A generic webhook: JSON batches of adds and removes POSTed to base_url, signed with
HMAC-SHA256 over `<timestamp>.<body>` (header X-Audience-Signature: sha256=<hex>, with
X-Audience-Timestamp). The Idempotency-Key header is derived from the batch, so a retried
request carries the same key. The receiver may answer {"rejected": [{"person_id", "error",
"transient"}]} for members it refused."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from orchestration.sync.destinations.base import (
    Audience,
    BatchOutcome,
    Destination,
    Prepared,
    RowResult,
    contact_points,
)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class Webhook(Destination):
    name = "webhook"
    batch_size = 1_000
    concurrency = 4
    creates_audiences = False

    def prepare(self, member: dict[str, Any]) -> Prepared:
        email, phone = contact_points(member)
        attributes = {"email": email, "phone_e164": phone}
        attributes |= {k: member.get(k) for k in ("first_name", "last_name")}
        return Prepared(member["person_id"], {"person_id": member["person_id"]}, attributes)

    def audience(self, segment_name: str, known_id: str | None) -> Audience:
        return Audience(segment_name, self.config.audiences.get(segment_name, segment_name))

    def _post(self, operation: str, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        members = [p.identity | (p.attributes if operation == "add" else {}) for p in batch]
        body = json.dumps(
            {"audience": audience.audience_id, "operation": operation, "members": members},
            sort_keys=True,
        ).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "Idempotency-Key": hashlib.sha256(body).hexdigest(),
            "X-Audience-Timestamp": timestamp,
            "X-Audience-Signature": signature(
                self.config.secret("signing_secret"), timestamp, body
            ),
        }
        response = self.http.request("POST", "", headers=headers, data=body)
        answer = response.json() if response.content else {}
        rejected = {r["person_id"]: r for r in answer.get("rejected", [])}
        return BatchOutcome(
            [
                RowResult(p.person_id, True)
                if p.person_id not in rejected
                else RowResult(
                    p.person_id,
                    False,
                    rejected[p.person_id].get("error", "rejected"),
                    bool(rejected[p.person_id].get("transient")),
                )
                for p in batch
            ]
        )

    def add(self, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        return self._post("add", audience, batch)

    def remove(
        self, audience: Audience, batch: list[Prepared], refs: dict[str, str]
    ) -> BatchOutcome:
        return self._post("remove", audience, batch)
