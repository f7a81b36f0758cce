"""What the resident tasks share: Babel formatting, paging, slips, submissions, input markers.

The markers (QrPanel, PinEntry, DigitEntry; defined in kiosk.flows.view) are Content and Panel
subclasses, so a face that does not know them still shows their heading, hint and lines, while
the touch screen draws a QR code, its PIN pad or its digit keypad for them. No Qt here.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar, TypeVar

from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_currency

from kiosk.domain import hall_time
from kiosk.domain.errors import KioskError, PlatformUnavailable, PrinterError
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.receipt import PrintJob, Receipt
from kiosk.flows.view import Choice, Content, Panel, numbered_choices

# The markers a face renders specially, and the pager the session's own screens share with the
# tasks, live with Content, so that a face and the session can import them without this module's
# Babel and receipt imports; the tasks take them from here with the rest.
from kiosk.flows.view import ChoiceEntry as ChoiceEntry
from kiosk.flows.view import DigitEntry as DigitEntry
from kiosk.flows.view import Pager as Pager
from kiosk.flows.view import PinEntry as PinEntry
from kiosk.flows.view import QrPanel as QrPanel

if TYPE_CHECKING:
    from kiosk.domain.submission import SubmissionReceipt
    from kiosk.flows.machine import S, Screens
    from kiosk.flows.ports import Outbox
    from kiosk.flows.tasks import TaskContext

T = TypeVar("T")

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


def paged_choices(pager: Pager, entries: Sequence[ChoiceEntry]) -> list[Choice]:
    """The current page of choices, numbered from 1 on every page."""
    return numbered_choices(pager.slice(entries, MAX_CHOICES))


def paged_panels(
    pager: Pager,
    heading: Message,
    hint: Message | None,
    items: Sequence[T],
    panel: Callable[[T], Panel],
    *,
    empty: Message | None = None,
) -> Content:
    """A long list read as panels (records, requests, results), a page at a time, with the
    pager's position and buttons when there is more than one page. An empty list with `empty`
    given is that line alone."""
    if not items and empty is not None:
        return Content(heading, empty)
    panels = [panel(item) for item in pager.slice(items, PANELS_PER_PAGE)]
    return pager.apply(Content(heading, hint, panels=panels))


def numbered(entries: Sequence[tuple[str, str | None, Callable[[], None]]]) -> list[Choice]:
    """Choices from message ids (the label, its examples or None, the action), numbered from 1
    in the order given: a screen that offers a short, fixed list."""
    return numbered_choices(
        [
            (msg(label), msg(examples) if examples else None, action)
            for label, examples, action in entries
        ]
    )


def wipe(pin: bytearray | None) -> None:
    """Overwrites a PIN's digits in place once it has been used: never kept (PinEntry)."""
    if pin is not None:
        pin[:] = bytes(len(pin))


# --- slips: printed, or a QR code on screen when the printer cannot ------------------------------


class PrintState(StrEnum):
    PRINTING = "printing"
    PRINTED = "printed"
    # The printer failed, or there is none: the screen says why and shows the document as a QR
    # code, so it is never lost.
    ON_SCREEN = "on_screen"


