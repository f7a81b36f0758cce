"""What the resident tasks share: Babel formatting, paging, slips, submissions, input markers.

The markers (QrPanel, PinEntry, DigitEntry; defined in kiosk.flows.view) are Content and Panel
subclasses, so a face that does not know them still shows their heading, hint and lines, while
the touch screen draws a QR code, its PIN pad or its digit keypad for them. No Qt here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_currency

from kiosk.domain import hall_time
from kiosk.domain.errors import KioskError, PrinterError
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.receipt import PrintJob, Receipt
from kiosk.flows.view import Choice, Content, Panel

# The markers a face renders specially, and the pager the session's own screens share with the
# tasks, live with Content, so that a face and the session can import them without this module's
# Babel and receipt imports; the tasks take them from here with the rest.
from kiosk.flows.view import DigitEntry as DigitEntry
from kiosk.flows.view import Pager as Pager
from kiosk.flows.view import PinEntry as PinEntry
from kiosk.flows.view import QrPanel as QrPanel

if TYPE_CHECKING:
    from kiosk.domain.submission import SubmissionReceipt
    from kiosk.flows.tasks import TaskContext

# ui.md allows three panels on a page; two is what fits the largest print with a pager.
PANELS_PER_PAGE = 2


# --- formatting for the resident's language (Babel) -------------------------------------------


def babel_locale(language: str) -> str:
    return "en" if language.startswith("en") else "zh_CN"


def money(fen: int, language: str) -> str:
    """Fen as the resident's currency text: ¥1,234.56 or CN¥1,234.56; exact, never rounded."""
    return format_currency(Decimal(fen) / 100, "CNY", locale=babel_locale(language))


def day(date: dt.date, language: str) -> str:
    return format_date(date, format="long", locale=babel_locale(language))


def moment(at: dt.datetime, language: str) -> str:
    """A moment the platform gave (in UTC) as the hall's time: Babel would print it in UTC."""
    local = hall_time.local(at)
    return format_datetime(
        local, format="yyyy-MM-dd HH:mm", tzinfo=local.tzinfo, locale=babel_locale(language)
    )


def month(yyyy_mm: str, language: str) -> str:
    """ "2024-03" as 2024年3月 or March 2024."""
    year, number = int(yyyy_mm[:4]), int(yyyy_mm[5:7])
    return format_skeleton("yMMMM", dt.date(year, number, 1), locale=babel_locale(language))


def month_name(number: int, language: str) -> str:
    return format_date(dt.date(2000, number, 1), format="MMMM", locale=babel_locale(language))


# The elderly mode and the largest print show at most four choices (requirement 20); a task
# cannot see the profile, so every task screen keeps to four and pages the rest.
MAX_CHOICES = 4

ChoiceEntry = tuple[Message, Message | None, Callable[[], None]]


def paged_choices(pager: Pager, entries: Sequence[ChoiceEntry]) -> list[Choice]:
    """The current page of choices, numbered from 1 on every page."""
    return [
        Choice(str(number), label, examples, action)
        for number, (label, examples, action) in enumerate(
            pager.slice(entries, MAX_CHOICES), start=1
        )
    ]


def numbered(entries: Sequence[tuple[str, str | None, Callable[[], None]]]) -> list[Choice]:
    """Choices from message ids (the label, its examples or None, the action), numbered from 1
    in the order given: a screen that offers a short, fixed list."""
    return [
        Choice(str(number), msg(label), msg(examples) if examples else None, action)
        for number, (label, examples, action) in enumerate(entries, start=1)
    ]


def wipe(pin: bytearray | None) -> None:
    """Overwrites a PIN's digits in place once it has been used: never kept (PinEntry)."""
    if pin is not None:
        pin[:] = bytes(len(pin))


# --- slips: printed, or a QR code on screen when the printer cannot ------------------------------


class Slip:
    """Prints one receipt through the runner; on a printer error keeps the job and offers it as
    a QR code on screen, so the document is never lost (docs/printer.md)."""

    def __init__(self, context: TaskContext, receipt: Receipt) -> None:
        self._context = context
        self.job = PrintJob(receipt)
        self.state = "printing"  # printing, printed, on_screen
        self.error: Message | None = None
        self.attempts = 0
        self.print()

    def print(self) -> None:
        printer = self._context.printer
        self.attempts += 1
        if printer is None:
            self.state, self.error = "on_screen", msg("slip.no_printer")
            return
        self.state = "printing"
        self._context.runner.run(lambda: printer.print_job(self.job), self._printed, self._failed)

    def _printed(self, _outcome: object) -> None:
        self.state, self.error = "printed", None
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        if isinstance(error, PrinterError) and error.job is not None:
            self.job = error.job  # the same job, to print again whole once paper is loaded
        self.state, self.error = "on_screen", msg(error.message_id)
        self._context.changed()

    def panels(self, reference_line: Message) -> list[Panel]:
        """What the screen shows about the slip: printed, or the QR code and why."""
        if self.state == "printing":
            return [Panel(msg("slip.printing"), (reference_line,))]
        if self.state == "printed":
            return [Panel(msg("slip.printed"), (reference_line,))]
        lines: tuple[Message, ...] = (reference_line,)
        if self.error is not None:
            lines = (self.error, reference_line)
        return [QrPanel(msg("slip.qr_title"), lines, payload=self.job.qr_payload or "")]


def sent_view(
    heading: Message,
    slip: Slip,
    tracking: str,
    receipt_state: str,
    context: TaskContext,
    print_again: Callable[[], None],
) -> Content:
    """The last screen of a submission: where it is, its tracking number, and its slip (printed,
    or on screen as a QR code with a choice to print it again)."""
    choices = []
    if slip.state == "on_screen" and context.printer is not None:
        choices.append(Choice("1", msg("slip.print_again"), None, print_again))
    choices.append(Choice(str(len(choices) + 1), msg("task.done"), None, context.finish))
    reference = msg("complaints.tracking", tracking=tracking)
    hint = submission_line(receipt_state, tracking)
    return Content(heading, hint, choices, panels=slip.panels(reference))


def submission_line(state: str, tracking: str) -> Message:
    """Honest about where a submission is: the platform has it, or it waits in the outbox."""
    if state == "delivered":
        return msg("submit.delivered", tracking=tracking)
    if state == "queued":
        return msg("submit.queued", tracking=tracking)
    return msg("submit.rejected", tracking=tracking)


def error_view(heading: Message, error: Message | None) -> Content:
    return Content(heading, error or msg("error.generic"))


def loading_view(heading: Message) -> Content:
    return Content(heading, msg("catalog.loading"))


def kiosk_id(context: TaskContext) -> str:
    return context.platform.kiosk_id


def platform_url(context: TaskContext) -> str:
    # A slip made before the platform was first reached still gets an address for its QR code.
    return context.platform.base_url or "https://onecard.example.cn"


def card_request_url(context: TaskContext, tracking: str) -> str:
    """Where a card request's slip leads a phone: its progress, public by the number."""
    return f"{platform_url(context)}/v1/card/requests/{tracking}"


def receipt_outcome(receipt: SubmissionReceipt) -> tuple[str, str]:
    """The outbox's receipt as a task keeps it: its state ("delivered", "queued", "rejected")
    and its tracking number."""
    return receipt.state.value, receipt.tracking_number


SLIP_STATES = (N_("slip.printing"), N_("slip.printed"), N_("slip.qr_title"))
