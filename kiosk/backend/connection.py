"""Reaching the platform in the background, for a client the flows hold from the first frame.

The embedded reference server takes seconds to come up, and the first frame must not wait for
it. The flows are given the client at once (PlatformClient.reached_later); this finds where the
platform is on a thread of its own and tells the client, whose calls wait for it meanwhile on the
worker threads that make them. A platform that never comes up is PlatformUnavailable, the same
words as a network outage.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.backend.client import PlatformClient
    from kiosk.backend.transport import Endpoint

log = logging.getLogger("kiosk.backend")


class Stoppable(Protocol):
    """A server started for the connection (the embedded reference platform)."""

    def stop(self) -> None: ...


class PlatformConnection:
    """Finds the platform for `client`: `connect` says where it is (starting it, if it is the
    embedded one, into `servers`), and `on_connected` hears once it is reached."""

    def __init__(
        self,
        client: PlatformClient,
        connect: Callable[[threading.Event], Endpoint],
        servers: Sequence[Stoppable] = (),
        on_connected: Callable[[PlatformClient], None] | None = None,
    ) -> None:
        self.client = client
        self._connect = connect
        self._on_connected = on_connected
        self._servers = servers
        self._closing = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._start, name="platform-start", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            self.client.reach(self._connect(self._closing))
        except Exception as error:  # reported to the resident as "platform unavailable"
            log.error("the platform did not start: %s", type(error).__name__)
            self.client.unreachable()
            return
        if self._on_connected is not None:
            self._on_connected(self.client)

    def close(self) -> None:
        """Stops the embedded server; a start still under way sees `closing` and gives up."""
        self._closing.set()
        for server in list(self._servers):
            server.stop()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        for server in self._servers:  # one started in the meantime
            server.stop()


if TYPE_CHECKING:
    # Never run: mypy checks here that the real client and the outbox are what the flows' ports
    # and the counter's ask for.
    from kiosk.backend.outbox import Outbox
    from kiosk.counter.flow import CounterPlatform
    from kiosk.flows import ports

    def _fits(
        client: PlatformClient, outbox: Outbox
    ) -> tuple[CounterPlatform, ports.FleetPlatform, ports.Outbox]:
        return client, client, outbox
