"""Every refusal as one exception type, and the handlers that turn any failure into a reason code.

A bad request answers 4xx with a code and a detail, never 5xx. Validation
problems name the field but never echo its value: the value may be a name or an ID number.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kiosk.api_contract import Reason

# Defined apart, for the modules the command line loads without the web stack (kiosk.server.roles).
from kiosk.server.refusal import ApiError as ApiError


def answer(
    status: int, code: str, detail: str, *, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    sent = dict(headers or {})
    if status == 401:
        sent["WWW-Authenticate"] = "ApiKey"
    return JSONResponse(body, status_code=status, headers=sent or None)


_HTTP_CODES = {
    404: (Reason.NOT_FOUND, "no such resource"),
    405: (Reason.METHOD_NOT_ALLOWED, "this method is not allowed here"),
    413: (Reason.PAYLOAD_TOO_LARGE, "the request body is too large"),
}


async def no_unknown_query(request: Request) -> None:
    """A query parameter the route does not know is refused, not ignored: a misspelt filter
    (?insurence=) would otherwise answer with everything and look right."""
    if not request.query_params:
        return
    route: Any = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    known = {p.alias for p in getattr(dependant, "query_params", [])}
    for dependency in getattr(dependant, "dependencies", []):
        known |= {p.alias for p in dependency.query_params}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ApiError(
            422,
            Reason.INVALID_REQUEST,
            f"query: unknown parameter {unknown[0][:40]!r}",
            problems=[
                {"where": f"query.{name[:40]}", "problem": "unknown parameter"}
                for name in unknown[:20]
            ],
        )


def install(app: FastAPI) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    @app.exception_handler(SQLAlchemyError)
    async def database_failed(request: Request, exc: SQLAlchemyError) -> JSONResponse:
        # The driver's message can quote a row's values (PostgreSQL's DETAIL names the key that
        # clashed): the log gets the kind of failure and the route, never the message.
        route: Any = request.scope.get("route")
        where = getattr(route, "path", "?")
        cause = type(getattr(exc, "orig", None) or exc).__name__
        logging.getLogger("kiosk.server").error("database failure in %s: %s", where, cause)
        return answer(500, "internal_error", "the platform failed; try again later")

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return answer(exc.status, exc.code, exc.detail, headers=exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors()[:20]:
            where = ".".join(str(part) for part in error.get("loc", ()))
            problems.append({"where": where, "problem": str(error.get("msg", "invalid"))})
        if problems and problems[0]["where"] == "body" and len(problems) == 1:
            problems[0]["problem"] = (
                "the body must be a JSON object (Content-Type: application/json)"
            )
        first = problems[0] if problems else {"where": "request", "problem": "invalid"}
        detail = f"{first['where']}: {first['problem']}"
        return answer(422, Reason.INVALID_REQUEST, detail, problems=problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:  # FastAPI's "error parsing the body": bad input like any other
            return answer(
                422,
                Reason.INVALID_REQUEST,
                "body: not valid JSON",
                problems=[{"where": "body", "problem": "not valid JSON"}],
            )
        code, detail = _HTTP_CODES.get(exc.status_code, (Reason.INVALID_REQUEST, str(exc.detail)))
        if exc.status_code >= 500:  # pragma: no cover - starlette raises none of these itself
            return answer(500, "internal_error", "the platform failed; try again later")
        # A 405 keeps the Allow header starlette gave it: it tells the client what would do.
        kept = {k: v for k, v in (exc.headers or {}).items() if k.lower() == "allow"}
        return answer(exc.status_code, code, detail, headers=kept)


class BodyLimit:
    """Refuses a request body over the limit with a JSON 413, before any endpoint reads it."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "DELETE", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", ()):
            if key == b"content-length" and value.isdigit() and int(value) > self.limit:
                await self._refuse(scope, receive, send)
                return
        # Without a trustworthy length (chunked), read what comes, up to the limit.
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = answer(413, Reason.PAYLOAD_TOO_LARGE, f"the body is over {self.limit} bytes")
        await response(scope, receive, send)
