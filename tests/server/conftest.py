"""A real platform over real HTTP on loopback: uvicorn in a thread, a fresh demo database each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.server import service
from kiosk.server.testing import LivePlatform

SEED = 2024


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return service.demo_template(SEED, folder=tmp_path_factory.mktemp("demo-template"))


@pytest.fixture
def live(tmp_path: Path, demo_template: Path) -> Iterator[LivePlatform]:
    with LivePlatform(tmp_path, template=demo_template, seed=SEED) as platform:
        yield platform


def _postgres_bin() -> Path | None:
    import glob
    import shutil

    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))  # Debian keeps it here
    return Path(versions[-1]).parent if versions else None


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback; its URL without a database name."""
    import os
    import socket
    import subprocess

    pytest.importorskip("psycopg")
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (Debian: postgresql)")
    import shutil
    import tempfile

    # Not under pytest's temp root: that is root's alone, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="onecard-pg-"))
    data = folder / "data"
    prefix: list[str] = []
    if os.geteuid() == 0:  # postgres will not run as root: run it as the postgres user
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a postgres user")
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    run = lambda *args: subprocess.run(  # noqa: E731
        [*prefix, *args], check=True, capture_output=True, text=True, timeout=120
    )
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
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> str:
    """A seeded demo database to copy: CREATE DATABASE ... TEMPLATE is quicker than seeding."""
    from sqlalchemy import create_engine, text

    admin = create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE DATABASE onecard_template"))
    admin.dispose()
    engine = service.prepare(f"{postgres_server}/onecard_template", demo_seed=SEED)
    engine.dispose()
    return "onecard_template"


@pytest.fixture
def postgres_url(postgres_server: str, postgres_template: str) -> str:
    import secrets

    from sqlalchemy import create_engine, text

    name = f"t_{secrets.token_hex(6)}"
    admin = create_engine(f"{postgres_server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name} TEMPLATE {postgres_template}"))
    admin.dispose()
    return f"{postgres_server}/{name}"


@pytest.fixture
def live_postgres(tmp_path: Path, postgres_url: str) -> Iterator[LivePlatform]:
    with LivePlatform(tmp_path, db_url=postgres_url, seed=SEED) as platform:
        yield platform
