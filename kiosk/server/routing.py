"""The route class every router of the platform uses: a blocking endpoint costs one thread hop.

FastAPI runs a plain `def` endpoint in the worker thread pool and then, when the route has a
response model, hops to the pool a second time only to validate the answer. Each hop wakes a
thread through a queue and a condition variable and hands the GIL back and forth: on the
resident's visit that was a tenth of the server's time. Here the blocking endpoint is run in
the pool from a coroutine, so FastAPI treats the route as asynchronous and validates the answer
on the event loop, where it costs microseconds.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool


def in_worker_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """The endpoint as a coroutine that runs it in the thread pool; FastAPI reads the same
    signature through `__wrapped__`, so parameters, dependencies and OpenAPI are unchanged."""

    @functools.wraps(endpoint)
    async def run(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return run


class OneHopRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = in_worker_thread(endpoint)
        super().__init__(path, endpoint, **options)
