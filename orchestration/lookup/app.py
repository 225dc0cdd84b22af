"""The lookup API's routes, on Starlette:

    GET /health                                       no token
    GET /v1/profiles/{identifier_type}/{value}        scope `profiles`
    GET /v1/segments/{name}/members/{person_id}       scope `segments`

identifier_type is user_id, anonymous_id or email (the raw value, hashed here as the warehouse
hashes it) or email_hash (the warehouse's 64-hex email hash). Errors are JSON
{"error", "detail"}: 400 bad identifier type or malformed value, 401 missing or unknown token,
403 route outside the client's scopes, 404 unknown (or erased) person or segment."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import orjson
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from orchestration.lookup.access_log import AccessLog
from orchestration.lookup.clients import Authenticator, Scope
from orchestration.lookup.hashing import HASHED_TYPES, identifier_hash, parse_email_hash
from orchestration.lookup.store import PublishedStore

IDENTIFIER_TYPES = (*HASHED_TYPES, "email_hash")
Endpoint = Callable[[Request], Awaitable[Response]]


def json_response(body: object, status: int = 200, headers: dict | None = None) -> Response:
    return Response(orjson.dumps(body), status, headers, media_type="application/json")


def error(status: int, code: str, detail: str, headers: dict | None = None) -> Response:
    return json_response({"error": code, "detail": detail}, status, headers)


def build_app(store: PublishedStore, authenticator: Authenticator, salt: str) -> Starlette:
    def guarded(scope: Scope, endpoint: Endpoint) -> Endpoint:
        async def handler(request: Request) -> Response:
            client = authenticator.client(request.headers.get("authorization"))
            if client is None:
                return error(
                    401,
                    "unauthorized",
                    "send `Authorization: Bearer <token>` with a token from the clients file",
                    {"WWW-Authenticate": 'Bearer realm="audience"'},
                )
            request.state.client = client.name
            if scope not in client.scopes:
                return error(403, "forbidden", f"this client may not use the `{scope}` routes")
            return await endpoint(request)

        return handler

    async def health(request: Request) -> Response:
        with store.snapshot() as snapshot:
            return json_response(
                {"status": "ok", "version": snapshot.version, "published_at": snapshot.published_at}
            )

    async def profile(request: Request) -> Response:
        kind = request.path_params["identifier_type"]
        value = request.path_params["value"]
        if kind not in IDENTIFIER_TYPES:
            return error(
                400, "bad_identifier_type", f"expected one of {', '.join(IDENTIFIER_TYPES)}"
            )
        if kind == "email_hash":
            hashed, kind = parse_email_hash(value), "email"
            if hashed is None:
                return error(400, "bad_email_hash", "expected 64 hexadecimal digits (SHA-256)")
        else:
            hashed = identifier_hash(salt, kind, value)
            if hashed is None:
                return error(400, "blank_value", "the identifier is blank once normalized")
        with store.snapshot() as snapshot:
            person = snapshot.person_for(hashed, kind)
            document = snapshot.profile(person) if person is not None else None
        if document is None:
            return error(404, "not_found", "no person with this identifier")
        return Response(document, media_type="application/json")

    async def membership(request: Request) -> Response:
        segment = request.path_params["name"]
        person_id = request.path_params["person_id"]
        with store.snapshot() as snapshot:
            if segment not in snapshot.segments:
                return error(404, "unknown_segment", "no segment of this name")
            document = snapshot.profile(person_id)
        if document is None:
            return error(404, "not_found", "no person with this id")
        profile = orjson.loads(document)
        holdout = segment in profile.get("holdout_segments", ())
        return json_response(
            {
                "segment": segment,
                "person_id": person_id,
                # a holdout member is a member the segment's destinations leave out
                "is_member": holdout or segment in profile.get("segments", ()),
                "is_holdout": holdout,
            }
        )

    routes = [
        Route("/health", health, methods=["GET"]),
        Route(
            "/v1/profiles/{identifier_type}/{value:path}",
            guarded("profiles", profile),
            methods=["GET"],
        ),
        Route(
            "/v1/segments/{name}/members/{person_id}",
            guarded("segments", membership),
            methods=["GET"],
        ),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 500)
        return error(status, "not_found" if status == 404 else "http_error", str(exc))

    return Starlette(
        routes=routes,
        middleware=[AccessLog.middleware()],
        exception_handlers={HTTPException: http_error},
    )
