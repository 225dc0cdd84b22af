"""One log line per request: client name, route template, status and latency; never the path,
the query string or headers, which carry identifier values, emails and tokens."""

from __future__ import annotations

import logging
import time

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("orchestration.lookup.access")


class AccessLog:
    """Pure ASGI middleware (no per-request task, unlike BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    @classmethod
    def middleware(cls) -> Middleware:
        return Middleware(cls)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            log.info(
                "client=%s route=%s status=%d latency_ms=%.2f",
                scope.get("state", {}).get("client", "-"),
                getattr(route, "path", "(no route)"),
                status,
                (time.perf_counter() - started) * 1000,
            )
