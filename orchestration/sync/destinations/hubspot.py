"""HubSpot: contacts upserted by email (POST /crm/v3/objects/contacts/batch/upsert, 100 a
request), then added to the segment's manual list (PUT /crm/v3/lists/{list_id}/memberships/add)
by record id; removals PUT .../memberships/remove. Lists are created as MANUAL contact lists.
Bearer auth with a private app token. Batch answers count only with their documented status
and results (errors listed on a 207)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

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


class CreatedList(BaseModel):
    listId: str | int


class Created(BaseModel):
    list: CreatedList


class Record(BaseModel):
    id: str | int
    properties: dict[str, Any] = {}


class RecordError(BaseModel):
    message: str = "rejected"
    context: dict[str, list[str]] = {}


class BatchAnswer(BaseModel):
    status: str
    results: list[Record]
    errors: list[RecordError] = []


class Memberships(BaseModel):
    recordIdsAdded: list[str | int] | None = None
    recordIdsRemoved: list[str | int] | None = None


def _complete(answer: BatchAnswer) -> str | None:
    return None if answer.status == "COMPLETE" else f"status {answer.status}"


class HubSpot(Destination):
    platform = "HubSpot lists"
    consent_purpose = "email_marketing"
    identifiers = ("email", "first_name", "last_name")
    description = (
        "Contacts upserted by email, then added to or removed from a manual contact list "
        "per segment"
    )
    batch_size = 100
    concurrency = 4
    error_fields = error_fields_at(code="category", message="message")

    def prepare(self, member: dict[str, Any]) -> Prepared:
        email, _ = contact_points(member, needs_email=True)
        names = named(member, "firstname", "lastname")
        return Prepared(member["person_id"], {"email": email}, names)

    def create_audience(self, segment_name: str) -> str:
        body = {"name": segment_name, "objectTypeId": "0-1", "processingType": "MANUAL"}
        created = self.request("POST", "/crm/v3/lists", json=body, expect=Created)
        return str(created.list.listId)

    def add(self, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        inputs = [
            {
                "idProperty": "email",
                "id": p.identity["email"],
                "properties": p.identity | p.attributes,
            }
            for p in batch
        ]
        answer = self.request(
            "POST",
            "/crm/v3/objects/contacts/batch/upsert",
            json={"inputs": inputs},
            members=batch,
            ok_statuses=frozenset({207}),
            expect=BatchAnswer,
            check=_complete,
        )
        record_ids = {r.properties.get("email"): str(r.id) for r in answer.results}
        errors = {}
        for error in answer.errors:
            for email in error.context.get("ids", []):
                errors[email] = error.message
        if record_ids:
            self.request(
                "PUT",
                f"/crm/v3/lists/{audience.audience_id}/memberships/add",
                json=list(record_ids.values()),
                expect=Memberships,
                check=lambda a: None if a.recordIdsAdded is not None else "no recordIdsAdded",
            )
        rows = []
        for p in batch:
            email = p.identity["email"]
            if email in record_ids:
                rows.append(RowResult(p.person_id, True, ref=record_ids[email]))
            else:
                rows.append(
                    RowResult(
                        p.person_id,
                        False,
                        errors.get(email, "not upserted"),
                        is_transient=email not in errors,
                    )
                )
        return BatchOutcome(rows)

    def remove(
        self, audience: Audience, batch: list[Prepared], refs: dict[str, str]
    ) -> BatchOutcome:
        record_ids = [refs[p.person_id] for p in batch if refs.get(p.person_id)]
        # an add that crashed before its answer left no record id: read it by email
        unknown = [p for p in batch if not refs.get(p.person_id)]
        if unknown:
            record_ids += self._read_ids(unknown)
        if record_ids:
            # ids not in the list come back as recordIdsMissing: already removed
            self.request(
                "PUT",
                f"/crm/v3/lists/{audience.audience_id}/memberships/remove",
                json=record_ids,
                expect=Memberships,
                check=lambda a: None if a.recordIdsRemoved is not None else "no recordIdsRemoved",
            )
        return BatchOutcome([RowResult(p.person_id, True) for p in batch])

    def _read_ids(self, members: list[Prepared]) -> list[str]:
        answer = self.request(
            "POST",
            "/crm/v3/objects/contacts/batch/read",
            json={
                "idProperty": "email",
                "inputs": [{"id": p.identity["email"]} for p in members],
                "properties": ["email"],
            },
            members=members,
            ok_statuses=frozenset({207}),
            expect=BatchAnswer,
            check=_complete,
        )
        return [str(r.id) for r in answer.results]
