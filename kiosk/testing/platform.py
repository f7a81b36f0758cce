"""The platform as the flows call it, answering from fixed data at once.

Each call is noted by name, and raises the error a test sets for that name; the session calls
answer with the session (or raise the error) the test set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import TypeVar, Unpack

from kiosk.domain import records as r
from kiosk.domain.calls import CertificateOptions
from kiosk.domain.card import CardStatus
from kiosk.domain.card_requests import CardView, LossCodeSent, LossReported
from kiosk.domain.catalog import Catalog
from kiosk.domain.complaints import ComplaintView
from kiosk.domain.errors import CardNotInService, KioskError
from kiosk.domain.session import ResidentSession
from kiosk.domain.staff import ConsentView
from kiosk.testing.data import SESSION, PlatformData, card_view, make_catalog, test_data

T = TypeVar("T")


@dataclass
class FakePlatform:
    """Stands in for kiosk.backend.client.PlatformClient."""

    data: PlatformData = field(default_factory=test_data)
    session: ResidentSession | KioskError = SESSION
    ecode_session: ResidentSession | KioskError = SESSION
    catalog_answer: Catalog | KioskError = field(default_factory=make_catalog)
    card_answer: CardView = field(default_factory=card_view)
    # A call's name -> the error it raises instead of answering.
    errors: dict[str, KioskError] = field(default_factory=dict)
    consent: ConsentView | None = None
    kiosk_id: str = "K-TEST"
    base_url: str = "https://platform.test"
    # What was asked, in order.
    calls: list[str] = field(default_factory=list)
    opened: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    ecodes: list[str] = field(default_factory=list)
    assistance: list[str] = field(default_factory=list)
    certificate_asks: list[tuple[tuple[str, ...] | None, tuple[str, str] | None]] = field(
        default_factory=list
    )
    loss_ids: list[str] = field(default_factory=list)
    loss_codes: list[tuple[str, str]] = field(default_factory=list)
    catalog_calls: int = 0
    assistance_fails: KioskError | None = None
    # The heartbeats the kiosk sent, and the seconds the platform asks it to wait for the next.
    beats: list[dict[str, object]] = field(default_factory=list)
    heartbeat_every_s: int = 60

    def _answer(self, name: str, value: T) -> T:
        self.calls.append(name)
        if name in self.errors:
            raise self.errors[name]
        return value

    @staticmethod
    def _session(answer: ResidentSession | KioskError) -> ResidentSession:
        if isinstance(answer, KioskError):
            raise answer
        return answer

    # --- sessions -----------------------------------------------------------------------------

    def open_session_by_card(
        self, card_identifier: str, card_number: str, *, scope: str = "full"
    ) -> ResidentSession:
        self.opened.append((card_identifier, card_number))
        answer = self._answer("open_session_by_card", self.session)
        if scope == "card_life" and isinstance(answer, CardNotInService):
            # The platform opens a session acting on the card's life only for such a card.
            return ResidentSession("card-life", "", CardStatus(answer.status), False, 300)
        return self._session(answer)

    def open_session_by_ecode(self, code: str) -> ResidentSession:
        self.ecodes.append(code)
        return self._session(self._answer("open_session_by_ecode", self.ecode_session))

    def close_session(self, token: str) -> None:
        self.closed.append(token)
        self._answer("close_session", None)

    def request_assistance(self, screen: str) -> dt.datetime:
        self.assistance.append(screen)
        if self.assistance_fails:
            raise self.assistance_fails
        return self._answer("request_assistance", dt.datetime(2026, 11, 27, 10, 42))

    def catalog(self) -> Catalog:
        self.catalog_calls += 1
        answer = self._answer("catalog", self.catalog_answer)
        if isinstance(answer, KioskError):
            raise answer
        return answer

    def heartbeat(self, **beat: object) -> int:
        """The kiosk's health, kept as sent (software_version, uptime_s, devices, paper,
        outbox_pending)."""
        self.beats.append(beat)
        return self._answer("heartbeat", self.heartbeat_every_s)

    # --- records and the certificate ----------------------------------------------------------

    def card(self, token: str) -> CardView:
        return self._answer("card", self.card_answer)

    def contributions(self, token: str, **_query: object) -> r.Contributions:
        return self._answer("contributions", self.data.contributions)

    def medical_account(self, token: str, **_query: object) -> r.MedicalAccount:
        return self._answer("medical", self.data.medical)

    def pension_payments(self, token: str, **_query: object) -> tuple[r.PensionPayment, ...]:
        return self._answer("pension", self.data.pensions)

    def subsidies(self, token: str, **_query: object) -> tuple[r.SubsidyPayment, ...]:
        return self._answer("subsidies", self.data.subsidies)

    def card_uses(self, token: str, **_query: object) -> tuple[r.CardUse, ...]:
        return self._answer("card_uses", self.data.card_uses)

    def issue_certificate(self, token: str, **options: Unpack[CertificateOptions]) -> r.Certificate:
        period = options.get("period")
        self.certificate_asks.append((options.get("insurances"), period))
        first, last = period if period else (None, None)
        issued = replace(self.data.certificate, first_month=first, last_month=last)
        return self._answer("issue_certificate", issued)

    # --- without the card (kiosk.flows.lost_card) ---------------------------------------------

    def request_loss_code(self, id_number: str) -> LossCodeSent:
        self.loss_ids.append(id_number)
        return self._answer("request_loss_code", self.data.loss_code)

    def report_loss_by_code(
        self, request_id: str, code: str, *, idempotency_key: str
    ) -> LossReported:
        self.loss_codes.append((code, idempotency_key))
        return self._answer("report_loss_by_code", self.data.loss_reported)

    # --- complaints and the counter's consent ---------------------------------------------------

    def complaints(self, token: str) -> tuple[ComplaintView, ...]:
        return self._answer("complaints", self.data.complaints)

    def complaint(self, tracking_number: str, token: str | None = None) -> ComplaintView:
        found = replace(self.data.complaints[0], tracking_number=tracking_number)
        return self._answer("complaint", found)

    def consent_request(self, token: str, consent_id: str) -> ConsentView:
        return self._answer("consent_request", self._consent())

    def answer_consent(self, token: str, consent_id: str, *, granted: bool) -> ConsentView:
        status = "granted" if granted else "refused"
        return self._answer("answer_consent", replace(self._consent(), status=status))

    def _consent(self) -> ConsentView:
        if self.consent is None:
            raise AssertionError("no consent was asked of this resident")
        return self.consent
