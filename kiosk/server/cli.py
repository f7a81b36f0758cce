"""`kiosk server [--host 127.0.0.1] [--port N] [--db URL] [--workers N]`: the reference platform
service, and `kiosk server migrate --db URL [--demo]`, which brings a database to the schema
this version serves.

With no --db, the database is SQLite in the user's data directory. A server only serves a
database at the newest schema: migrating is its own step, run once per upgrade, so that replicas
starting together never race to alter the schema (docs/deployment.md). --fresh-demo serves a
throwaway copy of the demo database instead (the embedded demo does this), which it migrates
itself. A kiosk can be registered at start through the environment: ONECARD_KIOSK_ID and
ONECARD_KIOSK_KEY (the key never goes on the command line, where `ps` would show it).

--workers N serves with N processes on one socket. Every process is stateless: what must hold
across requests (codes, counters, lock-outs, rate limits, the audit chain's head) lives in the
database, so N workers, or N servers on N hosts over one PostgreSQL, behave as one.

When it listens, the service prints one line on stdout for whoever started it:
    ONECARD-PLATFORM-READY {"port": 8765, "url": "http://127.0.0.1:8765"}
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import os
import shutil
import socket
import sys
from pathlib import Path
from typing import Any

from kiosk.server.embedded import ready_line

ENV_KIOSK_ID = "ONECARD_KIOSK_ID"
ENV_KIOSK_KEY = "ONECARD_KIOSK_KEY"
ENV_KIOSK_LABEL = "ONECARD_KIOSK_LABEL"
DEFAULT_PORT = 8765

log = logging.getLogger("kiosk.server")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    steps = parser.add_subparsers(dest="server_step", metavar="{migrate,purge}")
    migrate = steps.add_parser(
        "migrate",
        help="bring the database to the schema this version serves, then stop",
        description="Bring the database to the schema this version serves (run once per"
        " upgrade, before the servers start), then stop.",
    )
    migrate.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="SQLAlchemy URL (default: SQLite in the user's data directory)",
    )
    migrate.add_argument(
        "--demo",
        action="store_true",
        help="seed the fictional demo residents and staff into a database that has no residents",
    )
    migrate.add_argument("--seed", type=int, default=argparse.SUPPRESS, help="demo data seed")
    purge = steps.add_parser(
        "purge",
        help="delete what has outlived its retention period (docs/platform.md), then stop",
        description="Delete what has outlived its retention period, then stop. Every server"
        " does this hourly by itself; this is for a database no server runs on.",
    )
    purge.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help="SQLAlchemy URL")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port to listen on; 0 picks a free one"
    )
    parser.add_argument(
        "--db", metavar="URL", help="SQLAlchemy URL (sqlite:///..., postgresql+psycopg://...)"
    )
    parser.add_argument(
        "--fresh-demo", action="store_true", help="serve a throwaway copy of the demo database"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve with N worker processes on one socket (default 1)",
    )
    parser.add_argument(
        "--trusted-proxy",
        metavar="ADDRESSES",
        default="",
        help="the load balancers' addresses (comma-separated) whose X-Forwarded-For is believed,"
        " for the per-client rate limits",
    )
    parser.add_argument("--seed", type=int, default=None, help="demo data seed (default 2024)")
    parser.add_argument(
        "--session-idle", type=int, default=300, metavar="S", help="resident session idle timeout"
    )
    parser.add_argument("--ssl-certfile", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--ssl-keyfile", help="the certificate's private key (PEM)")
    parser.add_argument(
        "--ssl-ca-certs", help="require kiosks to present a client certificate from this CA"
    )
    parser.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"]
    )
    parser.add_argument(
        "--exit-with-parent",
        action="store_true",
        help="stop when standard input closes (the kiosk that started this one has ended)",
    )


def _fail(message: str, code: int = 1) -> int:
    sys.stderr.write(f"kiosk server: {message}\n")
    return code


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)


class _EndedBySignal(Exception):
    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _end_by_signal(number: int, _frame: object) -> None:
    raise _EndedBySignal(number)


def run(args: argparse.Namespace) -> int:
    """Serve (or migrate, or purge) as the arguments say; the exit code.

    Stopped by SIGTERM (as the kiosk stops its embedded platform), uvicorn shuts down and then
    raises the signal again with the handler it found at start. With the default handler that
    ended the process on the spot, and a --fresh-demo server left its copy of the demo data
    in the temporary folder. The handler here turns it into an exception instead, so that the
    copy is removed on the way out, and then the process still ends by the signal, as whoever
    started it expects."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _run(args)
    previous = signal.signal(signal.SIGTERM, _end_by_signal)
    try:
        return _run(args)
    except _EndedBySignal as ended:
        signal.signal(ended.number, signal.SIG_DFL)
        signal.raise_signal(ended.number)
        return 128 + ended.number  # not reached: the signal ends the process
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    _configure_logging(args.log_level)
    if getattr(args, "server_step", None) == "migrate":
        return _migrate(args)
    if getattr(args, "server_step", None) == "purge":
        return _purge(args)
    if not 0 <= args.port <= 65535:
        return _fail(f"port {args.port} is out of range", 2)
    if not 1 <= args.workers <= 64:
        return _fail("--workers must be 1 to 64", 2)
    if args.fresh_demo and args.db:
        return _fail("--fresh-demo and --db exclude each other", 2)
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        return _fail("--ssl-certfile and --ssl-keyfile go together", 2)
    if args.ssl_ca_certs and not args.ssl_certfile:
        return _fail("--ssl-ca-certs needs --ssl-certfile and --ssl-keyfile", 2)
    if args.session_idle < 10:
        return _fail("--session-idle must be at least 10 seconds", 2)
    kiosk_id, kiosk_key = os.environ.get(ENV_KIOSK_ID), os.environ.get(ENV_KIOSK_KEY)
    if bool(kiosk_id) != bool(kiosk_key):
        return _fail(f"{ENV_KIOSK_ID} and {ENV_KIOSK_KEY} go together", 2)

    from kiosk.server import demo, service

    if args.db and not _is_url(args.db):
        return _fail("--db is not a database URL (sqlite:///FILE, postgresql+psycopg://...)", 2)

    seed = args.seed if args.seed is not None else demo.DEFAULT_SEED
    scratch: Path | None = None
    try:
        if args.fresh_demo:
            service.remove_stale_demo_copies()
            url, scratch = service.fresh_demo_copy(seed)
        else:
            url = args.db or _default_url()
        try:
            if args.fresh_demo:  # its own throwaway copy: it may migrate that itself
                engine = service.prepare(url, demo_seed=seed)
            else:
                engine = service.open_for_serving(url)
        except service.NotAtHead as refusal:
            return _fail(f"{service.describe(url)}: {refusal}")
        except Exception as exc:  # any driver's error: one line, not a traceback
            return _fail(f"cannot open the database {service.describe(url)}: {_first_line(exc)}")
        if kiosk_id and kiosk_key:
            try:
                service.register_kiosk(
                    engine, kiosk_id, kiosk_key, os.environ.get(ENV_KIOSK_LABEL, "")
                )
            except ValueError as exc:
                return _fail(str(exc), 2)
        return _serve(args, engine, url)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _is_url(text: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        make_url(text)
    except ArgumentError:
        return False
    return True


def _migrate(args: argparse.Namespace) -> int:
    from kiosk.server import db, demo, service

    url = getattr(args, "db", None) or _default_url()
    if not _is_url(url):
        return _fail("--db is not a database URL (sqlite:///FILE, postgresql+psycopg://...)", 2)
    seed = getattr(args, "seed", None)
    seed = seed if seed is not None else demo.DEFAULT_SEED
    try:
        engine = service.prepare(url, demo_seed=seed if args.demo else None)
        revision = db.current_revision(engine)
        engine.dispose()
    except Exception as exc:  # any driver's error: one line, not a traceback
        return _fail(f"cannot migrate {service.describe(url)}: {_first_line(exc)}")
    sys.stdout.write(f"kiosk server migrate: {service.describe(url)} is at {revision}\n")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from kiosk.server import retention, service

    url = getattr(args, "db", None) or _default_url()
    if not _is_url(url):
        return _fail("--db is not a database URL (sqlite:///FILE, postgresql+psycopg://...)", 2)
    try:
        engine = service.open_for_serving(url)
        gone = retention.purge_engine(engine)
        engine.dispose()
    except service.NotAtHead as refusal:
        return _fail(f"{service.describe(url)}: {refusal}")
    except Exception as exc:  # any driver's error: one line, not a traceback
        return _fail(f"cannot purge {service.describe(url)}: {_first_line(exc)}")
    summary = ", ".join(f"{kind} {count}" for kind, count in gone.items())
    sys.stdout.write(f"kiosk server purge: {summary}\n")
    return 0


def _default_url() -> str:
    from kiosk.server.db import default_db_url

    return default_db_url()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _serve(args: argparse.Namespace, engine: Any, url: str) -> int:
    import uvicorn

    from kiosk.server.app import create_app
    from kiosk.server.context import Settings

    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}")
    port = sock.getsockname()[1]
    scheme = "https" if args.ssl_certfile else "http"
    host = f"[{args.host}]" if ":" in args.host else args.host
    if scheme == "http" and not _loopback(args.host):
        log.warning("serving plain HTTP on %s: kiosks will refuse it; use --ssl-certfile", host)
    extra: dict[str, Any] = {}
    if args.ssl_certfile:
        import ssl

        extra.update(ssl_certfile=args.ssl_certfile, ssl_keyfile=args.ssl_keyfile)
        if args.ssl_ca_certs:  # mutual TLS: the kiosk proves itself by certificate as well
            extra.update(ssl_ca_certs=args.ssl_ca_certs, ssl_cert_reqs=ssl.CERT_REQUIRED)
    if args.trusted_proxy:
        extra.update(proxy_headers=True, forwarded_allow_ips=args.trusted_proxy)
    else:  # uvicorn would otherwise believe X-Forwarded-For from loopback
        extra.update(proxy_headers=False)
    # Demo codes only on a throwaway copy of the demo data, never on a real database.
    settings = Settings(session_idle_s=args.session_idle, demo_codes=bool(args.fresh_demo))
    common: dict[str, Any] = dict(
        access_log=False,  # our own access log writes route templates, never raw paths
        log_config=None,
        log_level=args.log_level,
        server_header=False,
        timeout_graceful_shutdown=5,
        **extra,
    )
    announced = f"{scheme}://{host}:{port}"
    if args.workers > 1:
        return _serve_workers(args, engine, url, settings, sock, announced, port, common)
    config = uvicorn.Config(create_app(engine, settings), **common)
    server = _Server(config, announced, port)
    if args.exit_with_parent:
        _stop_when_stdin_closes(server)
    server.run(sockets=[sock])
    return 0


