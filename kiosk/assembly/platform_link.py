"""How the kiosk reaches its platform, and the outbox that delivers what a resident files."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_path

from kiosk.assembly.paths import APP_NAME
from kiosk.backend.connection import PlatformConnection
from kiosk.backend.outbox import Outbox
from kiosk.backend.transport import Endpoint
from kiosk.domain.errors import PlatformUnavailable
from kiosk.server.embedded import EmbeddedServer

if TYPE_CHECKING:
    from kiosk.backend.client import PlatformClient
    from kiosk.config import Config


def platform_connection(
    config: Config,
    client: PlatformClient,
    on_connected: Callable[[PlatformClient], None] | None = None,
) -> PlatformConnection:
    """Finds the platform for `client`, once started: the embedded reference server (the
    demo's), or the configured address with this kiosk's enrolled key."""
    servers: list[EmbeddedServer] = []

    def embedded(closing: threading.Event) -> Endpoint:
        if closing.is_set():
            raise PlatformUnavailable()
        server = EmbeddedServer.start()
        servers.append(server)
        url = server.wait_ready(timeout_s=60.0)
        return Endpoint(url, server.kiosk_id, server.kiosk_key)

    def configured(closing: threading.Event) -> Endpoint:
        key = Path(config.platform.kiosk_key_file).read_text(encoding="utf-8").strip()
        return Endpoint(config.platform.url, config.kiosk.id, key)

    connect = embedded if config.platform.url == "embedded" else configured
    return PlatformConnection(client, connect, servers, on_connected)


def open_outbox(client: PlatformClient) -> Outbox:
    """Submissions wait here, on disk, until the platform has them (Art. 16: nothing a
    resident files is lost to a network outage). It sends once it is started."""
    return Outbox(user_data_path(APP_NAME) / "outbox.sqlite3", client)
