"""What a destination module provides: how a member is prepared for the platform, how an
audience is found or created there, and how batches are added and removed."""

from __future__ import annotations

import hashlib
import json
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
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
    # set by Destination.prepare_row: the platform keys the identity occupies, and the
    # fingerprint of the export row it was prepared from
    keys: tuple[str, ...] = ()
    source_fingerprint: str | None = None

    def _derived(self) -> tuple[str, str, str, str, str]:
        """(identity JSON, attributes JSON, payload, identity fingerprint, fingerprint),
        computed once. Kept in the instance's __dict__ by hand: functools.cached_property takes
        a lock per access, which shows at a million members."""
        derived = self.__dict__.get("_cache")
        if derived is None:
            identity_json, attributes_json = (
                _JSON.encode(self.identity),
                _JSON.encode(self.attributes),
            )
            payload = _payload(attributes_json, identity_json)
            derived = (identity_json, attributes_json, payload, _sha256(identity_json))
            derived += (_sha256(payload),)
            self.__dict__["_cache"] = derived
        return derived

    @property
    def identity_fingerprint(self) -> str:
        return self._derived()[3]

    @property
    def payload(self) -> str:
        """What is stored as sent: the JSON of {"attributes", "identity"} with sorted keys."""
        return self._derived()[2]

    @property
    def fingerprint(self) -> str:
        return self._derived()[4]

    def packed(self) -> tuple:
        """The member as strings, with what it derives, to cross a process boundary cheaply
        (pickling strings is several times faster than the nested dicts; see unpacked)."""
        return (self.person_id, self.keys, self.source_fingerprint, *self._derived())

    @classmethod
    def unpacked(cls, packed: tuple) -> Prepared:
        person_id, keys, source, identity_json, attributes_json, *rest = packed
        attributes = json.loads(attributes_json) if attributes_json != "{}" else {}
        member = cls(person_id, json.loads(identity_json), attributes, keys, source)
        member.__dict__["_cache"] = (identity_json, attributes_json, *rest)
        return member

    @classmethod
    def from_payload(cls, person_id: str, payload: str) -> Prepared:
        """What was sent, as the state stored it; ValueError when it cannot be read."""
        try:
            data = json.loads(payload)
            identity, attributes = data["identity"], data["attributes"]
        except (TypeError, KeyError, ValueError) as error:
            raise ValueError(f"unreadable payload ({type(error).__name__})") from None
        if not isinstance(identity, dict) or not isinstance(attributes, dict):
            raise ValueError("unreadable payload (not an identity and attributes)")
        return cls(person_id, identity, attributes)


_HEX64 = re.compile(r"[0-9a-f]{64}")
# one encoder for every member: json.dumps(..., sort_keys=True) builds a new one per call
_JSON = json.JSONEncoder(sort_keys=True)


def _payload(attributes_json: str, identity_json: str) -> str:
    """What was sent, as stored: the JSON of {"attributes", "identity"} with sorted keys."""
    return f'{{"attributes": {attributes_json}, "identity": {identity_json}}}'


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def key(kind: str, value: Any) -> str:
    """A platform key: what the platform recognises a record by, as stored in sync_state.keys
    (hashed, so equal keys compare cheaply whatever they hold)."""
    if isinstance(value, str) and _HEX64.fullmatch(value):
        return f"{kind}:{value[:32]}"  # hashed already (the ad platforms' identifiers)
    text = value if isinstance(value, str) else _JSON.encode(value)
    return f"{kind}:{_sha256(text)[:32]}"


def ref_key(ref: str) -> str:
    """The key of a platform record id (the warehouse writes it the same way: 'ref:' || ref)."""
    return f"ref:{ref}"


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


def named(member: dict[str, Any], first: str, last: str) -> dict[str, str]:
    """The member's first and last names under the platform's field names (`first`, `last`),
    those that are set."""
    names = {first: member.get("first_name"), last: member.get("last_name")}
    return {name: value for name, value in names.items() if value}


def error_fields_at(*path: str | int, code: str, message: str) -> staticmethod:
    """A Destination.error_fields that reads the code and the message from the object at `path`
    in the answer's body (keys and list indexes, outermost first)."""

    def error_fields(body: Any) -> tuple[Any, Any]:
        for step in path:
            body = body[step]
        return body.get(code), body.get(message)

    return staticmethod(error_fields)


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


