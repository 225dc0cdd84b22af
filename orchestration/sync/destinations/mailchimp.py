"""Mailchimp: one audience (list, options.list_id) and a static segment (tag) per segment.
Members are upserted with POST /lists/{list_id} (batch subscribe, 500 a request), then tagged
with POST /lists/{list_id}/segments/{segment_id} members_to_add / members_to_remove (500
each). At most 10 requests at once, as Mailchimp allows. Basic auth with the API key. Answers
count only with their documented lists and counts (new, updated and errored members)."""

from __future__ import annotations

import base64
from typing import Any

from pydantic import BaseModel

from orchestration.sync import identifiers as ids
from orchestration.sync.destinations.base import (
    Audience,
    BatchOutcome,
    Destination,
    Prepared,
    RowResult,
    contact_points,
    error_fields_at,
    named,
)


class Created(BaseModel):
    id: str | int


class MemberError(BaseModel):
    email_address: str
    error: str = "rejected"


class Subscribed(BaseModel):
    new_members: list[dict[str, Any]]
    updated_members: list[dict[str, Any]]
    errors: list[MemberError]
    error_count: int


class TagError(BaseModel):
    email_addresses: list[str] = []
    error: str = "rejected"


class Tagged(BaseModel):
    errors: list[TagError]
    total_added: int = 0
    total_removed: int = 0
    error_count: int


def _counted(answer: Subscribed | Tagged) -> str | None:
    return None if answer.error_count == len(answer.errors) else "error_count is not the errors"


class Mailchimp(Destination):
    platform = "Mailchimp audience tags"
    consent_purpose = "email_marketing"
    identifiers = ("email", "first_name", "last_name")
    description = (
        "One Mailchimp audience, a static segment (tag) per segment; members addressed by "
        "the MD5 of the lowercased email"
    )
    batch_size = 500
    concurrency = 10
    error_fields = error_fields_at(code="title", message="detail")

    def headers(self) -> dict[str, str]:
        pair = f"audience-warehouse:{self.config.secret('api_key')}"
        return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}

    def list_id(self) -> str:
        list_id = self.config.option("list_id")
        if not list_id:
            raise self.config.error("options.list_id", "the Mailchimp audience (list) id", None)
        return str(list_id)

    def prepare(self, member: dict[str, Any]) -> Prepared:
        email, _ = contact_points(member, needs_email=True)
        merge_fields = named(member, "FNAME", "LNAME")
        return Prepared(
            member["person_id"], {"email_address": email}, {"merge_fields": merge_fields}
        )

    def create_audience(self, segment_name: str) -> str:
        created = self.request(
            "POST",
            f"/lists/{self.list_id()}/segments",
            json={"name": segment_name, "static_segment": []},
            expect=Created,
        )
        return str(created.id)

    def add(self, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        members = [
            {
                "email_address": p.identity["email_address"],
                "status_if_new": "subscribed",
                "merge_fields": p.attributes["merge_fields"],
            }
            for p in batch
        ]
        upserted = self.request(
            "POST",
            f"/lists/{self.list_id()}",
            json={"members": members, "update_existing": True},
            members=batch,
            expect=Subscribed,
            check=_counted,
        )
        errors = {e.email_address: e.error for e in upserted.errors}
        accepted = [p for p in batch if p.identity["email_address"] not in errors]
        if accepted:
            errors |= self._tag(audience, "members_to_add", accepted)
        return BatchOutcome(_rows(batch, errors))

    def remove(
        self, audience: Audience, batch: list[Prepared], refs: dict[str, str]
    ) -> BatchOutcome:
        return BatchOutcome(_rows(batch, self._tag(audience, "members_to_remove", batch)))

    def _tag(self, audience: Audience, field: str, batch: list[Prepared]) -> dict[str, str]:
        answer = self.request(
            "POST",
            f"/lists/{self.list_id()}/segments/{audience.audience_id}",
            json={field: [p.identity["email_address"] for p in batch]},
            members=batch,
            expect=Tagged,
            check=_counted,
        )
        return {email: error.error for error in answer.errors for email in error.email_addresses}


def _rows(batch: list[Prepared], errors: dict[str, str]) -> list[RowResult]:
    """Each member's answer; a confirmed one keeps its Mailchimp member id (subscriber hash)."""
    rows = []
    for p in batch:
        email = p.identity["email_address"]
        if email in errors:
            rows.append(RowResult(p.person_id, False, errors[email]))
        else:
            rows.append(RowResult(p.person_id, True, ref=ids.mailchimp_subscriber_hash(email)))
    return rows
