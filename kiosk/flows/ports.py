"""What the flows need from the outside world, as small interfaces.

Asynchronous work reports back through callbacks that the application delivers on the one
thread the flows live on (the UI thread in the kiosk, the test's thread in tests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar, Unpack

from kiosk.domain.a4 import A4Document
from kiosk.domain.calls import CertificateOptions, ContributionsQuery, Heartbeat
from kiosk.domain.card import CardSnapshot
from kiosk.domain.card_requests import CardView, LossCodeSent, LossReported
from kiosk.domain.catalog import Catalog
from kiosk.domain.complaints import ComplaintView
from kiosk.domain.errors import CardError, KioskError
from kiosk.domain.receipt import PrinterStatus, PrintJob, PrintOutcome
from kiosk.domain.records import (
    CardUse,
    Certificate,
    Contributions,
    MedicalAccount,
    PensionPayment,
    SubsidyPayment,
)
from kiosk.domain.session import ResidentSession
from kiosk.domain.submission import SubmissionReceipt

T = TypeVar("T")


class Clock(Protocol):
    def __call__(self) -> float:
        """Seconds on a monotonic clock."""
        ...


class TaskRunner(Protocol):
    """Runs blocking work (a platform call) off the flow's thread, reporting back on it."""

    def run(
        self,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[KioskError], None],
    ) -> None: ...


class CardPort(Protocol):
    """The card operations a flow asks for; kiosk.devices.card.service.CardService fits."""

    def read(
        self, on_done: Callable[[CardSnapshot], None], on_error: Callable[[CardError], None]
    ) -> None: ...

    def verify_pin(
        self, pin: bytearray, on_done: Callable[[None], None], on_error: Callable[[CardError], None]
    ) -> None: ...

    def change_pin(
        self,
        old: bytearray,
        new: bytearray,
        on_done: Callable[[None], None],
        on_error: Callable[[CardError], None],
    ) -> None:
        """A new PIN on the chip (the old one proves the holder); the card layer wipes both."""
        ...

    def reset_pin(
        self, new: bytearray, on_done: Callable[[None], None], on_error: Callable[[CardError], None]
    ) -> None:
        """A new PIN without the old one, unblocking it: only at a counter, after staff checked
        the holder's identity card. The card layer wipes it."""
        ...


class SessionPlatform(Protocol):
    """Opening and closing a resident's platform session."""

    def open_session_by_card(
        self, card_identifier: str, card_number: str, *, scope: str = "full"
    ) -> ResidentSession: ...

    def open_session_by_ecode(self, code: str) -> ResidentSession:
        """The e-code stands for the card (Art. 2): a resident whose card is lost signs in."""
        ...

    def close_session(self, token: str) -> None: ...


class CatalogPlatform(Protocol):
    def catalog(self) -> Catalog:
        """The published catalog (Art. 7); the offline copy when the platform is away."""
        ...


class RecordsPlatform(Protocol):
    """The resident's records, bound to the session's token."""

    def contributions(self, token: str, **query: Unpack[ContributionsQuery]) -> Contributions: ...

    def medical_account(self, token: str, *, limit: int = 100) -> MedicalAccount: ...

    def pension_payments(self, token: str, *, limit: int = 120) -> tuple[PensionPayment, ...]: ...

    def subsidies(self, token: str, *, limit: int = 100) -> tuple[SubsidyPayment, ...]: ...

    def card_uses(
        self, token: str, *, kind: str | None = None, limit: int = 100
    ) -> tuple[CardUse, ...]: ...


class CertificatePlatform(Protocol):
    def issue_certificate(self, token: str, **options: Unpack[CertificateOptions]) -> Certificate:
        """A new certificate of insured status, with its own verification code."""
        ...


class CardLifePlatform(Protocol):
    """The card's view and its requests (Art. 2); the requests themselves go through the
    Outbox. A loss report without the card: the ID number and a code sent to the phone."""

    def card(self, token: str) -> CardView: ...

    def request_loss_code(self, id_number: str) -> LossCodeSent: ...

    def report_loss_by_code(
        self, request_id: str, code: str, *, idempotency_key: str
    ) -> LossReported: ...


class ComplaintsPlatform(Protocol):
    """Reading complaints back with the department's reply (Art. 16); filing goes through the
    Outbox."""

    def complaints(self, token: str) -> tuple[ComplaintView, ...]: ...

    def complaint(self, tracking_number: str, token: str | None = None) -> ComplaintView: ...


class AssistancePlatform(Protocol):
    def request_assistance(self, screen: str) -> dt.datetime:
        """呼叫工作人员: the staff side is told which kiosk, and on which screen."""
        ...


class FleetPlatform(Protocol):
    def heartbeat(self, **report: Unpack[Heartbeat]) -> int:
        """The kiosk's health for the supervisors' fleet view; the seconds until the next."""
        ...


class PlatformAddress(Protocol):
    """Which kiosk this is and where its platform is, for slips and their QR codes. Read on the
    flow's thread: never blocks, and is empty while the platform is still being reached."""

    @property
    def kiosk_id(self) -> str: ...

    @property
    def base_url(self) -> str: ...


class Platform(
    SessionPlatform,
    CatalogPlatform,
    RecordsPlatform,
    CertificatePlatform,
    CardLifePlatform,
    ComplaintsPlatform,
    AssistancePlatform,
    PlatformAddress,
    Protocol,
):
    """Every platform call the resident's session and its tasks make. Blocking: call it through
    the TaskRunner. kiosk.backend.client.PlatformClient fits."""


class Printer(Protocol):
    """The receipt printer as a flow uses it (kiosk.devices.printer.interface.ReceiptPrinter
    fits). Blocking: call it through the TaskRunner."""

    def status(self) -> PrinterStatus:
        """The real-time status; an unreachable printer is reported offline, not raised."""
        ...

    def print_job(self, job: PrintJob) -> PrintOutcome:
        """Prints the job whole, or raises a PrinterError that holds it to print again."""
        ...


class A4Printer(Protocol):
    """The hall's A4 printer (kiosk.devices.a4printer: a CUPS queue or a PDF folder). Blocking:
    call it through the TaskRunner. Raises the receipt printer's errors (PaperOut,
    PrinterOffline, CoverOpen, PrinterFault); the document stays the caller's to print again."""

    @property
    def name(self) -> str: ...

    def print_document(self, document: A4Document) -> str:
        """Prints the document whole; where it went (the queue, or the PDF file) back."""
        ...


class Outbox(Protocol):
    """Where a resident's submissions go (kiosk.backend.outbox.Outbox fits): durable first, then
    sent, delivered exactly once (Art. 16). submit() blocks (a disk write, then one try to
    send): call it through the TaskRunner."""

    def submit(
        self,
        kind: str,
        body: Mapping[str, object],
        *,
        token: str | None = None,
        send_now: bool = True,
    ) -> SubmissionReceipt: ...

    def reserve(self, token: str) -> None:
        """A session has opened: ask ahead, in the background, for leave to deliver after it
        ends. Never blocks."""
        ...

    def pending_count(self) -> int:
        """How many submissions wait to be delivered (the heartbeat reports it)."""
        ...
