"""Mailchimp: one audience (list, options.list_id) and a static segment (tag) per segment.
Members are upserted with POST /lists/{list_id} (batch subscribe, 500 a request), then tagged
with POST /lists/{list_id}/segments/{segment_id} members_to_add / members_to_remove (500
each). At most 10 requests at once, as Mailchimp allows. Basic auth with the API key."""

from __future__ import annotations

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


class Mailchimp(Destination):
    name = "mailchimp"
    batch_size = 500
    concurrency = 10

    def auth(self) -> tuple[str, str]:
        return ("audience-warehouse", self.config.secret("api_key"))

    def list_id(self) -> str:
        list_id = self.config.option("list_id")
        if not list_id:
            raise self.config.error("options.list_id", "the Mailchimp audience (list) id", None)
        return str(list_id)

    def prepare(self, member: dict[str, Any]) -> Prepared:
        email, _ = contact_points(member, needs_email=True)
        merge_fields = {
            key: value
            for key, value in (
                ("FNAME", member.get("first_name")),
                ("LNAME", member.get("last_name")),
            )
            if value
        }
        return Prepared(
            member["person_id"], {"email_address": email}, {"merge_fields": merge_fields}
        )

    def create_audience(self, segment_name: str) -> str:
        response = self.http.request(
            "POST",
            f"/lists/{self.list_id()}/segments",
            auth=self.auth(),
            json={"name": segment_name, "static_segment": []},
        )
        return str(response.json()["id"])

    def add(self, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        members = [
            {
                "email_address": p.identity["email_address"],
                "status_if_new": "subscribed",
                "merge_fields": p.attributes["merge_fields"],
            }
            for p in batch
        ]
        upserted = self.http.request(
            "POST",
            f"/lists/{self.list_id()}",
            auth=self.auth(),
            json={"members": members, "update_existing": True},
        ).json()
        errors = {
            e["email_address"]: e.get("error", "rejected") for e in upserted.get("errors", [])
        }
        accepted = [p for p in batch if p.identity["email_address"] not in errors]
        if accepted:
            errors |= self._tag(audience, "members_to_add", accepted)
        return BatchOutcome(_rows(batch, errors))

    def remove(
        self, audience: Audience, batch: list[Prepared], refs: dict[str, str]
    ) -> BatchOutcome:
        return BatchOutcome(_rows(batch, self._tag(audience, "members_to_remove", batch)))

    def _tag(self, audience: Audience, field: str, batch: list[Prepared]) -> dict[str, str]:
        answer = self.http.request(
            "POST",
            f"/lists/{self.list_id()}/segments/{audience.audience_id}",
            auth=self.auth(),
            json={field: [p.identity["email_address"] for p in batch]},
        ).json()
        errors: dict[str, str] = {}
        for error in answer.get("errors", []):
            for email in error.get("email_addresses", []):
                errors[email] = error.get("error", "rejected")
        return errors


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
