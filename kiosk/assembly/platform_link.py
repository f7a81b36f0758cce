"""How the kiosk reaches its platform, and the outbox that delivers what a resident files."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

from kiosk.assembly.paths import APP_NAME
from kiosk.backend.client import PlatformClient
from kiosk.backend.outbox import Outbox
from kiosk.domain.errors import PlatformUnavailable
from kiosk.server.embedded import EmbeddedServer

if TYPE_CHECKING:
    from kiosk.assembly.connection import Connector
    from kiosk.config import Config


class EmbeddedPlatform:
    """The reference platform (`kiosk server`) started on loopback: the demo's."""

    def __init__(self, timeout_s: float, cache_dir: Path) -> None:
        self._timeout_s = timeout_s
        self._cache_dir = cache_dir
        self._servers: list[EmbeddedServer] = []

    def connect(self, closing: threading.Event) -> PlatformClient:
        if closing.is_set():
            raise PlatformUnavailable()
        server = EmbeddedServer.start()
        self._servers.append(server)
        url = server.wait_ready(timeout_s=60.0)
        return PlatformClient(
            url,
            server.kiosk_id,
            server.kiosk_key,
            timeout_s=self._timeout_s,
            cache_dir=self._cache_dir,
        )

    def stop(self) -> None:
        for server in list(self._servers):
            server.stop()


class ConfiguredPlatform:
    """The platform at the configured address, with this kiosk's enrolled key."""

    def __init__(self, config: Config, cache_dir: Path) -> None:
        self._config = config
        self._cache_dir = cache_dir

    def connect(self, closing: threading.Event) -> PlatformClient:
        section = self._config.platform
        key = Path(section.kiosk_key_file).read_text(encoding="utf-8").strip()
        return PlatformClient(
            section.url,
            self._config.kiosk.id,
            key,
            timeout_s=section.timeout_s,
            cache_dir=self._cache_dir,
            ca_bundle=section.ca_file or None,
        )

    def stop(self) -> None:
        """Nothing was started: the platform runs elsewhere."""


def platform_connector(config: Config, cache_dir: Path) -> Connector:
    """The embedded reference server, or the configured URL."""
    if config.platform.url == "embedded":
        return EmbeddedPlatform(config.platform.timeout_s, cache_dir)
    return ConfiguredPlatform(config, cache_dir)


def open_outbox(client: PlatformClient) -> Outbox:
    """Submissions wait here, on disk, until the platform has them (Art. 16: nothing a
    resident files is lost to a network outage)."""
    outbox = Outbox(user_data_path(APP_NAME) / "outbox.sqlite3", client)
    outbox.start()
    return outbox
