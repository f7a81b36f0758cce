"""The route class every router of the platform uses: a blocking endpoint costs one cheap hop
to a worker thread.

FastAPI runs a plain `def` endpoint in anyio's thread pool and then, when the route has a
response model, hops to the pool a second time only to validate the answer. anyio hands work to
its threads through a `queue.Queue` (a lock and a condition variable in Python); measured on the
resident's visit under load, waking its threads was a fifth of the server's time. Here the
blocking endpoint runs from a coroutine, so FastAPI validates the answer on the event loop, and
it runs in a `concurrent.futures` pool, whose queue is written in C: a hop costs about a third
of anyio's.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from kiosk.server.db import WORKER_THREADS

# One pool per process, its threads started on first use (each worker process imports this
# module afresh). Its size bounds the requests one process has in the database at once.
_POOL = ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="endpoint")


def in_worker_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint as a coroutine that runs it in the worker pool; FastAPI reads the same
    signature through `__wrapped__`, so parameters, dependencies and OpenAPI are unchanged."""

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        # The request's context variables go along, as anyio's pool would take them.
        call = functools.partial(contextvars.copy_context().run, endpoint, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(_POOL, call)

    return run


# What each credentials dependency reads: the OpenAPI name of each header, in the document's
# order. FastAPI learns a route's security only from its security dependencies, which these
# dependencies are not (see kiosk.server.auth), so the route class tells the document.
_SECURITY: dict[Callable[..., Any], dict[str, str]] = {}

F = TypeVar("F", bound=Callable[..., Any])


def declares_security(headers: dict[str, str]) -> Callable[[F], F]:
    """Marks a dependency as reading these API-key headers ({scheme name: header})."""

    def mark(dependency: F) -> F:
        _SECURITY[dependency] = headers
        return dependency

    return mark


def security_schemes() -> dict[str, dict[str, str]]:
    """Every header a credentials dependency reads, as the document's security schemes."""
    schemes: dict[str, dict[str, str]] = {}
    for headers in _SECURITY.values():
        for name, header in headers.items():
            schemes[name] = {"type": "apiKey", "in": "header", "name": header}
    return schemes


def _security_of(dependant: Dependant) -> dict[str, str]:
    found: dict[str, str] = {}
    for dependency in dependant.dependencies:
        if dependency.call is not None:
            found.update(_SECURITY.get(dependency.call, {}))
        found.update(_security_of(dependency))
    return found


class OneHopRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = in_worker_thread(endpoint)
        super().__init__(path, endpoint, **options)
        security = _security_of(self.dependant)
        if security:
            # One requirement: a kiosk sends every one of these headers, not any one of them.
            self.openapi_extra = {
                "security": [{name: [] for name in security}],
                **(self.openapi_extra or {}),
            }
