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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import KW_ONLY, dataclass, field
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kiosk.server import demo, launch, service
from kiosk.server.context import Settings
from kiosk.server.db import sessions, sqlite_url
from kiosk.server.embedded import ready_url


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


def _replica_kiosk_id() -> str:
    return f"replica-kiosk-{secrets.token_hex(3)}"


def _kiosk_key() -> str:
    return secrets.token_urlsafe(24)


@dataclass(eq=False)
class Replicas:
    """Several real `kiosk server` processes over one database, as a city runs them behind a
    load balancer: each its own port (and with workers > 1, its own worker processes), the same
    kiosk registered from each one's environment. For the race tests and the city benchmark.

    The database must be migrated first (`kiosk server migrate`); the processes seed nothing.
    """

    db_url: str
    count: int = 2
    _: KW_ONLY
    workers: int = 1
    log_level: str = "warning"
    extra_args: tuple[str, ...] = ()
    # Made here, not given: each set of replicas registers a kiosk of its own.
    kiosk_id: str = field(init=False, default_factory=_replica_kiosk_id)
    kiosk_key: str = field(init=False, default_factory=_kiosk_key, repr=False)
    urls: list[str] = field(init=False, default_factory=list)
    logs: list[Path] = field(init=False, default_factory=list)
    _processes: list[launch.ServerProcess] = field(init=False, default_factory=list, repr=False)

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Kiosk-Id": self.kiosk_id, "X-Kiosk-Key": self.kiosk_key}

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._processes]

    def start(self, log_folder: Path, timeout_s: float = 60.0) -> Replicas:
        import os

        env = dict(os.environ)
        env.update(
            ONECARD_KIOSK_ID=self.kiosk_id,
            ONECARD_KIOSK_KEY=self.kiosk_key,
            PYTHONUNBUFFERED="1",
        )
        for number in range(self.count):
            log = log_folder / f"replica-{number}.log"
            self.logs.append(log)
            command = ["--db", self.db_url, "--port", "0", "--workers", str(self.workers)]
            command += ["--log-level", self.log_level, *self.extra_args, "--exit-with-parent"]
            with log.open("w") as stderr:  # the child has its own copy of the file
                self._processes.append(launch.start(command, env=env, stderr=stderr))
        for process in self._processes:
            deadline = time.monotonic() + timeout_s
            assert process.stdout is not None
            line = process.stdout.readline()
            url = ready_url(line)
            if url is None or time.monotonic() > deadline:
                self.stop()
                logs = " | ".join(p.read_text(errors="replace")[-400:] for p in self.logs)
                raise RuntimeError(f"a replica did not start: {line.strip()} {logs}")
            self.urls.append(url)
        self._wait_served(timeout_s)
        return self

    def _wait_served(self, timeout_s: float) -> None:
        """With workers, the port listens before a worker answers: wait for health."""
        import requests

        deadline = time.monotonic() + timeout_s
        for url in self.urls:
            while True:
                try:
                    if requests.get(f"{url}/v1/health", timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the replica at {url} does not answer")
                time.sleep(0.05)

    def stop(self) -> None:
        import subprocess

        for process in self._processes:
            if process.poll() is None:
                process.terminate()
        for process in self._processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
            if process.stdin is not None:
                process.stdin.close()
            if process.stdout is not None:
                process.stdout.close()
        self._processes.clear()

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs if p.exists())


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries here, or no user to run them as."""


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    """A PostgreSQL cluster of its own on a free loopback port, gone afterwards: its URL
    without a database name. Debian's binaries (package postgresql), run as the postgres user
    when this is root (the server refuses to run as root). For tests and benchmarks only:
    fsync is off."""
    import glob
    import os
    import subprocess
    import tempfile

    found = shutil.which("initdb")
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))  # where Debian keeps it
    if found is None and not versions:
        raise PostgresUnavailable("PostgreSQL is not installed (Debian: postgresql)")
    binaries = Path(found or versions[-1]).parent
    # Not under a root-only temporary folder: the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="onecard-pg-"))
    data = folder / "data"
    prefix: list[str] = []
    if os.geteuid() == 0:
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder, ignore_errors=True)
            raise PostgresUnavailable("running as root without a postgres user") from None
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True, timeout=120)

    try:
        run(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "onecard", "--no-sync")
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        )
        try:
            yield f"postgresql+psycopg://onecard@127.0.0.1:{port}"
        finally:
            run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """CREATE DATABASE on a throwaway cluster; returns the new database's URL."""
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        suffix = f" TEMPLATE {template}" if template else ""
        connection.execute(text(f"CREATE DATABASE {name}{suffix}"))
    admin.dispose()
    return f"{server_url}/{name}"
