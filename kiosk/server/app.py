"""The reference platform as an ASGI app: create_app() wires the database, the routes and the
error handlers. `kiosk server` (kiosk.server.cli) runs it under uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from kiosk.api_contract import API_PREFIX
from kiosk.server import errors, schemas
from kiosk.server.accesslog import AccessLog
from kiosk.server.context import Platform, Settings
from kiosk.server.db import WORKER_THREADS, sessions, single_statements
from kiosk.server.phone import DemoPhone, NoTexting
from kiosk.server.routes import card, catalog, certificates, complaints, kiosks, records, staff
from kiosk.server.routes import consents as consent_routes
from kiosk.server.routes import demo as demo_routes
from kiosk.server.routes import pin_resets as pin_reset_routes
from kiosk.server.routes import sessions as session_routes
from kiosk.server.routing import security_schemes

API_VERSION = "1.0.0"
# The largest request the contract has is a complaint of 2000 characters: 64 KiB is plenty,
# and a larger body is refused before anything reads it.
MAX_BODY_BYTES = 64 * 1024

DESCRIPTION = """\
The platform API of Zhengzhou's Resident Service One-Card (郑州市居民服务一卡通规定).

Kiosks authenticate with their own key (X-Kiosk-Id and X-Kiosk-Key). A resident's session
token (X-Session-Token) is scoped to that resident and that kiosk, and stops working after
a period of inactivity. Every 4xx answer carries a machine-readable `code` and a `detail`
for people; see docs/platform.md for the list of codes.
"""


def create_app(engine: Engine, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        import asyncio
        import gc

        import anyio.to_thread

        anyio.to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        purging = asyncio.create_task(_purge_now_and_then(engine)) if settings.purge else None
        # What starting made (routes, schemas, the ORM's mappers) lives as long as the process:
        # frozen, it is left out of the collector's full passes, which otherwise walk all of
        # it now and then while a request waits.
        gc.collect()
        gc.freeze()
        yield
        if purging is not None:
            purging.cancel()
        engine.dispose()

    app = FastAPI(
        title="One-Card platform",
        version=API_VERSION,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        generate_unique_id_function=_operation_id,
        dependencies=[Depends(errors.no_unknown_query)],
    )
    phone = DemoPhone() if settings.demo_codes else NoTexting()
    app.state.platform = Platform(
        sessions(engine), settings, single_statements(engine), phone=phone
    )
    errors.install(app)

    @app.get(f"{API_PREFIX}/health", response_model=schemas.Health, tags=["health"])
    async def health() -> schemas.Health:
        return schemas.Health(status="ok", version=API_VERSION)

    for router in (
        session_routes.router,
        catalog.router,
        records.router,
        certificates.router,
        card.router,
        complaints.router,
        staff.router,
        pin_reset_routes.router,
        consent_routes.router,
        kiosks.router,
    ):
        app.include_router(router)
    # The staff console's pages (Art. 15, 16, 18), outside the API's contract.
    from kiosk.server.console.mount import mount

    mount(app)
    if settings.demo_codes:
        # Outside the contract: a real platform texts the code and has no such route.
        app.include_router(demo_routes.router, include_in_schema=False)
    app.add_middleware(errors.BodyLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(AccessLog)
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _polish(plain())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


async def _purge_now_and_then(engine: Engine) -> None:
    """Retention (kiosk.server.retention) inside the server: at start, then once an hour."""
    import asyncio
    import logging

    import anyio.to_thread

    from kiosk.server.retention import PURGE_EVERY_S, purge_engine

    while True:
        try:
            await anyio.to_thread.run_sync(purge_engine, engine)
        except Exception as exc:  # a failed purge waits for the next hour; serving goes on
            logging.getLogger("kiosk.server.retention").warning(
                "purge failed: %s", type(exc).__name__
            )
        await asyncio.sleep(PURGE_EVERY_S)


def _operation_id(route: APIRoute) -> str:
    return route.name


def _polish(document: dict[str, Any]) -> dict[str, Any]:
    """What FastAPI's generated document does not say right on its own.

    The security schemes of the headers the credentials dependencies read, which FastAPI does
    not see (each route's one requirement is set by kiosk.server.routing.OneHopRoute). Every
    422 answers with ErrorAnswer (our handler), not FastAPI's default validation shape. Each
    request body shows its examples at the body itself, where tools and readers look.
    """
    schemas = document.get("components", {}).get("schemas", {})
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            answer_422 = operation.get("responses", {}).get("422")
            if answer_422 is not None:
                answer_422["content"] = {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorAnswer"}}
                }
                if answer_422.get("description") == "Validation Error":
                    answer_422["description"] = "invalid_request"
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                examples = _examples(body.get("schema", {}), schemas)
                if examples:
                    body["examples"] = {
                        f"example{i + 1}": {"value": value} for i, value in enumerate(examples)
                    }
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    document.setdefault("components", {})["securitySchemes"] = security_schemes()
    return document


def _examples(schema: dict[str, Any], schemas: dict[str, Any]) -> list[Any]:
    if "$ref" in schema:
        return list(schemas.get(schema["$ref"].rsplit("/", 1)[-1], {}).get("examples", []))
    found: list[Any] = list(schema.get("examples", []))
    for option in schema.get("oneOf", []) + schema.get("anyOf", []):
        found += _examples(option, schemas)
    return found


def worker_app() -> FastAPI:
    """One of `kiosk server --workers N`'s processes: its own engine and the same settings,
    from what the supervisor left in the environment (kiosk.server.cli.WORKER_ENV)."""
    import json
    import logging
    import os
    import sys

    from kiosk.server.cli import WORKER_ENV
    from kiosk.server.db import make_engine
    from kiosk.server.limits import Rule

    config = json.loads(os.environ[WORKER_ENV])
    logging.basicConfig(
        level=str(config["log_level"]).upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    values = dict(config["settings"])
    values["limits"] = {name: Rule(**rule) for name, rule in values.get("limits", {}).items()}
    return create_app(make_engine(config["url"]), Settings(**values))
