"""Fixtures for the client: a real platform on loopback, and a scripted one for faults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from scripted import ScriptedServer  # pytest puts this folder on sys.path

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


@pytest.fixture
def scripted() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.close()
