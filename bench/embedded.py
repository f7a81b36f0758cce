"""`embedded`: the demo's own platform (kiosk.server.embedded), from its start to serving.

- embedded_warm_start: EmbeddedServer.start() to wait_ready() with the demo template already
  built, which is what every demo start after the first on a machine pays (the kiosk paints its
  attract screen meanwhile: docs/startup.md); baseline: a bare uvicorn and FastAPI app with one
  route, started as a child on loopback the same way and announcing itself the same way, so the
  ratio is what the reference platform adds to its web stack (the database copy, migrations
  check, kiosk registration, the app's routes).

Median of 5 alternating runs, in cache and data folders of their own; the first start there
builds the template, and its time is in the notes.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bench import Result
from kiosk.server.embedded import READY_PREFIX, EmbeddedServer

RUNS = 5

# The baseline: uvicorn serving a one-route FastAPI app on a socket of its own, announced after
# uvicorn's startup exactly as `kiosk server` announces it (kiosk/server/cli.py).
BARE_SERVER = r"""
import json, socket, sys
import uvicorn
from fastapi import FastAPI

app = FastAPI()

@app.get("/health")
def health():
    return {"status": "ok"}

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
sock.bind(("127.0.0.1", 0))
sock.listen(512)
port = sock.getsockname()[1]

class Announcing(uvicorn.Server):
    async def startup(self, sockets=None):
        await super().startup(sockets)
        if self.started:
            line = json.dumps({"port": port, "url": f"http://127.0.0.1:{port}"})
            sys.stdout.write(PREFIX + line + "\n")
            sys.stdout.flush()

config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False)
Announcing(config).run(sockets=[sock])
"""


def _bare_server() -> EmbeddedServer:
    """The baseline child, behind the same reader and wait as the real one."""
    # It flushes its one line itself, and is stopped by a signal rather than by its stdin.
    process = subprocess.Popen(
        [sys.executable, "-c", f"PREFIX = {READY_PREFIX!r}\n{BARE_SERVER}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        encoding="utf-8",
    )
    return EmbeddedServer(process, "bare", secrets.token_urlsafe(8))


def time_to_ready(start: Callable[[], EmbeddedServer]) -> float:
    """Seconds from starting the child to its announcing that it serves."""
    started = time.monotonic()
    server = start()
    try:
        server.wait_ready(120)
        return time.monotonic() - started
    finally:
        server.stop()


@contextmanager
def _own_folders() -> Iterator[None]:
    """The children build and copy the demo template under XDG_CACHE_HOME: a folder of the
    benchmark's own, so that its first start is a cold one and the user's cache is untouched."""
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME")}
    with tempfile.TemporaryDirectory(prefix="bench-embedded-") as folder:
        os.environ["XDG_CACHE_HOME"] = os.path.join(folder, "cache")
        os.environ["XDG_DATA_HOME"] = os.path.join(folder, "data")
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def run() -> list[Result]:
    with _own_folders():
        cold = time_to_ready(EmbeddedServer.start)
        # One warm-up of the baseline, so neither pays for a cold file cache of the web stack.
        time_to_ready(_bare_server)
        warm, bare = [], []
        for _ in range(RUNS):
            warm.append(time_to_ready(EmbeddedServer.start))
            bare.append(time_to_ready(_bare_server))
    return [
        Result.against(
            "embedded_warm_start",
            round(statistics.median(warm), 4),
            round(statistics.median(bare), 4),
            "s",
            notes=(
                f"median of {RUNS}; runs {[round(w, 2) for w in warm]}; "
                f"first start, building the template: {cold:.2f} s"
            ),
        )
    ]
