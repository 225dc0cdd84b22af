"""Fake marketing platforms on 127.0.0.1 for the sync tests. Each enforces its documented
endpoint shapes, batch limits and auth, keeps the audiences it holds, and can be told to fail:
429 with Retry-After, 500, a timeout (before or after applying the request), or rejecting
particular members for good.

The server is the standard library's, not pytest-httpserver's. Tried: one catch-all
`respond_with_handler` on its threaded server passes the transport, answer and crash tests, but
takes 23 lines off 731 (the platforms' routes, state, limits, auth and faults are the fake and
stay), adds pytest-httpserver and Werkzeug, uses none of their request expectations (these fakes
keep state across runs and serve the Dagster and UI tests too), closes the connection after every
answer (so keep-alive and dropped connections are no longer tested), and logs each request line,
query string included, where the redaction tests look for leaks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass
class Fault:
    """What the next request gets instead of a normal answer. kind:
    - 429, 500: that status (Retry-After as given), nothing applied;
    - 401, 413: that status with the platform's error body, nothing applied;
    - timeout: the answer is held past the client's timeout (nothing applied);
    - timeout_after_apply: applied, then the answer is held;
    - empty: a 200 with no body, nothing applied;
    - bare: a 200 whose body is `{}`, nothing applied;
    - refused: a 400 whose error is a plain string, not the platform's documented object;
    - malformed: a 200 whose body is not JSON, nothing applied;
    - truncated: applied, then the answer is cut off part way and the connection closed;
    - slow: applied, then the answer trickles in a byte at a time past the client's deadline;
    - echo: a 400 whose documented error fields repeat the request: its line, every header
      (credentials included) and its body (members' identifiers included)."""

    kind: str
    retry_after: str | None = "0"


KINDS = [
    "429", "500", "401", "413", "timeout", "timeout_after_apply", "empty", "bare", "malformed",
    "truncated", "slow", "echo", "refused",
]  # fmt: skip


class Reply(Exception):
    def __init__(self, status: int, body: Any = None, headers: dict | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


@dataclass
class Answer:
    status: int
    data: bytes
    headers: dict
    delivery: str = "whole"  # whole, truncated or slow


class FakePlatform:
    """A threaded HTTP server dispatching to `handle`; subclasses implement the platform."""

    hold_seconds = 1.0
    latency_seconds = 0.0
    trickle_seconds = 0.05
    # requests naming more members than this answer 413 (None: no such limit)
    too_large_over: int | None = None

    def __init__(self):
        self.lock = threading.RLock()
        self.flight_lock = threading.Lock()
        self.faults: deque[Fault] = deque()
        self.rejecting: dict[str, str] = {}  # identifier value -> error, rejected for good
        self.requests: list[tuple[str, str, int]] = []  # method, path, batch size
        self.in_flight = 0
        self.max_in_flight = 0
        self.ids = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                answer = fake._dispatch(self.command, self.path, self.headers, raw)
                try:
                    self.send_response(answer.status)
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer.data)))
                    if answer.delivery != "whole":
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    if answer.delivery == "truncated":
                        self.wfile.write(answer.data[: len(answer.data) // 2])
                    elif answer.delivery == "slow":
                        for byte in answer.data:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(fake.trickle_seconds)
                    else:
                        self.wfile.write(answer.data)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def inject(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def error_body(self, code: str, message: str) -> Any:
        """An error answer in the platform's documented shape."""
        return {"error": {"code": code, "message": message}}

    def _dispatch(self, method: str, path: str, headers, raw: bytes) -> Answer:
        with self.lock:
            fault = self.faults.popleft() if self.faults else None
        with self.flight_lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        time.sleep(self.latency_seconds)
        try:
            kind = fault.kind if fault else None
            if kind in ("429", "500"):
                extra = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                return _answer(int(kind), {"error": f"injected {kind}"}, extra)
            if kind in ("401", "413"):
                return _answer(int(kind), self.error_body(kind, f"injected {kind}"))
            if kind == "echo":
                body = raw.decode()
                echoed = f"{body[:200]} {method} {path} headers={dict(headers)} {body[200:]}"
                return _answer(400, self.error_body(echoed, echoed))
            if kind == "empty":
                return Answer(200, b"", {})
            if kind == "bare":
                return _answer(200, {})
            if kind == "refused":
                return _answer(400, {"error": "refused, in words only"})
            if kind == "malformed":
                return Answer(200, b'{"num_received": 1, "ok": tr', {})
            if kind == "timeout":
                time.sleep(self.hold_seconds)
                return _answer(503, {"error": "held"})
            parsed = urlparse(path)
            body = json.loads(raw) if raw else None
            try:
                self.check_auth(headers, raw)
                with self.lock:
                    answer = self.handle(method, parsed.path, parse_qs(parsed.query), body)
                status, reply, extra = (200, answer, {})
            except Reply as reply_:
                status, reply, extra = reply_.status, reply_.body, reply_.headers
            if kind == "timeout_after_apply":
                time.sleep(self.hold_seconds)
            delivery = kind if kind in ("truncated", "slow") else "whole"
            return _answer(status, reply, extra, delivery)
        finally:
            with self.flight_lock:
                self.in_flight -= 1

    def record(self, method: str, path: str, size: int, limit: int) -> None:
        if self.too_large_over is not None and size > self.too_large_over:
            raise Reply(413, self.error_body("413", "request entity too large"))
        self.requests.append((method, path, size))
        if size > limit:
            raise Reply(400, {"error": f"{size} items in one request; the limit is {limit}"})

    def check_auth(self, headers, raw: bytes) -> None:
        raise NotImplementedError

    def handle(self, method: str, path: str, query: dict, body: Any) -> Any:
        raise NotImplementedError

    def members(self, audience_id: str) -> set:
        """The platform keys the audience holds, comparable with `expected_keys`."""
        raise NotImplementedError


def _answer(status: int, body: Any, headers: dict | None = None, delivery="whole") -> Answer:
    data = b"" if body is None else json.dumps(body).encode()
    return Answer(status, data, headers or {}, delivery)


def bearer(headers, token: str) -> None:
    if headers.get("Authorization") != f"Bearer {token}":
        raise Reply(401, {"error": "invalid token"})


class FakeMeta(FakePlatform):
    """Rows are matched to people by their email or phone hash: a removal takes away every
    held row sharing either with it, as Meta removes the person the row matches."""

    SCHEMA: ClassVar[list[str]] = ["EMAIL", "PHONE", "FN", "LN", "ZIP", "COUNTRY"]

    def __init__(self, token: str):
        super().__init__()
        self.token = token
        self.audiences: dict[str, Matched] = {}

    def check_auth(self, headers, raw):
        if headers.get("Authorization") != f"Bearer {self.token}":
            raise Reply(400, {"error": {"message": "Invalid OAuth access token", "code": 190}})

    def handle(self, method, path, query, body):
        parts = path.strip("/").split("/")
        if method == "POST" and len(parts) == 2 and parts[1] == "customaudiences":
            assert parts[0].startswith("act_") and body["customer_file_source"]
            audience = str(next(self.ids) + 1000)
            self.audiences[audience] = Matched()
            return {"id": audience}
        if len(parts) == 2 and parts[1] == "users" and method in ("POST", "DELETE"):
            audience = self.audiences.get(parts[0])
            if audience is None:
                raise Reply(400, {"error": {"message": "Unknown audience", "code": 100}})
            payload, session = body["payload"], body["session"]
            assert {"session_id", "batch_seq", "last_batch_flag"} <= set(session)
            if payload["schema"] != self.SCHEMA:
                raise Reply(400, {"error": {"message": "bad schema", "code": 100}})
            self.record(method, path, len(payload["data"]), 10_000)
            invalid = {}
            for row in payload["data"]:
                if len(row) != len(self.SCHEMA) or not all(
                    v == "" or HEX64.fullmatch(v) for v in row
                ):
                    raise Reply(400, {"error": {"message": "Data must be hashed", "code": 100}})
                first = next(v for v in row if v)
                if first in self.rejecting:
                    invalid[first] = self.rejecting[first]
                elif method == "POST":
                    audience.add(tuple(row), _meta_keys(row))
                else:
                    audience.remove_matching(_meta_keys(row))
            return {
                "audience_id": parts[0],
                "session_id": session["session_id"],
                "num_received": len(payload["data"]),
                "num_invalid_entries": len(invalid),
                "invalid_entry_samples": invalid,
            }
        raise Reply(404, {"error": {"message": f"no route {method} {path}"}})

    def error_body(self, code, message):
        return {"error": {"code": code, "message": message, "fbtrace_id": "trace"}}

    def members(self, audience_id):
        return self.audiences.get(audience_id, Matched()).keys()

    @staticmethod
    def expected_keys(prepared) -> set:
        return _meta_keys(prepared.identity["data"])


class Matched:
    """Records a platform matches people by: a removal takes away every record sharing a key."""

    def __init__(self):
        self.records: dict[Any, set] = {}
        self.by_key: dict[Any, set] = {}

    def add(self, record, keys: set) -> None:
        self.records[record] = keys
        for key in keys:
            self.by_key.setdefault(key, set()).add(record)

    def remove_matching(self, keys: set) -> None:
        for record in {r for key in keys for r in self.by_key.get(key, ())}:
            for key in self.records.pop(record):
                self.by_key[key].discard(record)
                if not self.by_key[key]:
                    del self.by_key[key]

    def keys(self) -> set:
        return set(self.by_key)


def _meta_keys(row) -> set:
    return {(kind, row[i]) for i, kind in enumerate(["email", "phone"]) if row[i]}


class FakeGoogle(FakePlatform):
    """Members are matched to people by any identifier: a removal takes away every held member
    sharing one with it."""

    def __init__(self, token: str, lists: list[str]):
        super().__init__()
        self.token = token
        self.audiences: dict[str, Matched] = {audience: Matched() for audience in lists}

    def check_auth(self, headers, raw):
        bearer(headers, self.token)

    def handle(self, method, path, query, body):
        verb = path.rsplit(":", 1)[-1]
        if (
            method != "POST"
            or not path.startswith("/audienceMembers:")
            or verb not in ("ingest", "remove")
        ):
            raise Reply(404, {"error": {"code": 404, "status": "NOT_FOUND"}})
        (destination,) = body["destinations"]
        audience = self.audiences.get(destination["productDestinationId"])
        if audience is None or destination["operatingAccount"]["accountType"] != "GOOGLE_ADS":
            raise Reply(403, {"error": {"code": 403, "status": "PERMISSION_DENIED"}})
        if body.get("encoding") != "HEX" or (
            verb == "ingest" and ("consent" not in body or "termsOfService" not in body)
        ):
            raise Reply(400, {"error": {"code": 400, "status": "INVALID_ARGUMENT", "details": []}})
        members = body["audienceMembers"]
        self.record(method, path, len(members), 10_000)
        violations = []
        for index, member in enumerate(members):
            for identifier in member["userData"]["userIdentifiers"]:
                value = identifier.get("emailAddress") or identifier.get("phoneNumber")
                if value is not None and (not HEX64.fullmatch(value) or value in self.rejecting):
                    violations.append(
                        {
                            "field": f"audience_members[{index}].user_data.user_identifiers",
                            "description": self.rejecting.get(value, "not a SHA-256 hex digest"),
                        }
                    )
        if violations:
            detail = {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": violations,
            }
            raise Reply(
                400, {"error": {"code": 400, "status": "INVALID_ARGUMENT", "details": [detail]}}
            )
        for member in members:
            keys = _google_keys(member["userData"])
            if verb == "ingest":
                audience.add(frozenset(keys), keys)
            else:
                audience.remove_matching(keys)
        return {"requestId": str(uuid.uuid4())}

    def error_body(self, code, message):
        return {"error": {"code": 400, "status": code, "message": message}}

    def members(self, audience_id):
        return self.audiences.get(audience_id, Matched()).keys()

    @staticmethod
    def expected_keys(prepared) -> set:
        return _google_keys(prepared.identity)


def _google_keys(user_data) -> set:
    """A member is the person any of its identifiers matches."""
    return {json.dumps(i, sort_keys=True) for i in user_data["userIdentifiers"]}


class FakeMailchimp(FakePlatform):
    def __init__(self, api_key: str, list_id: str):
        super().__init__()
        self.api_key, self.list_id = api_key, list_id
        self.list_members: dict[str, dict] = {}
        self.segments: dict[str, set[str]] = {}

    def check_auth(self, headers, raw):
        scheme, _, credentials = (headers.get("Authorization") or "").partition(" ")
        if (
            scheme != "Basic"
            or base64.b64decode(credentials).decode().split(":", 1)[1] != self.api_key
        ):
            raise Reply(401, {"title": "API Key Invalid", "status": 401})

    def handle(self, method, path, query, body):
        with self.flight_lock:
            if self.in_flight > 10:
                raise Reply(
                    429, {"title": "Too Many Requests", "detail": "10 simultaneous connections"}
                )
        parts = path.strip("/").split("/")
        if parts[:2] != ["lists", self.list_id] or method != "POST":
            raise Reply(404, {"title": "Resource Not Found", "status": 404})
        if len(parts) == 2:
            self.record(method, path, len(body["members"]), 500)
            errors, new, updated = [], [], []
            for member in body["members"]:
                email = member["email_address"]
                if email in self.rejecting or "@" not in email:
                    errors.append(
                        {
                            "email_address": email,
                            "error": self.rejecting.get(email, "invalid"),
                            "error_code": "ERROR_GENERIC",
                        }
                    )
                    continue
                (updated if email in self.list_members else new).append(member)
                self.list_members[email] = member
            return {
                "new_members": new,
                "updated_members": updated,
                "errors": errors,
                "total_created": len(new),
                "total_updated": len(updated),
                "error_count": len(errors),
            }
        if len(parts) == 3 and parts[2] == "segments":
            segment = str(next(self.ids))
            self.segments[segment] = set(body["static_segment"])
            return {"id": int(segment), "name": body["name"]}
        if len(parts) == 4 and parts[2] == "segments":
            segment = self.segments.get(parts[3])
            if segment is None:
                raise Reply(404, {"title": "Resource Not Found", "status": 404})
            added, removed, missing = [], [], []
            for email in body.get("members_to_add", []):
                (added if email in self.list_members else missing).append(email)
            self.record(method, path, len(body.get("members_to_add", [])), 500)
            self.record(method, path, len(body.get("members_to_remove", [])), 500)
            segment.update(added)
            for email in body.get("members_to_remove", []):
                segment.discard(email)
                removed.append(email)
            errors = [{"email_addresses": missing, "error": "not a list member"}] if missing else []
            return {
                "members_added": [{"email_address": e} for e in added],
                "members_removed": [{"email_address": e} for e in removed],
                "errors": errors,
                "total_added": len(added),
                "total_removed": len(removed),
                "error_count": len(errors),
            }
        raise Reply(404, {"title": "Resource Not Found", "status": 404})

    def error_body(self, code, message):
        return {"type": "about:blank", "title": code, "status": 400, "detail": message}

    def members(self, audience_id):
        return set(self.segments.get(audience_id, set()))

    @staticmethod
    def expected_keys(prepared) -> set:
        return {prepared.identity["email_address"]}


class FakeKlaviyo(FakePlatform):
    """A profile is identified by its email, else its phone; a later import updates it."""

    PAGE = 100

    def __init__(self, api_key: str):
        super().__init__()
        self.api_key = api_key
        self.profiles: dict[str, dict] = {}  # id -> attributes
        self.by_key: dict[str, str] = {}  # email (else phone) -> id
        self.lists: dict[str, set[str]] = {}
        self.jobs: dict[str, dict] = {}

    def check_auth(self, headers, raw):
        if headers.get("Authorization") != f"Klaviyo-API-Key {self.api_key}":
            raise Reply(401, {"errors": [{"status": 401, "code": "not_authenticated"}]})
        if not headers.get("revision"):
            raise Reply(400, {"errors": [{"status": 400, "detail": "revision header required"}]})

    def handle(self, method, path, query, body):
        parts = path.strip("/").split("/")
        if method == "POST" and parts == ["api", "lists"]:
            list_id = f"L{next(self.ids)}"
            self.lists[list_id] = set()
            return {
                "data": {"type": "list", "id": list_id, "attributes": body["data"]["attributes"]}
            }
        if method == "POST" and parts == ["api", "profile-bulk-import-jobs"]:
            return self._import(body["data"])
        if parts[:2] == ["api", "profile-bulk-import-jobs"] and method == "GET":
            job = self.jobs[parts[2]]
            if len(parts) == 3:
                status = job["status"]
                job["status"] = "complete"
                return {
                    "data": {
                        "type": "profile-bulk-import-job",
                        "id": parts[2],
                        "attributes": {"status": status},
                    }
                }
            items = (
                job["errors"]
                if parts[3] == "import-errors"
                else [
                    {"type": "profile", "id": pid, "attributes": self.profiles[pid]}
                    for pid in job["profiles"]
                ]
            )
            return self._page(path, query, items)
        if (
            parts[:2] == ["api", "lists"]
            and parts[3:] == ["relationships", "profiles"]
            and method == "DELETE"
        ):
            self.record(method, path, len(body["data"]), 1000)
            for profile in body["data"]:
                self.lists[parts[2]].discard(profile["id"])
            raise Reply(204)
        if method == "GET" and parts == ["api", "profiles"]:
            match = re.fullmatch(r'equals\((\w+),"(.*)"\)', query["filter"][0])
            field, value = match.groups()
            found = [pid for pid, attrs in self.profiles.items() if attrs.get(field) == value]
            return {
                "data": [
                    {"type": "profile", "id": pid, "attributes": self.profiles[pid]}
                    for pid in found
                ]
            }
        raise Reply(404, {"errors": [{"status": 404}]})

    def _import(self, data):
        profiles = data["attributes"]["profiles"]["data"]
        self.record("POST", "/api/profile-bulk-import-jobs", len(profiles), 10_000)
        (related,) = data["relationships"]["lists"]["data"]
        job = {"status": "processing", "errors": [], "profiles": []}
        for profile in profiles:
            attrs = profile["attributes"]
            key = _klaviyo_key(attrs)
            if attrs.get("email") in self.rejecting:
                job["errors"].append(
                    {
                        "type": "import-error",
                        "id": str(uuid.uuid4()),
                        "attributes": {
                            "code": "invalid",
                            "title": "Invalid",
                            "detail": self.rejecting[attrs["email"]],
                            "original_payload": attrs,
                        },
                    }
                )
                continue
            pid = self.by_key.setdefault(key, f"P{next(self.ids)}")
            self.profiles[pid] = dict(attrs)
            self.lists[related["id"]].add(pid)
            job["profiles"].append(pid)
        job_id = f"J{next(self.ids)}"
        self.jobs[job_id] = job
        return {
            "data": {
                "type": "profile-bulk-import-job",
                "id": job_id,
                "attributes": {"status": "queued"},
            }
        }

    def _page(self, path, query, items):
        start = int(query.get("page[cursor]", ["0"])[0])
        page = items[start : start + self.PAGE]
        following = (
            f"{self.url}{path}?page[cursor]={start + self.PAGE}"
            if start + self.PAGE < len(items)
            else None
        )
        return {"data": page, "links": {"next": following}}

    def error_body(self, code, message):
        return {"errors": [{"id": "e1", "status": 400, "code": code, "detail": message}]}

    def members(self, audience_id):
        return {_klaviyo_key(self.profiles[pid]) for pid in self.lists.get(audience_id, set())}

    @staticmethod
    def expected_keys(prepared) -> set:
        return {_klaviyo_key(prepared.identity)}


def _klaviyo_key(attributes) -> str:
    return attributes.get("email") or attributes.get("phone_number") or ""


class FakeHubSpot(FakePlatform):
    def __init__(self, token: str):
        super().__init__()
        self.token = token
        self.contacts: dict[str, dict] = {}  # id -> properties
        self.by_email: dict[str, str] = {}
        self.lists: dict[str, set[str]] = {}

    def check_auth(self, headers, raw):
        bearer(headers, self.token)

    def handle(self, method, path, query, body):
        parts = path.strip("/").split("/")
        if method == "POST" and path == "/crm/v3/lists":
            assert body["objectTypeId"] == "0-1" and body["processingType"] == "MANUAL"
            list_id = str(next(self.ids))
            self.lists[list_id] = set()
            return {"list": {"listId": list_id, "name": body["name"]}}
        if method == "POST" and path == "/crm/v3/objects/contacts/batch/upsert":
            self.record(method, path, len(body["inputs"]), 100)
            ids = [item["id"] for item in body["inputs"]]
            if len(set(ids)) < len(ids):
                raise Reply(
                    400,
                    {"status": "error", "category": "VALIDATION_ERROR",
                     "message": "Duplicate IDs found in batch input"},
                )  # fmt: skip
            results, errors = [], []
            for item in body["inputs"]:
                assert item["idProperty"] == "email"
                email = item["id"]
                if email in self.rejecting:
                    errors.append(
                        {
                            "status": "error",
                            "category": "VALIDATION_ERROR",
                            "message": self.rejecting[email],
                            "context": {"ids": [email]},
                        }
                    )
                    continue
                cid = self.by_email.setdefault(email, str(next(self.ids) + 5000))
                self.contacts[cid] = dict(item["properties"])
                results.append({"id": cid, "properties": {"email": email}})
            if errors:
                raise Reply(
                    207,
                    {
                        "status": "COMPLETE",
                        "results": results,
                        "errors": errors,
                        "numErrors": len(errors),
                    },
                )
            return {"status": "COMPLETE", "results": results}
        if method == "POST" and path == "/crm/v3/objects/contacts/batch/read":
            self.record(method, path, len(body["inputs"]), 100)
            found = [self.by_email[i["id"]] for i in body["inputs"] if i["id"] in self.by_email]
            return {
                "status": "COMPLETE",
                "results": [
                    {"id": cid, "properties": {"email": self.contacts[cid]["email"]}}
                    for cid in found
                ],
            }
        if method == "PUT" and parts[:3] == ["crm", "v3", "lists"] and parts[4] == "memberships":
            members = self.lists[parts[3]]
            self.record(method, path, len(body), 100_000)
            if parts[5] == "add":
                members.update(cid for cid in body if cid in self.contacts)
                return {"recordIdsAdded": body, "recordIdsMissing": []}
            missing = [cid for cid in body if cid not in members]
            members.difference_update(body)
            return {
                "recordIdsRemoved": [c for c in body if c not in missing],
                "recordIdsMissing": missing,
            }
        raise Reply(404, {"status": "error", "message": f"no route {method} {path}"})

    def error_body(self, code, message):
        return {"status": "error", "category": code, "message": message, "correlationId": "c1"}

    def members(self, audience_id):
        return {self.contacts[cid]["email"] for cid in self.lists.get(audience_id, set())}

    @staticmethod
    def expected_keys(prepared) -> set:
        return {prepared.identity["email"]}


class FakeWebhook(FakePlatform):
    def __init__(self, secret: str):
        super().__init__()
        self.secret = secret
        self.audiences: dict[str, set[str]] = {}
        self.idempotency_keys: list[str] = []

    def check_auth(self, headers, raw):
        timestamp = headers.get("X-Audience-Timestamp") or ""
        expected = hmac.new(self.secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256)
        if headers.get("X-Audience-Signature") != "sha256=" + expected.hexdigest():
            raise Reply(401, {"error": "bad signature"})
        self.idempotency_keys.append(headers.get("Idempotency-Key"))

    def handle(self, method, path, query, body):
        self.record(method, path, len(body["members"]), 1000)
        audience = self.audiences.setdefault(body["audience"], set())
        rejected = []
        for member in body["members"]:
            if member["person_id"] in self.rejecting:
                rejected.append(
                    {
                        "person_id": member["person_id"],
                        "error": self.rejecting[member["person_id"]],
                        "transient": False,
                    }
                )
            elif body["operation"] == "add":
                audience.add(member["person_id"])
            else:
                audience.discard(member["person_id"])
        return {"received": len(body["members"]), "rejected": rejected}

    def error_body(self, code, message):
        return {"code": code, "error": message}

    def members(self, audience_id):
        return set(self.audiences.get(audience_id, set()))

    @staticmethod
    def expected_keys(prepared) -> set:
        return {prepared.person_id}
