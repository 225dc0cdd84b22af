"""The HTTP side: Segment's HTTP Tracking API routes on Starlette.

Status codes, as Segment documents them where it does:
- 200 `{"success": true, "requestId", "accepted", "rejected": [...]}` once every accepted event
  is on disk (write-ahead log, fsync'ed); `rejected` lists the refused events of the request
  (index, messageId, reason, message), which are not landed but recorded in
  collector_rejections.
- 400 `{"success": false, "code", "message", ...}` when the request as a whole is refused: not
  JSON, not gzip as declared, over 500 KB (/v1/batch) or over 32 KB (the single-event routes),
  no `batch` array; and when no event of the request was accepted (the `rejected` list says
  why), so a bad single call is an error a developer sees. Both libraries drop a batch on a 400
  without retrying, as retrying would not help. Events over 32 KB inside a batch are rejected
  one by one, the rest of the batch is landed.
- 401 `{"code": "invalid_write_key"}` for a missing or unknown write key (HTTP Basic username,
  or `writeKey` in the body as Segment's HTTP API also accepts); not recorded.
- 503 when the write-ahead log cannot be written (disk full): nothing was acknowledged, the
  libraries retry 5xx.
Logs carry request ids and counts only, never a write key or event content.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import AsyncIterator

import orjson
from starlette.applications import Starlette
from starlette.requests import Request as HttpRequest
from starlette.responses import Response
from starlette.routing import Route

from orchestration.collector.body import (
    MAX_BATCH_BYTES,
    MAX_EVENT_BYTES,
    BadRequest,
    WriteKeys,
    read_body,
)
from orchestration.collector.intake import Outcome, Request, process, reject
from orchestration.collector.service import Collector

log = logging.getLogger(__name__)
KINDS = ("track", "identify", "page", "screen", "group", "alias")


def _json(status: int, content: dict) -> Response:
    return Response(orjson.dumps(content), status, media_type="application/json")


def create_app(collector: Collector, keys: WriteKeys) -> Starlette:
    async def land(outcome: Outcome) -> None:
        if outcome.rows:
            await collector.append(outcome.payload(), outcome.accepted)

    async def handle(http: HttpRequest, kind: str | None) -> Response:
        request = Request(
            uuid.uuid4().hex,
            kind or "batch",
            time.time_ns() // 1000,
            http.client.host if http.client else None,
        )
        headers = http.headers
        authorization = headers.get("authorization")
        outcome = Outcome(request.request_id)
        authenticated = authorization is not None and keys.valid_header(authorization)
        try:
            if authorization is not None and not authenticated:
                raise BadRequest("invalid_write_key", "missing or unknown write key", 401)
            limit = MAX_BATCH_BYTES if kind is None else MAX_EVENT_BYTES
            encoding = headers.get("content-encoding")
            body = await read_body(http.stream(), headers.get("content-length"), encoding, limit)
            try:
                payload = orjson.loads(body)
            except orjson.JSONDecodeError:
                raise BadRequest("invalid_json", "the body is not valid JSON") from None
            if not authenticated:
                if not (isinstance(payload, dict) and keys.valid(payload.get("writeKey"))):
                    raise BadRequest("invalid_write_key", "missing or unknown write key", 401)
                authenticated = True
            outcome = process(payload, kind, request, len(body))
        except BadRequest as error:
            if error.status == 401:
                log.info("request %s refused: no valid write key", request.request_id)
                return _json(401, {"success": False, "code": error.code, "message": error.message})
            if authenticated:  # an authenticated client's bad request is recorded
                length = headers.get("content-length", "")
                size = int(length) if length.isdigit() else 0
                reject(outcome, request, None, None, error.code, error.message, size)
            outcome.rejected.clear()
            failure = {"code": error.code, "message": error.message}
        else:
            failure = None
            if not outcome.accepted and outcome.rejected:
                failure = {"code": "no_event_accepted", "message": "every event was rejected"}
        try:
            await land(outcome)
        except OSError:
            log.error("request %s not acknowledged: the write-ahead log failed", request.request_id)
            return _json(
                503,
                {
                    "success": False,
                    "code": "unavailable",
                    "message": "the collector cannot store events now; retry",
                },
            )
        if outcome.rejected or failure:
            log.info(
                "request %s: %d accepted, %d rejected%s",
                request.request_id,
                outcome.accepted,
                len(outcome.rejected),
                f" ({failure['code']})" if failure else "",
            )
        if failure:
            return _json(
                400,
                {
                    "success": False,
                    **failure,
                    "requestId": request.request_id,
                    "rejected": outcome.rejected,
                },
            )
        return _json(
            200,
            {
                "success": True,
                "requestId": request.request_id,
                "accepted": outcome.accepted,
                "rejected": outcome.rejected,
            },
        )

    def route(kind: str | None) -> Route:
        async def endpoint(http: HttpRequest) -> Response:
            return await handle(http, kind)

        return Route(f"/v1/{kind or 'batch'}", endpoint, methods=["POST"])

    async def health(_: HttpRequest) -> Response:
        return _json(200, {"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await collector.start()
        log.info(
            "collector ready: %d write key(s), raw path %s", len(keys), collector.storage.raw_path
        )
        try:
            yield
        finally:
            await collector.stop()

    routes = [route(None), *(route(kind) for kind in KINDS)]
    routes += [Route("/health", health), Route("/v1/health", health)]
    return Starlette(routes=routes, lifespan=lifespan)
