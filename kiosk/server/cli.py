"""`kiosk server [--host 127.0.0.1] [--port N] [--db URL]`: the reference platform service.

With no --db, the database is SQLite in the user's data directory, seeded with demo residents
when new. --fresh-demo serves a throwaway copy of the demo database instead (the embedded demo
does this). A kiosk can be registered at start through the environment: ONECARD_KIOSK_ID and
ONECARD_KIOSK_KEY (the key never goes on the command line, where `ps` would show it).

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

READY_PREFIX = "ONECARD-PLATFORM-READY "
ENV_KIOSK_ID = "ONECARD_KIOSK_ID"
ENV_KIOSK_KEY = "ONECARD_KIOSK_KEY"
ENV_KIOSK_LABEL = "ONECARD_KIOSK_LABEL"
DEFAULT_PORT = 8765

log = logging.getLogger("kiosk.server")


def add_arguments(parser: argparse.ArgumentParser) -> None:
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
        "--no-demo", action="store_true", help="do not seed demo residents into a new database"
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


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if not 0 <= args.port <= 65535:
        return _fail(f"port {args.port} is out of range", 2)
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

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from kiosk.server import demo, service

    if args.db:
        try:
            make_url(args.db)
        except ArgumentError:
            return _fail("--db is not a database URL (sqlite:///FILE, postgresql+psycopg://...)", 2)

    seed = args.seed if args.seed is not None else demo.DEFAULT_SEED
    scratch: Path | None = None
    try:
        if args.fresh_demo:
            url, scratch = service.fresh_demo_copy(seed)
        else:
            url = args.db or _default_url()
        try:
            engine = service.prepare(url, demo_seed=None if args.no_demo else seed)
        except Exception as exc:  # any driver's error: one line, not a traceback
            return _fail(f"cannot open the database {service.describe(url)}: {_first_line(exc)}")
        if kiosk_id and kiosk_key:
            try:
                service.register_kiosk(
                    engine, kiosk_id, kiosk_key, os.environ.get(ENV_KIOSK_LABEL, "")
                )
            except ValueError as exc:
                return _fail(str(exc), 2)
        return _serve(args, engine)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _default_url() -> str:
    from kiosk.server.db import default_db_url

    return default_db_url()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _serve(args: argparse.Namespace, engine: Any) -> int:
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
    config = uvicorn.Config(
        create_app(
            engine,
            # Demo codes only on a throwaway copy of the demo data, never on a real database.
            Settings(session_idle_s=args.session_idle, demo_codes=bool(args.fresh_demo)),
        ),
        access_log=False,  # our own access log writes route templates, never raw paths
        log_config=None,
        log_level=args.log_level,
        server_header=False,
        timeout_graceful_shutdown=5,
        **extra,
    )
    server = _Server(config, f"{scheme}://{host}:{port}", port)
    if args.exit_with_parent:
        _stop_when_stdin_closes(server)
    server.run(sockets=[sock])
    return 0


def _stop_when_stdin_closes(server: Any) -> None:
    """The embedded platform lives as long as the kiosk that started it: a kiosk killed outright
    cannot stop it, but its end closes our standard input, and that stops the server."""
    import threading

    def watch() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        server.should_exit = True

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


class _Server:
    """uvicorn.Server that announces its port once it really serves."""

    def __new__(cls, config: Any, url: str, port: int) -> Any:
        import uvicorn

        class Announcing(uvicorn.Server):
            async def startup(self, sockets: list[socket.socket] | None = None) -> None:
                await super().startup(sockets)
                if self.started:
                    line = json.dumps({"port": port, "url": url, "pid": os.getpid()})
                    sys.stdout.write(f"{READY_PREFIX}{line}\n")
                    sys.stdout.flush()

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
