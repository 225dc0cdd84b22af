"""Google Customer Match through the Data Manager API: audienceMembers:ingest and
audienceMembers:remove, at most 10,000 members a request, identifiers SHA-256 hex (HEX
encoding). The Customer Match list of each segment is configured (audiences), as the API does
not create lists. A success answers a requestId. A request the API refuses for some members
(INVALID_ARGUMENT with google.rpc.BadRequest field violations naming audience_members[i]) is
sent again without them; any other refusal fails the batch."""

from __future__ import annotations

import re
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
from orchestration.sync.errors import DestinationError

MEMBER_INDEX = re.compile(r"audience_?[mM]embers\[(\d+)\]")
KINDS = {"emailAddress": "email", "phoneNumber": "phone", "address": "address"}


class Accepted(BaseModel):
    requestId: str


class Violation(BaseModel):
    field: str = ""
    description: str = "invalid"


class Detail(BaseModel):
    fieldViolations: list[Violation] = []


class Status(BaseModel):
    details: list[Detail] = []


class Refusal(BaseModel):
    error: Status


class GoogleAds(OneRequestEachWay):
    platform = "Google Customer Match"
    consent_purpose = "ads_personalization"
    identifiers = ("email", "phone_e164", "first_name", "last_name", "postal_code", "country_code")
    description = (
        "Customer Match list per segment through the Data Manager API: SHA-256 of the "
        "email (Gmail dots and +suffix removed) and of the phone in E.164, names and "
        "postal address"
    )
    batch_size = 10_000
    concurrency = 10
    creates_audiences = False
    add_operation, remove_operation = "ingest", "remove"  # the verbs of audienceMembers:<verb>
    error_fields = error_fields_at("error", code="status", message="message")

    def prepare(self, member: dict[str, Any]) -> Prepared:
        country = member.get("country_code")
        email, phone = contact_points(member, email=ids.google_email)
        identifiers: list[dict[str, Any]] = []
        if email:
            identifiers.append({"emailAddress": ids.sha256_hex(email)})
        if phone:
            identifiers.append({"phoneNumber": ids.sha256_hex(phone)})
        given, family = (
            ids.google_name(member.get("first_name")),
            ids.google_name(member.get("last_name")),
        )
        if given and family and country and member.get("postal_code"):
            identifiers.append(
                {
                    "address": {
                        "givenName": ids.sha256_hex(given),
                        "familyName": ids.sha256_hex(family),
                        "regionCode": country.upper(),
                        "postalCode": member["postal_code"],
                    }
                }
            )
        return Prepared(member["person_id"], {"userIdentifiers": identifiers})

    def keys(self, identity: dict[str, Any]) -> list[str]:
        return [_identifier_key(i) for i in identity["userIdentifiers"]]

    def narrowed(self, member: Prepared, held: set[str]) -> Prepared | None:
        identifiers = member.identity["userIdentifiers"]
        free = [i for i in identifiers if _identifier_key(i) not in held]
        if len(free) == len(identifiers):
            return member
        return Prepared(member.person_id, {"userIdentifiers": free}) if free else None

    def _destination(self, audience: Audience) -> dict[str, Any]:
        account = self.config.option("operating_account_id")
        if not account:
            raise self.config.error(
                "options.operating_account_id", "the Google Ads customer id", None
            )
        return {
            "operatingAccount": {"accountType": "GOOGLE_ADS", "accountId": str(account)},
            "productDestinationId": audience.audience_id,
        }

    def send(self, verb: str, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        rejected: dict[str, str] = {}
        remaining = batch
        while remaining:
            body: dict[str, Any] = {
                "destinations": [self._destination(audience)],
                "audienceMembers": [{"userData": p.identity} for p in remaining],
                "encoding": "HEX",
            }
            if verb == "ingest":
                body["consent"] = {
                    "adUserData": "CONSENT_GRANTED",
                    "adPersonalization": "CONSENT_GRANTED",
                }
                body["termsOfService"] = {"customerMatchTermsOfServiceStatus": "ACCEPTED"}
            try:
                self.request(
                    "POST",
                    f"/audienceMembers:{verb}",
                    json=body,
                    members=remaining,
                    expect=Accepted,
                )
                break
            except DestinationError as error:
                violations = _violations(error)
                if not violations:
                    raise
                for index, description in violations.items():
                    if index < len(remaining):
                        rejected[remaining[index].person_id] = description
                remaining = [p for p in remaining if p.person_id not in rejected]
        rows = [
            RowResult(p.person_id, p.person_id not in rejected, rejected.get(p.person_id))
            for p in batch
        ]
        return BatchOutcome(rows)


def _identifier_key(identifier: dict[str, Any]) -> str:
    ((field, value),) = identifier.items()
    return key(KINDS.get(field, field), value)


def _violations(error: DestinationError) -> dict[int, str]:
    """audience_members[i] -> description, from a google.rpc.BadRequest 400; empty for any
    other refusal (whatever shape its body has)."""
    if error.status != 400:
        return {}
    try:
        refusal = Refusal.model_validate(error.body)
    except ValueError:
        return {}
    found: dict[int, str] = {}
    for detail in refusal.error.details:
        for violation in detail.fieldViolations:
            match = MEMBER_INDEX.search(violation.field)
            if match:
                found[int(match.group(1))] = violation.description
    return found