WORKER_ENV = "ONECARD_SERVER_WORKER"


def _serve_workers(
    args: argparse.Namespace,
    engine: Any,
    url: str,
    settings: Any,
    sock: socket.socket,
    announced: str,
    port: int,
    common: dict[str, Any],
) -> int:
    """N processes on one listening socket, each with its own engine (kiosk.server.app's
    worker_app builds it from WORKER_ENV: uvicorn starts workers afresh, not by fork)."""
    import dataclasses

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    engine.dispose()
    os.environ[WORKER_ENV] = json.dumps(
        {"url": url, "log_level": args.log_level, "settings": dataclasses.asdict(settings)}
    )
    config = uvicorn.Config(
        "kiosk.server.app:worker_app", factory=True, workers=args.workers, **common
    )
    supervisor = Multiprocess(config, sockets=[sock])
    if args.exit_with_parent:
        _stop_when_stdin_closes(supervisor)
    # The socket listens already: connections wait in its backlog until a worker takes them.
    _announce(announced, port)
    supervisor.run()
    return 0


def _stop_when_stdin_closes(server: Any) -> None:
    """The embedded platform lives as long as the kiosk that started it: a kiosk killed outright
    cannot stop it, but its end closes our standard input, and that stops the server."""
    import threading

    def watch() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        flag = getattr(server, "should_exit", None)
        if isinstance(flag, threading.Event):  # the workers' supervisor
            flag.set()
        else:
            server.should_exit = True

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _announce(url: str, port: int) -> None:
    sys.stdout.write(ready_line(url, port, os.getpid()))
    sys.stdout.flush()


class _Server:
    """uvicorn.Server that announces its port once it really serves."""

    def __new__(cls, config: Any, url: str, port: int) -> Any:
        import uvicorn

        class Announcing(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets)
                if self.started:
                    _announce(url, port)

        return Announcing(config)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets that say they
    # are TCP, and with Nagle on, each answer waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(512)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
