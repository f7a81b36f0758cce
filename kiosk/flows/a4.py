"""An A4 document on its way to the hall's printer, as a task shows it.

Like a slip (kiosk.flows.task_kit.Slip), it never gets lost: when the queue or the paper fails,
the screen says why in words (and speaks it), offers to print it again or on a slip, and shows
the document's verification QR code meanwhile. No Qt here: the printer is a port.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain.errors import CoverOpen, PaperOut, PrinterError, PrinterOffline
from kiosk.domain.messages import N_, Message, msg
from kiosk.flows.task_kit import QrPanel
from kiosk.flows.view import Panel

if TYPE_CHECKING:
    from kiosk.domain.a4 import A4Document
    from kiosk.domain.errors import KioskError
    from kiosk.flows.tasks import TaskContext


class SheetState(StrEnum):
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


# The A4 printer's troubles in the resident's words: the receipt printer's messages speak of
# slips, these of the sheet.
_A4_ERRORS: tuple[tuple[type[PrinterError], str], ...] = (
    (PaperOut, N_("a4.error.paper_out")),
    (CoverOpen, N_("a4.error.cover_open")),
    (PrinterOffline, N_("a4.error.offline")),
    (PrinterError, N_("a4.error.fault")),
)


class A4Sheet:
    """Sends one document to the A4 printer through the runner, keeping it to print again."""

    def __init__(self, context: TaskContext, document: A4Document) -> None:
        self._context = context
        self.document = document
        self.state = SheetState.PRINTING
        self.error: Message | None = None
        self.attempts = 0
        self.print()

    def print(self) -> None:
        printer = self._context.a4printer
        self.attempts += 1
        if printer is None:
            self.state, self.error = SheetState.FAILED, msg("a4.no_printer")
            return
        self.state, self.error = SheetState.PRINTING, None
        document = self.document
        self._context.runner.run(
            lambda: printer.print_document(document), self._printed, self._failed
        )

    def _printed(self, _where: str) -> None:
        self.state, self.error = SheetState.PRINTED, None
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        said = next((m for kind, m in _A4_ERRORS if isinstance(error, kind)), error.message_id)
        self.state, self.error = SheetState.FAILED, msg(said)
        self._context.changed()

    def panels(self, reference: Message) -> list[Panel]:
        if self.state is SheetState.PRINTING:
            return [Panel(msg("a4.printing"), (reference,))]
        if self.state is SheetState.PRINTED:
            return [Panel(msg("a4.printed"), (reference, msg("a4.printed.where")))]
        lines = (self.error, reference) if self.error is not None else (reference,)
        return [QrPanel(msg("a4.failed"), lines, payload=self.document.verify_url)]
