"""Fixtures for the client: a real platform on loopback, and a scripted one for faults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# A real platform on loopback, as the server's tests have it.
from live_platform import demo_template, live  # noqa: F401
from scripted import ScriptedServer  # pytest puts this folder on sys.path


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.close()
