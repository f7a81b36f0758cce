"""The counter's tests run on the real reference platform: its client, and the counter rig."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.counter import CounterRig

from kiosk.backend.client import PlatformClient
from kiosk.server.embedded import EmbeddedServer


@pytest.fixture
def client(server: EmbeddedServer, tmp_path: Path) -> PlatformClient:
    return PlatformClient(server.url, server.kiosk_id, server.kiosk_key, cache_dir=tmp_path / "c")


@pytest.fixture
def rig(client: PlatformClient) -> CounterRig:
    return CounterRig(client)
