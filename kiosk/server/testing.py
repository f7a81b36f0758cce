"""The platform in a thread of the current process, on a free loopback port: for tests.

Real HTTP through uvicorn and the real app, on a private copy of the demo database, with a
kiosk registered under a fresh key. Faster to start than the EmbeddedServer's child process,
and the test can reach into the database to arrange a case.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import threading
import time
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kiosk.server import demo, service
from kiosk.server.context import Settings
from kiosk.server.db import sessions, sqlite_url


class LivePlatform:
    def __init__(
        self,
        folder: Path,
        *,
        template: Path | None = None,
        seed: int = demo.DEFAULT_SEED,
        settings: Settings | None = None,
        db_url: str | None = None,
    ) -> None:
        if db_url is None:
            target = folder / "platform.sqlite3"
            shutil.copyfile(template or service.demo_template(seed), target)
            db_url = sqlite_url(target)
        self.engine: Engine = service.prepare(db_url, demo_seed=seed)
        self.kiosk_id = f"test-kiosk-{secrets.token_hex(3)}"
        self.kiosk_key = secrets.token_urlsafe(24)
        service.register_kiosk(self.engine, self.kiosk_id, self.kiosk_key, "test")
        self._settings = settings or Settings()
        self._thread: threading.Thread | None = None
        self._server: object = None
        self.url = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Kiosk-Id": self.kiosk_id, "X-Kiosk-Key": self.kiosk_key}

    def db(self) -> Session:
        return sessions(self.engine)()

    def start(self) -> LivePlatform:
        import uvicorn

        from kiosk.server.app import create_app

        sock = socket.socket(
            socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP
        )  # see cli._bind
        sock.bind(("127.0.0.1", 0))
        sock.listen(256)
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.engine, self._settings),
            access_log=False,
            log_config=None,
            log_level="warning",
        )
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="live-platform"
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test platform did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"
        return self

    def stop(self) -> None:
        import uvicorn

        if isinstance(self._server, uvicorn.Server) and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        self.engine.dispose()

    def __enter__(self) -> LivePlatform:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self.stop()
