"""A real platform over real HTTP on loopback: uvicorn in a thread, a fresh demo database each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

# The demo platform's fixtures, shared with the browser's and the client's tests.
from live_platform import SEED, demo_template, live  # noqa: F401

from kiosk.server import service
from kiosk.server.testing import (
    LivePlatform,
    PostgresUnavailable,
    create_database,
    throwaway_postgres,
)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A throwaway PostgreSQL cluster on loopback; its URL without a database name."""
    pytest.importorskip("psycopg")
    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresUnavailable as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> str:
    """A seeded demo database to copy: CREATE DATABASE ... TEMPLATE is quicker than seeding."""
    url = create_database(postgres_server, "onecard_template")
    service.prepare(url, demo_seed=SEED).dispose()  # kiosk server migrate --demo
    return "onecard_template"


@pytest.fixture
def postgres_url(postgres_server: str, postgres_template: str) -> str:
    import secrets

    return create_database(postgres_server, f"t_{secrets.token_hex(6)}", postgres_template)


@pytest.fixture
def live_postgres(tmp_path: Path, postgres_url: str) -> Iterator[LivePlatform]:
    with LivePlatform(tmp_path, db_url=postgres_url, seed=SEED) as platform:
        yield platform
