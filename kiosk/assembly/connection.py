"""The platform as the flows see it from the first frame on, though it is still starting."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from kiosk.domain.errors import PlatformUnavailable

if TYPE_CHECKING:
    from kiosk.backend.client import PlatformClient
    from kiosk.backend.records import ConsentView, LookupResult, PinResetTicket, StaffSession
    from kiosk.domain.catalog import Catalog
    from kiosk.domain.session import ResidentSession

log = logging.getLogger("kiosk")


class Connector(Protocol):
    """How a kiosk reaches its platform (kiosk.assembly.platform_link): the embedded reference
    server, or the configured address."""

    def connect(self, closing: threading.Event) -> PlatformClient:
        """The client, once the platform answers; gives up when `closing` is set."""
        ...

    def stop(self) -> None:
        """Stops whatever `connect` started (the embedded server); again is harmless."""
        ...


class PlatformConnection:
    """The platform client, which may still be starting (the embedded server takes seconds).

    The flows hold it from the first frame, before anything of the platform is loaded; the
    second phase of the start hands it a Connector. Calls come from worker threads, so waiting
    here never holds up the screen; a platform that never comes up is PlatformUnavailable, the
    same words as a network outage.
    """

    def __init__(self, wait_s: float = 30.0) -> None:
        self._wait_s = wait_s
        self._closing = threading.Event()
        self._client: PlatformClient | None = None
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._connector: Connector | None = None
        self.url = ""

    def start(
        self,
        connector: Connector,
        on_connected: Callable[[PlatformClient], None] | None = None,
    ) -> None:
        self._connector = connector
        self._thread = threading.Thread(
            target=self._start, args=(connector, on_connected), name="platform-start", daemon=True
        )
        self._thread.start()

    def _start(
        self, connector: Connector, on_connected: Callable[[PlatformClient], None] | None
    ) -> None:
        try:
            self._client = connector.connect(self._closing)
            self.url = self._client.base_url
            if on_connected is not None:
                on_connected(self._client)
        except Exception as error:  # reported to the resident as "platform unavailable"
            log.error("the platform did not start: %s", type(error).__name__)
        finally:
            self._ready.set()

    def close(self) -> None:
        """Stops the embedded server; a start still under way sees `closing` and gives up."""
        self._closing.set()
        if self._connector is not None:
            self._connector.stop()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        if self._connector is not None:  # a server started in the meantime
            self._connector.stop()

    def client(self) -> PlatformClient:
        if not self._ready.wait(self._wait_s) or self._client is None:
            raise PlatformUnavailable()
        return self._client

    # --- the session's calls (kiosk.flows.ports.Platform) --------------------------------

    def open_session_by_card(
        self, card_identifier: str, card_number: str, *, scope: str = "full"
    ) -> ResidentSession:
        return self.client().open_session_by_card(card_identifier, card_number, scope=scope)

    def close_session(self, token: str) -> None:
        self.client().close_session(token)

    def catalog(self) -> Catalog:
        return self.client().catalog()

    def request_assistance(self, screen: str) -> object:
        return self.client().request_assistance(screen)

    def open_session_by_ecode(self, code: str) -> ResidentSession:
        return self.client().open_session_by_ecode(code)

    # --- a counter's staff calls (kiosk.counter.flow.StaffPlatform) ----------------------

    def staff_login(self, username: str, password: str) -> StaffSession:
        return self.client().staff_login(username, password)

    def staff_logout(self, staff_token: str) -> None:
        self.client().staff_logout(staff_token)

    def ask_consent(self, staff_token: str, purpose: str) -> ConsentView:
        return self.client().ask_consent(staff_token, purpose)

    def staff_lookup(self, staff_token: str, consent_id: str) -> LookupResult:
        return self.client().staff_lookup(staff_token, consent_id)

    def check_pin_reset(
        self, staff_token: str, card_identifier: str, card_number: str, id_number: str
    ) -> PinResetTicket:
        return self.client().check_pin_reset(staff_token, card_identifier, card_number, id_number)

    def pin_reset_outcome(self, staff_token: str, reset_id: str, *, written: bool) -> None:
        self.client().pin_reset_outcome(staff_token, reset_id, written=written)

    # Read on the screen's thread when a slip is made: never wait for the platform there.
    @property
    def kiosk_id(self) -> str:
        return self._client.kiosk_id if self._client is not None else ""

    @property
    def base_url(self) -> str:
        return self._client.base_url if self._client is not None else ""

    def __getattr__(self, name: str) -> object:
        """The resident tasks' calls (records, certificates, the card's life, a loss report by
        ID number...) go to the client as they are. Tasks call them only through the runner,
        off the screen's thread, so waiting here for a platform still starting is fine."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.client(), name)
