"""The platform's routes run blocking endpoints in its worker pool, one hop a request."""

from __future__ import annotations

import contextvars
import threading

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from kiosk.server.routing import OneHopRoute

REQUEST_TAG: contextvars.ContextVar[str] = contextvars.ContextVar("request_tag", default="none")


class Where(BaseModel):
    thread: str
    tag: str


def _app() -> FastAPI:
    router = APIRouter(route_class=OneHopRoute)

    @router.get("/blocking", response_model=Where)
    def blocking(name: str) -> Where:
        return Where(thread=threading.current_thread().name, tag=REQUEST_TAG.get() + name)

    app = FastAPI()

    @app.middleware("http")
    async def tag(request, call_next):  # type: ignore[no-untyped-def]
        REQUEST_TAG.set("tagged-")
        return await call_next(request)

    app.include_router(router)
    return app


def test_a_blocking_endpoint_runs_in_the_worker_pool_with_the_requests_context() -> None:
    with TestClient(_app()) as client:
        answer = client.get("/blocking", params={"name": "x"})
    assert answer.status_code == 200
    where = Where.model_validate(answer.json())
    assert where.thread.startswith("endpoint"), where.thread
    assert where.tag == "tagged-x"


def test_the_wrapped_endpoint_keeps_its_parameters_and_validation() -> None:
    with TestClient(_app()) as client:
        missing = client.get("/blocking")
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["query", "name"]
