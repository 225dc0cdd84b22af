"""Klaviyo: a list per segment. Adds go through a profile bulk import job related to the list
(created, polled until complete, then its import errors and profiles read back, which gives
each member's profile id); removals delete list relationships by profile id, 1,000 a call.
Header auth (Klaviyo-API-Key) with a pinned API revision. Answers are read as the JSON:API
documents Klaviyo documents; pages are followed only on the configured host."""

from __future__ import annotations

import time
from collections.abc import Iterator
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
from orchestration.sync.errors import DestinationUnavailable

REVISION = "2025-10-15"
JSON_API = "application/vnd.api+json"


class Resource(BaseModel):
    id: str
    attributes: dict[str, Any] = {}


class Document(BaseModel):
    data: Resource


class Links(BaseModel):
    next: str | None = None


class Page(BaseModel):
    data: list[Resource]
    links: Links = Links()


class Klaviyo(Destination):
    platform = "Klaviyo lists"
    consent_purpose = "email_marketing"
    identifiers = ("email", "phone_e164")
    description = (
        "Klaviyo list per segment: profiles imported by email (and phone), then related to the list"
    )
    batch_size = 1_000
    concurrency = 3
    error_fields = error_fields_at("errors", 0, code="code", message="detail")

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Klaviyo-API-Key {self.config.secret('api_key')}",
            "revision": REVISION,
            "accept": JSON_API,
            "content-type": JSON_API,
        }

    def prepare(self, member: dict[str, Any]) -> Prepared:
        email, phone = contact_points(member)
        identity = {k: v for k, v in (("email", email), ("phone_number", phone)) if v}
        return Prepared(member["person_id"], identity, named(member, "first_name", "last_name"))

    def create_audience(self, segment_name: str) -> str:
        body = {"data": {"type": "list", "attributes": {"name": segment_name}}}
        created = self.request("POST", "/api/lists", json=body, expect=Document)
        return created.data.id

    def add(self, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        profiles = [{"type": "profile", "attributes": p.identity | p.attributes} for p in batch]
        body = {
            "data": {
                "type": "profile-bulk-import-job",
                "attributes": {"profiles": {"data": profiles}},
                "relationships": {
                    "lists": {"data": [{"type": "list", "id": audience.audience_id}]}
                },
            }
        }
        job = self.request(
            "POST",
            "/api/profile-bulk-import-jobs",
            json=body,
            members=batch,
            expect=Document,
        ).data.id
        self._wait(job)
        errors = {}
        for error in self._pages(f"/api/profile-bulk-import-jobs/{job}/import-errors", batch):
            payload = error.attributes.get("original_payload") or {}
            errors[_match_key(payload)] = error.attributes.get("detail", "rejected")
        refs = {
            _match_key(profile.attributes): profile.id
            for profile in self._pages(f"/api/profile-bulk-import-jobs/{job}/profiles", batch)
        }
        rows = []
        for p in batch:
            key = _match_key(p.identity)
            if key in errors:
                rows.append(RowResult(p.person_id, False, errors[key]))
            elif key in refs:
                rows.append(RowResult(p.person_id, True, ref=refs[key]))
            else:
                rows.append(
                    RowResult(p.person_id, False, "not in the import job", is_transient=True)
                )
        return BatchOutcome(rows)

    def remove(
        self, audience: Audience, batch: list[Prepared], refs: dict[str, str]
    ) -> BatchOutcome:
        known = [p for p in batch if refs.get(p.person_id)]
        if known:
            self._unrelate(audience, [refs[p.person_id] for p in known])
        # an add that crashed before its answer left no profile id: look the profile up
        unknown = [self._remove_by_lookup(audience, p) for p in batch if not refs.get(p.person_id)]
        return BatchOutcome([RowResult(p.person_id, True) for p in known] + unknown)

    def _unrelate(self, audience: Audience, profile_ids: list[str]) -> None:
        self.request(
            "DELETE",
            f"/api/lists/{audience.audience_id}/relationships/profiles",
            json={"data": [{"type": "profile", "id": profile_id} for profile_id in profile_ids]},
            check=lambda answer: None if answer.status == 204 else "204 No Content expected",
        )

    def _remove_by_lookup(self, audience: Audience, member: Prepared) -> RowResult:
        field, value = next(iter(member.identity.items()))
        found = self.request(
            "GET",
            "/api/profiles",
            params={"filter": f'equals({field},"{value}")'},
            members=[member],
            expect=Page,
        ).data
        if found:
            self._unrelate(audience, [profile.id for profile in found])
        return RowResult(member.person_id, True)

    def _wait(self, job: str) -> None:
        poll = float(self.config.option("poll_seconds", 1.0))
        for _ in range(int(self.config.option("poll_attempts", 600))):
            status = self.request(
                "GET",
                f"/api/profile-bulk-import-jobs/{job}",
                expect=Document,
            ).data.attributes.get("status")
            if status == "complete":
                return
            if status in ("failed", "cancelled"):
                raise DestinationUnavailable(f"klaviyo: import job {job} {status}")
            time.sleep(poll)
        raise DestinationUnavailable(f"klaviyo: import job {job} did not complete")

    def _pages(self, path: str, batch: list[Prepared]) -> Iterator[Resource]:
        url: str | None = path
        while url:
            page = self.request("GET", url, members=batch, expect=Page)
            yield from page.data
            url = page.links.next


def _match_key(attributes: dict[str, Any]) -> str:
    """What Klaviyo identifies a profile by: its email, else its phone number."""
    return attributes.get("email") or "phone:" + (attributes.get("phone_number") or "")
