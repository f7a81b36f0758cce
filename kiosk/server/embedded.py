"""The demo's own platform: `kiosk server` as a child process on loopback, with a fresh demo kiosk.

Light to import (no FastAPI, no SQLAlchemy here): the kiosk starts it first thing and goes on
building its window while the child starts; wait_ready() then gives the URL. The kiosk id and
key are made fresh for each start and handed to the child through its environment, so no
fixed demo key exists that a stranger on the network could use.
"""

from __future__ import annotations

import collections
import json
import os
import secrets
import subprocess
import threading
import time
from typing import IO, Final

from kiosk.server import launch

# The line `kiosk server` prints once it serves (kiosk.server.cli), for whoever started it.
# It lives here, not in the heavy cli module, so that the kiosk can read it without FastAPI.
READY_PREFIX = "ONECARD-PLATFORM-READY "
_STDERR_TAIL_LINES = 40


def ready_line(url: str, port: int, pid: int) -> str:
    """The line a server that has begun to serve prints on its standard output."""
    return READY_PREFIX + json.dumps({"port": port, "url": url, "pid": pid}) + "\n"


def ready_url(line: str) -> str | None:
    """The URL a server's ready line announces; None for any other line."""
    if not line.startswith(READY_PREFIX):
        return None
    try:
        return str(json.loads(line[len(READY_PREFIX) :])["url"])
    except (ValueError, KeyError, TypeError):
        return None


class EmbeddedServerError(RuntimeError):
    """The embedded platform did not come up; the message ends with its last words."""


class EmbeddedServer:
    def __init__(
        self,
        process: launch.ServerProcess,
        kiosk_id: str,
        kiosk_key: str,
    ) -> None:
        self._process = process
        # Fixed for the child's life, as LivePlatform's and Replicas' are: plain attributes.
        self.kiosk_id: Final = kiosk_id
        self.kiosk_key: Final = kiosk_key
        self.pid: Final = process.pid
        self._url: str | None = None
        self._ready = threading.Event()
        self._stderr: collections.deque[str] = collections.deque(maxlen=_STDERR_TAIL_LINES)
        assert process.stdout is not None and process.stderr is not None
        self._readers = [
            threading.Thread(target=self._read_stdout, args=(process.stdout,), daemon=True),
            threading.Thread(target=self._read_stderr, args=(process.stderr,), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @classmethod
    def start(
        cls,
        db_url: str | None = None,
        *,
        seed: int | None = None,
        session_idle_s: int | None = None,
        log_level: str = "warning",
    ) -> EmbeddedServer:
        """Launch the platform and return at once. With no db_url, a fresh copy of the demo data."""
        kiosk_id = f"demo-kiosk-{secrets.token_hex(4)}"
        kiosk_key = secrets.token_urlsafe(32)
        command = ["--host", "127.0.0.1", "--port", "0"]
        command += ["--db", db_url] if db_url else ["--fresh-demo"]
        if seed is not None:
            command += ["--seed", str(seed)]
        if session_idle_s is not None:
            command += ["--session-idle", str(session_idle_s)]
        command += ["--log-level", log_level, "--exit-with-parent"]
        env = dict(os.environ)
        env.update(
            ONECARD_KIOSK_ID=kiosk_id,
            ONECARD_KIOSK_KEY=kiosk_key,
            ONECARD_KIOSK_LABEL="embedded demo kiosk",
            PYTHONUNBUFFERED="1",
        )
        # Its standard input is held open and never written: when this process ends, however it
        # ends, the pipe closes and the server stops (--exit-with-parent).
        process = launch.start(command, env=env, stderr=subprocess.PIPE)
        return cls(process, kiosk_id, kiosk_key)

    @property
    def url(self) -> str:
        if self._url is None:
            raise EmbeddedServerError("the embedded platform is not ready yet; call wait_ready()")
        return self._url

    def running(self) -> bool:
        return self._process.poll() is None

    def wait_ready(self, timeout_s: float = 15.0) -> str:
        """Block until the child serves, and return its base URL."""
        deadline = time.monotonic() + timeout_s
        while not self._ready.wait(0.02):
            if self._process.poll() is not None:
                self._readers[1].join(1.0)  # let the last of stderr arrive
                raise EmbeddedServerError(
                    f"the embedded platform exited with code {self._process.returncode}"
                    f"{self._tail()}"
                )
            if time.monotonic() > deadline:
                raise EmbeddedServerError(
                    f"the embedded platform was not ready within {timeout_s:.0f} s{self._tail()}"
                )
        return self.url

    def stop(self, timeout_s: float = 5.0) -> None:
        """Terminate the child and wait for it; kill it if it will not go."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout_s)
        if self._process.stdin is not None:
            self._process.stdin.close()
        for reader in self._readers:
            reader.join(1.0)

    def __enter__(self) -> EmbeddedServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _tail(self) -> str:
        lines = [line for line in self._stderr if line.strip()]
        return (":\n" + "\n".join(lines[-10:])) if lines else ""

    def _read_stdout(self, stream: IO[str]) -> None:
        for line in stream:
            url = ready_url(line) if self._url is None else None
            if url is not None:
                self._url = url
                self._ready.set()

    def _read_stderr(self, stream: IO[str]) -> None:
        # Drained all the time: a full pipe would stall the child.
        for line in stream:
            self._stderr.append(line.rstrip("\n"))
