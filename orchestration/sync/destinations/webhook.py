"""A generic webhook: JSON batches of adds and removes POSTed to base_url, signed with
HMAC-SHA256 over `<timestamp>.<body>` (header X-Audience-Signature: sha256=<hex>, with
X-Audience-Timestamp). The Idempotency-Key header is derived from the batch, so a retried
request carries the same key.

The receiver acknowledges a batch with a 2xx and the JSON body
`{"received": <members in the batch>, "rejected": [{"person_id", "error", "transient"}]}`
(`rejected` optional: members it refused). Any other answer is not an acknowledgement: the
batch is sent again."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from pydantic import BaseModel

from orchestration.sync.destinations.base import (
    Audience,
    BatchOutcome,
    OneRequestEachWay,
    Prepared,
    RowResult,
    contact_points,
    error_fields_at,
)


class Rejected(BaseModel):
    person_id: str
    error: str = "rejected"
    transient: bool = False


class Acknowledged(BaseModel):
    received: int
    rejected: list[Rejected] = []


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class Webhook(OneRequestEachWay):
    platform = "Webhook"
    consent_purpose = "email_marketing"
    identifiers = ("email", "phone_e164")
    description = "JSON batches of adds and removes POSTed to an endpoint, signed with HMAC-SHA256"
    batch_size = 1_000
    concurrency = 4
    creates_audiences = False
    add_operation, remove_operation = "add", "remove"  # the body's "operation"
    error_fields = error_fields_at(code="code", message="error")

    def prepare(self, member: dict[str, Any]) -> Prepared:
        email, phone = contact_points(member)
        attributes = {"email": email, "phone_e164": phone}
        attributes |= {k: member.get(k) for k in ("first_name", "last_name")}
        return Prepared(member["person_id"], {"person_id": member["person_id"]}, attributes)

    def audience(self, segment_name: str, known_id: str | None) -> Audience:
        return Audience(segment_name, self.config.audiences.get(segment_name, segment_name))

    def send(self, operation: str, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
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
        sent = {p.person_id for p in batch}
        answer = self.http.request(
            "POST",
            "",
            headers=headers,
            data=body,
            members=batch,
            expect=Acknowledged,
            check=lambda a: _acknowledges(a, sent),
        )
        rejected = {r.person_id: r for r in answer.rejected}
        return BatchOutcome(
            [
                RowResult(p.person_id, True)
                if p.person_id not in rejected
                else RowResult(
                    p.person_id,
                    False,
                    rejected[p.person_id].error,
                    rejected[p.person_id].transient,
                )
                for p in batch
            ]
        )


def _acknowledges(answer: Acknowledged, sent: set[str]) -> str | None:
    if answer.received != len(sent):
        return f"received {answer.received} of {len(sent)} members sent"
    if any(r.person_id not in sent for r in answer.rejected):
        return "rejected members that were not sent"
    return None