class Printout(ABC):
    """A document sent to a printer through the runner and kept to print again. A slip and an
    A4 sheet differ in their printer, their words and what their QR code holds; what happens
    on the way (tries counted, the error said, the screen told) is this."""

    # The title of its panel in each state.
    titles: ClassVar[Mapping[PrintState, str]] = {
        PrintState.PRINTING: N_("slip.printing"),
        PrintState.PRINTED: N_("slip.printed"),
        PrintState.ON_SCREEN: N_("slip.qr_title"),
    }
    printed_where: str | None = None
    no_printer = N_("slip.no_printer")
    print_again_label = N_("slip.print_again")

    def __init__(self, context: TaskContext) -> None:
        self._context = context
        self.state = PrintState.PRINTING
        self.error: Message | None = None
        self.attempts = 0

    @abstractmethod
    def _job(self) -> Callable[[], object] | None:
        """What prints the document; None when the kiosk has no such printer."""

    @abstractmethod
    def _payload(self) -> str:
        """What the QR code holds while the document is on screen."""

    def _said(self, error: KioskError) -> str:
        """The message id that tells the resident why the printer failed."""
        return error.message_id

    def print(self) -> None:
        self.attempts += 1
        job = self._job()
        if job is None:
            self.state, self.error = PrintState.ON_SCREEN, msg(self.no_printer)
            return
        self.state, self.error = PrintState.PRINTING, None
        self._context.runner.run(job, self._printed, self._failed)

    def again(self) -> None:
        """Printed again at the resident's word (paper loaded): the screen says so at once."""
        self.print()
        self._context.changed()

    @property
    def key(self) -> tuple[object, ...]:
        """What a task's screen key holds of it: a new try redraws even in the same state."""
        return (self.state, self.attempts)

    @property
    def on_screen(self) -> bool:
        return self.state is PrintState.ON_SCREEN

    @property
    def can_print_again(self) -> bool:
        return self.on_screen and self._job() is not None

    def _printed(self, _outcome: object) -> None:
        self.state, self.error = PrintState.PRINTED, None
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        self.state, self.error = PrintState.ON_SCREEN, msg(self._said(error))
        self._context.changed()

    def panels(self, reference: Message) -> list[Panel]:
        """What the screen shows about the document: printing, printed, or the QR code and why."""
        title = msg(self.titles[self.state])
        if self.state is PrintState.PRINTING:
            return [Panel(title, (reference,))]
        if self.state is PrintState.PRINTED:
            where = (msg(self.printed_where),) if self.printed_where else ()
            return [Panel(title, (reference, *where))]
        lines = (reference,) if self.error is None else (self.error, reference)
        return [QrPanel(title, lines, payload=self._payload())]

    def plain_panels(self, title: Message) -> list[Panel]:
        """For a document with nothing to look up later (a PIN changed): on screen, no QR code,
        only why the paper did not come."""
        if self.on_screen:
            return [Panel(title, (self.error,) if self.error is not None else ())]
        return self.panels(title)


class Slip(Printout):
    """One receipt on the receipt printer (docs/printer.md)."""

    def __init__(self, context: TaskContext, receipt: Receipt) -> None:
        super().__init__(context)
        self.job = PrintJob(receipt)
        self.print()

    def _job(self) -> Callable[[], object] | None:
        printer, job = self._context.printer, self.job
        return None if printer is None else lambda: printer.print_job(job)

    def _payload(self) -> str:
        return self.job.qr_payload or ""

    def _failed(self, error: KioskError) -> None:
        if isinstance(error, PrinterError) and error.job is not None:
            self.job = error.job  # the same job, to print again whole once paper is loaded
        super()._failed(error)


def printout_choices(
    printout: Printout | None,
    context: TaskContext,
    finish: Message,
    *,
    before: Sequence[ChoiceEntry] = (),
    between: Sequence[ChoiceEntry] = (),
) -> list[Choice]:
    """The choices under a printed document, numbered from 1: those `before`, "print again"
    while it is on screen and its printer is there, those `between`, and `finish` last."""
    entries = list(before)
    if printout is not None and printout.can_print_again:
        entries.append((msg(printout.print_again_label), None, printout.again))
    entries += between
    entries.append((finish, None, context.finish))
    return numbered_choices(entries)


def sent_view(
    heading: Message, slip: Slip, tracking: str, receipt_state: str, context: TaskContext
) -> Content:
    """The last screen of a submission: where it is, its tracking number, and its slip (printed,
    or on screen as a QR code with a choice to print it again)."""
    choices = printout_choices(slip, context, msg("task.done"))
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


def file_request(
    context: TaskContext,
    screens: Screens[S],
    sending: S,
    job: Callable[[Outbox], SubmissionReceipt],
    submitted: Callable[[SubmissionReceipt], None],
    failed: Callable[[KioskError], None],
) -> None:
    """Runs `job` (it hands the request to the outbox) on the runner, showing `sending`
    meanwhile. Without an outbox the request was not heard, as when the network is down:
    `failed` hears so at once, for the summary to say it."""
    outbox = context.outbox
    if outbox is None:
        failed(PlatformUnavailable())
        return
    screens.go(sending, remember=False)
    context.runner.run(lambda: job(outbox), submitted, failed)


def receipt_outcome(receipt: SubmissionReceipt) -> tuple[str, str]:
    """The outbox's receipt as a task keeps it: its state ("delivered", "queued", "rejected")
    and its tracking number."""
    return receipt.state.value, receipt.tracking_number
