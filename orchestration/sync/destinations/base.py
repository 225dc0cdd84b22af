"""What a destination module provides: how a member is prepared for the platform, how an
audience is found or created there, and how batches are added and removed."""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

from orchestration.sync import identifiers as ids
from orchestration.sync.config import DestinationConfig
from orchestration.sync.http import HttpClient


class InvalidMember(ValueError):
    """The member has no identifier the platform can match on, once normalized."""


@dataclass(frozen=True)
class Prepared:
    """A member as the platform receives it. `identity` decides which record at the destination
    the member is (what a removal must name); `attributes` are sent along (names, merge
    fields). Both are JSON-able; fingerprints are their SHA-256."""

    person_id: str
    identity: dict[str, Any]
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def identity_fingerprint(self) -> str:
        return _fingerprint(self.identity)

    @property
    def fingerprint(self) -> str:
        return _fingerprint({"identity": self.identity, "attributes": self.attributes})

    def payload(self) -> str:
        return json.dumps(
            {"identity": self.identity, "attributes": self.attributes}, sort_keys=True
        )

    @classmethod
    def from_payload(cls, person_id: str, payload: str) -> Prepared:
        data = json.loads(payload)
        return cls(person_id, data["identity"], data["attributes"])


def _fingerprint(value: dict) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


def contact_points(
    member: dict[str, Any], email=ids.normalize_email, phone=ids.e164_phone, needs_email=False
) -> tuple[str | None, str | None]:
    """The member's email and phone as the platform wants them (`email` and `phone` normalize);
    InvalidMember when neither (or no email, where the platform needs one) is valid."""
    valid_email = email(member.get("email"))
    valid_phone = phone(member.get("phone_e164"), member.get("country_code"))
    if needs_email and not valid_email:
        raise InvalidMember("no valid email")
    if not valid_email and not valid_phone:
        raise InvalidMember("neither a valid email nor a valid phone")
    return valid_email, valid_phone


@dataclass(frozen=True)
class RowResult:
    """The destination's answer for one member of a batch. `ref` is the platform's id for the
    record when it has one (a removal sends it back); a failed row says whether trying again
    may succeed."""

    person_id: str
    is_ok: bool
    error: str | None = None
    is_transient: bool = False
    ref: str | None = None


@dataclass(frozen=True)
class Audience:
    """The segment's audience at the destination."""

    segment_name: str
    audience_id: str


@dataclass
class BatchOutcome:
    """The answers for a batch, one per member."""

    rows: list[RowResult]


class Destination(ABC):
    """One platform. Subclasses set the documented limits and implement the calls; adding and
    removing must be safe to repeat (the engine resends whatever it is unsure of)."""

    name: ClassVar[str]
    batch_size: ClassVar[int]
    concurrency: ClassVar[int] = 1
    creates_audiences: ClassVar[bool] = True

    def __init__(self, config: DestinationConfig, http: HttpClient):
        self.config = config
        self.http = http

    def bearer_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.config.secret('access_token')}"}

    @abstractmethod
    def prepare(self, member: dict[str, Any]) -> Prepared:
        """The member (a row of the export model) as sent; InvalidMember when nothing the
        platform matches on is valid."""

    def audience(self, segment_name: str, known_id: str | None) -> Audience:
        """The segment's audience: the configured id, the one created earlier, or a new one."""
        configured = self.config.audiences.get(segment_name)
        if configured or known_id:
            return Audience(segment_name, configured or known_id)
        if not self.creates_audiences:
            raise self.config.error(
                f"audiences.{segment_name}", "an audience id for the segment", "none"
            )
        return Audience(segment_name, self.create_audience(segment_name))

    def create_audience(self, segment_name: str) -> str:
        raise NotImplementedError

    @abstractmethod
    def add(self, audience: Audience, batch: list[Prepared]) -> BatchOutcome: ...

    @abstractmethod
    def remove(
        self, audience: Audience, batch: list[Prepared], refs: dict[str, str]
    ) -> BatchOutcome:
        """Remove `batch`; `refs` holds the platform ids the adds returned, by person."""

    def finish(self, audience: Audience) -> None:  # noqa: B027 - most platforms need nothing
        """Called once a run's batches are all confirmed."""
