"""What the flows need from the outside world, as small interfaces.

Asynchronous work reports back through callbacks that the application delivers on the one
thread the flows live on (the UI thread in the kiosk, the test's thread in tests).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, TypeVar, runtime_checkable

from kiosk.domain.a4 import A4Document
from kiosk.domain.card import CardSnapshot
from kiosk.domain.catalog import Catalog
from kiosk.domain.errors import CardError, KioskError
from kiosk.domain.session import ResidentSession

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


class Platform(Protocol):
    """The platform calls a flow makes; kiosk.backend.client.PlatformClient fits. Blocking."""

    def open_session_by_card(
        self, card_identifier: str, card_number: str, *, scope: str = "full"
    ) -> ResidentSession: ...

    def open_session_by_ecode(self, code: str) -> ResidentSession:
        """The e-code stands for the card (Art. 2): a resident whose card is lost signs in."""
        ...

    def close_session(self, token: str) -> None: ...

    def catalog(self) -> Catalog: ...

    def request_assistance(self, screen: str) -> object:
        """呼叫工作人员: the staff side is told which kiosk, and on which screen."""
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


@runtime_checkable
class GrantReserving(Protocol):
    """An outbox that asks ahead, when a session opens, for leave to deliver after it ends."""

    def reserve(self, token: str) -> None: ...


class Submitting(Protocol):
    """The outbox as a task files through it (kiosk.backend.outbox.Outbox fits): durable first,
    then sent; the answer is the submission's receipt."""

    def submit(
        self,
        kind: str,
        body: Mapping[str, object],
        *,
        token: str | None = None,
        send_now: bool = True,
    ) -> object: ...
