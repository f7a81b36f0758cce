"""The access log: method, route template, status and time. Nothing a resident typed.

uvicorn's own access log writes the raw path and query, which can carry a verification code or
a tracking number; this one writes the route's template instead (/v1/certificates/{code}), and
never a query string or a body (Art. 12, 13).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("kiosk.server.access")


class AccessLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
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
            elapsed_ms = (time.perf_counter() - started) * 1000
            kiosk = _header(scope, b"x-kiosk-id")
            log.info(
                "%s %s %d %.1fms kiosk=%s",
                scope["method"],
                _template(scope),
                status,
                elapsed_ms,
                kiosk[:64] if kiosk else "-",
            )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _template(scope: Scope) -> str:
    route: Any = scope.get("route")  # the router leaves the matched route in the scope
    if route is not None and hasattr(route, "path"):
        return str(route.path)
    app: Any = scope.get("app")
    router = getattr(app, "router", None)
    if router is not None:
        for route in router.routes:
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return str(getattr(route, "path", "?"))
    return "(unrouted)"
