"""An A4 document on its way to the hall's printer, as a task shows it.

Like a slip (kiosk.flows.task_kit.Slip), it never gets lost: when the queue or the paper fails,
the screen says why in words (and speaks it), offers to print it again or on a slip, and shows
the document's verification QR code meanwhile. No Qt here: the printer is a port.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from kiosk.domain.errors import CoverOpen, PaperOut, PrinterError, PrinterOffline
from kiosk.domain.messages import N_
from kiosk.flows.task_kit import Printout, PrintState

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from kiosk.domain.a4 import A4Document
    from kiosk.domain.errors import KioskError
    from kiosk.flows.tasks import TaskContext


# The A4 printer's troubles in the resident's words: the receipt printer's messages speak of
# slips, these of the sheet.
_A4_ERRORS: tuple[tuple[type[PrinterError], str], ...] = (
    (PaperOut, N_("a4.error.paper_out")),
    (CoverOpen, N_("a4.error.cover_open")),
    (PrinterOffline, N_("a4.error.offline")),
    (PrinterError, N_("a4.error.fault")),
)


class A4Sheet(Printout):
    """Sends one document to the A4 printer through the runner, keeping it to print again."""

    titles: ClassVar[Mapping[PrintState, str]] = {
        PrintState.PRINTING: N_("a4.printing"),
        PrintState.PRINTED: N_("a4.printed"),
        PrintState.ON_SCREEN: N_("a4.failed"),
    }
    printed_where = N_("a4.printed.where")
    no_printer = N_("a4.no_printer")
    print_again_label = N_("a4.print_again")

    def __init__(self, context: TaskContext, document: A4Document) -> None:
        super().__init__(context)
        self.document = document
        self.print()

    def _job(self) -> Callable[[], object] | None:
        printer, document = self._context.a4printer, self.document
        return None if printer is None else lambda: printer.print_document(document)

    def _payload(self) -> str:
        return self.document.verify_url

    def _said(self, error: KioskError) -> str:
        return next((m for kind, m in _A4_ERRORS if isinstance(error, kind)), error.message_id)