# the columns of every export model (exports.exp_<destination>), in order: its contract
EXPORT_COLUMNS = (
    "segment_name", "person_id", "email", "phone_e164", "first_name", "last_name",
    "postal_code", "country_code",
)  # fmt: skip
# the consents a destination may require (int_segment_members_screened reads each one)
CONSENT_PURPOSES = ("ads_personalization", "email_marketing")


class Destination(ABC):
    """One platform. Subclasses set the documented limits and implement the calls; adding and
    removing must be safe to repeat (the engine resends whatever it is unsure of).

    A destination is its module: orchestration/sync/destinations/<name>.py holds one concrete
    subclass, whose `name` is the module's name (set when the package discovers it). What dbt
    knows of it (its row of seeds/destinations.csv, its export model exports.exp_<name> and
    that model's contract) is written from the class attributes below by
    `python -m orchestration.sync.destinations`."""

    name: ClassVar[str]
    # what the seed and the export model's documentation say of the destination
    platform: ClassVar[str]  # the platform and the object synced, e.g. "Meta Custom Audiences"
    consent_purpose: ClassVar[str]  # one of CONSENT_PURPOSES: who may be sent
    identifiers: ClassVar[tuple[str, ...]]  # the EXPORT_COLUMNS the platform matches on
    description: ClassVar[str]  # how identifiers are prepared and sent, in a sentence
    batch_size: ClassVar[int]
    concurrency: ClassVar[int] = 1
    creates_audiences: ClassVar[bool] = True
    uses_http: ClassVar[bool] = True
    # raised whenever `prepare` changes what it makes of the same row, so every member is
    # prepared again (the state compares source rows by this version and their content)
    prepare_version: ClassVar[int] = 1

    def __init__(self, config: DestinationConfig, http: HttpClient | None):
        self.config = config
        self.http = http

    @staticmethod
    def error_fields(body: Any) -> tuple[Any, Any]:
        """The platform's documented error code and message in an error answer's body."""
        return None, None

    def prepare_row(self, row: dict[str, Any], source_fingerprint: str | None = None) -> Prepared:
        """`prepare`, with the member's platform keys and the export row's fingerprint."""
        prepared = self.prepare(row)
        keys = tuple(self.keys(prepared.identity))
        return Prepared(
            prepared.person_id, prepared.identity, prepared.attributes, keys, source_fingerprint
        )

    def keys(self, identity: dict[str, Any]) -> list[str]:
        """The platform keys a member's identity occupies; by default one per field of a flat
        identity (an email, a phone, a person id)."""
        return [key(name, value) for name, value in identity.items() if value]

    def narrowed(self, member: Prepared, held: set[str]) -> Prepared | None:
        """The removal of `member` limited to the keys no staying member holds (`held`); None
        when nothing is left to remove. By default the fields whose keys are free."""
        free = {n: v for n, v in member.identity.items() if v and key(n, v) not in held}
        return replace(member, identity=free) if free else None

    def headers(self) -> dict[str, str]:
        """What authenticates a request to the platform: by default its access token as a bearer
        token."""
        return {"Authorization": f"Bearer {self.config.secret('access_token')}"}

    def request(self, method: str, path: str, **options: Any) -> Any:
        """A request to the platform with its authentication (`headers`); the options and the
        answer are HttpClient.request's."""
        return self.http.request(method, path, headers=self.headers(), **options)

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


class OneRequestEachWay(Destination):
    """A platform that adds and removes a batch with the same request but for the operation it
    names (`add_operation`, `remove_operation`: a method, a verb of the path, a field)."""

    add_operation: ClassVar[str]
    remove_operation: ClassVar[str]

    @abstractmethod
    def send(self, operation: str, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        """Send `batch` to the audience as `operation`."""

    def add(self, audience: Audience, batch: list[Prepared]) -> BatchOutcome:
        return self.send(self.add_operation, audience, batch)

    def remove(
        self, audience: Audience, batch: list[Prepared], refs: dict[str, str]
    ) -> BatchOutcome:
        return self.send(self.remove_operation, audience, batch)
