"""The platform as the kiosk's flows see it while its client may still be starting.

The embedded reference server takes seconds to come up, and the first frame must not wait for
it: the flows are given this connection at once, and each call waits here, on the worker thread
the TaskRunner put it on, for the client to be ready. A platform that never comes up is
PlatformUnavailable, the same words as a network outage.

Every call is spelt out, so that mypy checks this against the flows' ports (kiosk.flows.ports
Platform, the counter's StaffPlatform and ConsentDesk) and the outbox's DeliveryClient.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from kiosk.domain.errors import PlatformUnavailable

if TYPE_CHECKING:
    from kiosk.backend.client import PlatformClient
    from kiosk.domain.card_requests import CardRequest, CardView, LossCodeSent, LossReported
    from kiosk.domain.catalog import Catalog
    from kiosk.domain.complaints import ComplaintView
    from kiosk.domain.records import (
        CardUse,
        Certificate,
        Contributions,
        MedicalAccount,
        PensionPayment,
        SubsidyPayment,
    )
    from kiosk.domain.session import ResidentSession
    from kiosk.domain.staff import ConsentView, LookupResult, PinResetTicket, StaffSession

log = logging.getLogger("kiosk.backend")


class Stoppable(Protocol):
    """A server started for the connection (the embedded reference platform)."""

    def stop(self) -> None: ...


class PlatformConnection:
    """The platform client, which may still be starting. Safe to use from several threads."""

    def __init__(
        self,
        connect: Callable[[threading.Event], PlatformClient],
        servers: Sequence[Stoppable],
        wait_s: float = 30.0,
        on_connected: Callable[[PlatformClient], None] | None = None,
    ) -> None:
        self._connect = connect
        self._on_connected = on_connected
        self._servers = servers
        self._wait_s = wait_s
        self._closing = threading.Event()
        self._client: PlatformClient | None = None
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self.url = ""

    def start(self) -> None:
        self._thread = threading.Thread(target=self._start, name="platform-start", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            self._client = self._connect(self._closing)
            self.url = self._client.base_url
            if self._on_connected is not None:
                self._on_connected(self._client)
        except Exception as error:  # reported to the resident as "platform unavailable"
            log.error("the platform did not start: %s", type(error).__name__)
        finally:
            self._ready.set()

    def close(self) -> None:
        """Stops the embedded server; a start still under way sees `closing` and gives up."""
        self._closing.set()
        for server in list(self._servers):
            server.stop()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        for server in self._servers:  # one started in the meantime
            server.stop()

    def client(self) -> PlatformClient:
        if not self._ready.wait(self._wait_s) or self._client is None:
            raise PlatformUnavailable()
        return self._client

    # Read on the screen's thread when a slip is made: never wait for the platform there.
    @property
    def kiosk_id(self) -> str:
        return self._client.kiosk_id if self._client is not None else ""

    @property
    def base_url(self) -> str:
        return self._client.base_url if self._client is not None else ""

    # --- the resident's session (kiosk.flows.ports) -------------------------------------------

    def open_session_by_card(
        self, card_identifier: str, card_number: str, *, scope: str = "full"
    ) -> ResidentSession:
        return self.client().open_session_by_card(card_identifier, card_number, scope=scope)

    def open_session_by_ecode(self, code: str) -> ResidentSession:
        return self.client().open_session_by_ecode(code)

    def close_session(self, token: str) -> None:
        self.client().close_session(token)

    def catalog(self) -> Catalog:
        return self.client().catalog()

    def request_assistance(self, screen: str) -> dt.datetime:
        return self.client().request_assistance(screen)

    def contributions(
        self,
        token: str,
        *,
        insurance: str | None = None,
        since: str | None = None,
        limit: int = 600,
    ) -> Contributions:
        return self.client().contributions(token, insurance=insurance, since=since, limit=limit)

    def medical_account(self, token: str, *, limit: int = 100) -> MedicalAccount:
        return self.client().medical_account(token, limit=limit)

    def pension_payments(self, token: str, *, limit: int = 120) -> tuple[PensionPayment, ...]:
        return self.client().pension_payments(token, limit=limit)

    def subsidies(self, token: str, *, limit: int = 100) -> tuple[SubsidyPayment, ...]:
        return self.client().subsidies(token, limit=limit)

    def card_uses(
        self, token: str, *, kind: str | None = None, limit: int = 100
    ) -> tuple[CardUse, ...]:
        return self.client().card_uses(token, kind=kind, limit=limit)

    def issue_certificate(
        self,
        token: str,
        kind: str = "insured_status",
        *,
        insurances: tuple[str, ...] | None = None,
        period: tuple[str, str] | None = None,
    ) -> Certificate:
        return self.client().issue_certificate(token, kind, insurances=insurances, period=period)

    def card(self, token: str) -> CardView:
        return self.client().card(token)

    def request_loss_code(self, id_number: str) -> LossCodeSent:
        return self.client().request_loss_code(id_number)

    def report_loss_by_code(
        self, request_id: str, code: str, *, idempotency_key: str
    ) -> LossReported:
        return self.client().report_loss_by_code(request_id, code, idempotency_key=idempotency_key)

    def complaints(self, token: str) -> tuple[ComplaintView, ...]:
        return self.client().complaints(token)

    def complaint(self, tracking_number: str, token: str | None = None) -> ComplaintView:
        return self.client().complaint(tracking_number, token)

    # --- the outbox's deliveries (kiosk.backend.outbox.DeliveryClient) -------------------------

    def submit(
        self,
        kind: str,
        body: Mapping[str, object],
        *,
        idempotency_key: str,
        token: str | None = None,
        grant: str | None = None,
        retry: bool = True,
    ) -> CardRequest | ComplaintView:
        return self.client().submit(
            kind, body, idempotency_key=idempotency_key, token=token, grant=grant, retry=retry
        )

    def delivery_grants(self, token: str, keys: Sequence[str]) -> dict[str, str]:
        return self.client().delivery_grants(token, keys)

    # --- the counter: the resident's consent and the staff's calls (kiosk.counter) -----------

    def consent_request(self, token: str, consent_id: str) -> ConsentView:
        return self.client().consent_request(token, consent_id)

    def answer_consent(self, token: str, consent_id: str, *, granted: bool) -> ConsentView:
        return self.client().answer_consent(token, consent_id, granted=granted)

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


if TYPE_CHECKING:
    # Never run: mypy checks here that the real client, this connection and the outbox are what
    # the flows' ports and the counter's ask for.
    from kiosk.backend.outbox import DeliveryClient, Outbox
    from kiosk.counter.flow import CounterPlatform
    from kiosk.flows import ports

    def _fits(
        client: PlatformClient, connection: PlatformConnection, outbox: Outbox
    ) -> tuple[CounterPlatform, CounterPlatform, DeliveryClient, DeliveryClient, ports.Outbox]:
        return client, connection, client, connection, outbox
