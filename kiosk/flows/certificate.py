"""参保证明: a certificate of insured status, previewed, then printed with a verification code.

The resident chooses the insurance and the period it speaks for (the whole record, the last
twelve months, this year, or a range of years typed on the keypad). The platform issues it
(POST /v1/certificates) and anyone can verify it by its code or QR code
(GET /v1/certificates/{code}). When the printer cannot print, the same document is offered as a
QR code on screen and kept to print again: it is never lost (docs/printer.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.a4 import certificate_document
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.receipt import CertificateContent, InsuranceLine, certificate_receipt
from kiosk.flows.a4 import A4Sheet
from kiosk.flows.machine import Screens
from kiosk.flows.task_kit import (
    PANELS_PER_PAGE,
    ChoiceEntry,
    DigitEntry,
    Pager,
    Slip,
    day,
    error_view,
    kiosk_id,
    loading_view,
    month,
    numbered,
    paged_choices,
    platform_url,
    printout_choices,
)
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from kiosk.domain.errors import KioskError
    from kiosk.domain.records import Certificate, CertificateInsurance
    from kiosk.flows.tasks import TaskContext

INSURANCES = ("pension", "medical", "unemployment", "work_injury", "maternity")
INSURANCE_NAMES = {
    "pension": N_("records.insurance.pension"),
    "medical": N_("records.insurance.medical"),
    "unemployment": N_("records.insurance.unemployment"),
    "work_injury": N_("records.insurance.work_injury"),
    "maternity": N_("records.insurance.maternity"),
}
# What the paper says: the printed certificate is in Chinese, as the platform issues it.
PRINTED_NAMES = {
    "pension": "城镇职工基本养老保险",
    "medical": "职工基本医疗保险",
    "unemployment": "失业保险",
    "work_injury": "工伤保险",
    "maternity": "生育保险",
}
PRINTED_STATUS = {"insured": "正常参保", "interrupted": "暂停缴费", "never": "未参保"}
STATUS_TEXT = {
    "insured": N_("certificate.status.insured"),
    "interrupted": N_("certificate.status.interrupted"),
    "never": N_("certificate.status.never"),
}
# The status and the months covered in one line (a message per status: a message cannot carry
# another as a value).
SPAN_TEXT = {
    "insured": N_("certificate.span.insured"),
    "interrupted": N_("certificate.span.interrupted"),
    "never": N_("certificate.status.never"),
}
ALL = "all"
# The periods offered, in order; "years" asks for a first and a last year on the keypad.
PERIODS = (
    ("whole", N_("certificate.period.whole"), N_("certificate.period.whole.ex")),
    ("last12", N_("certificate.period.last12"), N_("certificate.period.last12.ex")),
    ("this_year", N_("certificate.period.this_year"), N_("certificate.period.this_year.ex")),
    ("years", N_("certificate.period.years"), N_("certificate.period.years.ex")),
)
# The platform's records start with the pension reform; nothing earlier is on record.
FIRST_YEAR = 1990


class Screen(StrEnum):
    CHOOSE = "choose"
    PERIOD = "period"
    FROM_YEAR = "from_year"
    TO_YEAR = "to_year"
    ISSUING = "issuing"
    PREVIEW = "preview"
    SLIP = "slip"
    FAILED = "failed"
    MEDIUM = "medium"  # an A4 sheet or a slip, where the hall has both
    SHEET = "sheet"  # the A4 sheet printed, or why not


# Issuing, or printed: back leaves the task from there.
_STUCK = (Screen.ISSUING, Screen.SLIP, Screen.SHEET)


def period_for(choice: str, today: dt.date) -> tuple[str, str] | None:
    """The months a period choice stands for, up to this month; None: the whole record."""
    if choice == "last12":
        months = today.year * 12 + today.month - 1 - 11
        return f"{months // 12:04d}-{months % 12 + 1:02d}", f"{today:%Y-%m}"
    if choice == "this_year":
        return f"{today.year:04d}-01", f"{today:%Y-%m}"
    return None


class CertificateTask:
    def __init__(
        self, context: TaskContext, *, today: Callable[[], dt.date] = hall_time.today
    ) -> None:
        self._context = context
        self._today = today
        self._screens = Screens(Screen.CHOOSE, context.changed, stuck=_STUCK)
        self._scope = ALL
        self._period: tuple[str, str] | None = None
        self._from_year = 0
        self._certificate: Certificate | None = None
        self._error: Message | None = None
        self._slip: Slip | None = None
        self._sheet: A4Sheet | None = None
        self._pager = Pager(context.changed)

    def screen_key(self) -> tuple[object, ...]:
        slip = self._slip.key if self._slip else None
        sheet = self._sheet.key if self._sheet else None
        screen = self._screens.current
        return (screen, self._scope, self._period, self._error, self._pager.page, slip, sheet)

    def back(self) -> bool:
        self._error = None
        if not self._screens.back():
            return False
        if self._screens.current is Screen.PERIOD:
            self._pager.reset()
            self._certificate = None  # another period is another certificate
        return True

    def close(self) -> None:
        self._certificate = None
        self._slip = None
        self._sheet = None

    # --- actions ---------------------------------------------------------------------------

    def choose(self, scope: str) -> None:
        """The insurance it states (or all); then the period."""
        self._scope, self._error = scope, None
        self._pager.reset()
        self._screens.go(Screen.PERIOD)

    def choose_period(self, choice: str) -> None:
        if choice == "years":
            self._error = None
            self._screens.go(Screen.FROM_YEAR)
            return
        self._issue(period_for(choice, self._today()))

    def _period_chooser(self, choice: str) -> Callable[[], None]:
        return lambda: self.choose_period(choice)

    def year_entered(self, typed: str) -> None:
        """The first year, then the last: four digits each, on the keypad."""
        this_year = self._today().year
        first = self._screens.current is Screen.FROM_YEAR
        low = FIRST_YEAR if first else self._from_year
        if not typed.isdigit() or not low <= int(typed) <= this_year:
            self._error = msg("certificate.error.year", first=low, last=this_year)
            self._context.changed()
            return
        self._error = None
        if first:
            self._from_year = int(typed)
            self._screens.go(Screen.TO_YEAR)
            return
        last = f"{this_year:04d}-{self._today().month:02d}" if int(typed) == this_year else None
        self._issue((f"{self._from_year:04d}-01", last or f"{int(typed):04d}-12"))

    def _issue(self, period: tuple[str, str] | None) -> None:
        """Issues the certificate (a new code each time) and shows its preview."""
        self._period = period
        self._pager.reset()
        # Back from the preview (or a failure) chooses the period again.
        self._screens.go(Screen.ISSUING, back_to=Screen.PERIOD)
        token = self._context.session.token
        insurances = None if self._scope == ALL else (self._scope,)
        platform = self._context.platform
        self._context.runner.run(
            lambda: platform.issue_certificate(token, insurances=insurances, period=period),
            self._issued,
            self._failed,
        )

    def _issued(self, certificate: Certificate) -> None:
        self._certificate = certificate
        self._screens.go(Screen.PREVIEW, remember=False)

    def _failed(self, error: KioskError) -> None:
        self._error = msg(error.message_id)
        self._screens.go(Screen.FAILED, remember=False)

    def print_it(self) -> None:
        """Where the hall has an A4 printer and a receipt printer, the resident chooses; with
        only one of them, that one."""
        if self._certificate is None:
            return
        if self._context.a4printer is not None and self._context.printer is not None:
            self._screens.go(Screen.MEDIUM)
        elif self._context.a4printer is not None:
            self.print_sheet()
        else:
            self.print_slip()

    def print_slip(self) -> None:
        if self._certificate is None:
            return
        # The slip before the screen that shows it: a printer that answers at once redraws.
        self._slip = Slip(self._context, certificate_receipt(self.content()))
        self._screens.go(Screen.SLIP)

    def print_sheet(self) -> None:
        if self._certificate is None:
            return
        snapshot = self._context.snapshot
        full_id = snapshot.holder.ssn if snapshot is not None and snapshot.holder else None
        document = certificate_document(
            self.content(), at_counter=self._context.at_counter, full_id=full_id
        )
        self._sheet = A4Sheet(self._context, document)
        self._screens.go(Screen.SHEET)

    def shown(self) -> list[CertificateInsurance]:
        if self._certificate is None:
            return []
        return [
            line
            for line in self._certificate.insurances
            if self._scope == ALL or line.insurance == self._scope
        ]

    def content(self) -> CertificateContent:
        """The certificate as the receipt builder takes it: only the chosen insurances."""
        certificate = self._certificate
        assert certificate is not None
        return CertificateContent(
            code=certificate.code,
            issued=certificate.issued,
            valid_until=certificate.valid_until,
            holder_name=certificate.holder_name,
            holder_id_masked=certificate.holder_id_masked,
            insurances=tuple(
                InsuranceLine(
                    PRINTED_NAMES[line.insurance],
                    PRINTED_STATUS[line.status],
                    line.first_month,
                    line.last_month,
                    line.paid_months,
                )
                for line in self.shown()
            ),
            verify_url=f"{platform_url(self._context)}/v1/certificates/{certificate.code}",
            kiosk_id=kiosk_id(self._context),
            sample=certificate.demo,
            period=self._stated_period(),
        )

    def _stated_period(self) -> tuple[str, str] | None:
        certificate = self._certificate
        if certificate is None or not certificate.first_month or not certificate.last_month:
            return None
        return certificate.first_month, certificate.last_month

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        heading = msg("certificate.heading")
        screen = self._screens.current
        if screen is Screen.CHOOSE:
            entries: list[ChoiceEntry] = [
                (msg("certificate.scope.all"), None, lambda: self.choose(ALL))
            ]
            entries += [
                (
                    msg(INSURANCE_NAMES[insurance]),
                    None,
                    lambda insurance=insurance: self.choose(insurance),  # type: ignore[misc]
                )
                for insurance in INSURANCES
            ]
            choices = paged_choices(self._pager, entries)
            content = Content(heading, msg("certificate.hint.choose"), choices, columns=2)
            return self._pager.apply(content)
        if screen is Screen.PERIOD:
            periods: list[ChoiceEntry] = [
                (msg(label), msg(examples), self._period_chooser(key))
                for key, label, examples in PERIODS
            ]
            choices = paged_choices(self._pager, periods)
            content = Content(heading, msg("certificate.hint.period"), choices, columns=2)
            return self._pager.apply(content)
        if screen in (Screen.FROM_YEAR, Screen.TO_YEAR):
            first = screen is Screen.FROM_YEAR
            prompt = "certificate.from_year" if first else "certificate.to_year"
            return DigitEntry(
                heading,
                self._error or msg(prompt),
                submit=self.year_entered,
                max_digits=4,
                private=False,
            )
        if screen is Screen.ISSUING:
            return loading_view(heading)
        if screen is Screen.FAILED or self._certificate is None:
            return error_view(heading, self._error)
        if screen is Screen.PREVIEW:
            return self._preview(heading)
        if screen is Screen.MEDIUM:
            return Content(
                heading,
                msg("a4.choose.hint"),
                numbered(
                    [
                        ("a4.choose.sheet", "a4.choose.sheet.ex", self.print_sheet),
                        ("a4.choose.slip", "a4.choose.slip.ex", self.print_slip),
                    ]
                ),
                columns=1,
            )
        if screen is Screen.SHEET:
            return self._sheet_done(heading)
        return self._done(heading)

    def _sheet_done(self, heading: Message) -> Content:
        certificate, sheet = self._certificate, self._sheet
        assert certificate is not None and sheet is not None
        reference = msg("certificate.code", code=certificate.code)
        # On a slip instead, when the sheet did not come and the hall has a receipt printer.
        on_slip: list[ChoiceEntry] = []
        if sheet.on_screen and self._context.printer is not None:
            on_slip.append((msg("a4.choose.slip"), None, self.print_slip))
        choices = printout_choices(sheet, self._context, msg("task.done"), between=on_slip)
        return Content(
            heading, msg("certificate.hint.verify"), choices, panels=sheet.panels(reference)
        )

    def _preview(self, heading: Message) -> Content:
        certificate = self._certificate
        assert certificate is not None
        language = self._context.language()
        shown = self._pager.slice(self.shown(), PANELS_PER_PAGE)
        panels = []
        for line in shown:
            if line.first_month and line.last_month:
                said = msg(
                    SPAN_TEXT[line.status],
                    first=month(line.first_month, language),
                    last=month(line.last_month, language),
                    months=line.paid_months,
                )
            else:
                said = msg(STATUS_TEXT[line.status])
            panels.append(Panel(msg(INSURANCE_NAMES[line.insurance]), (said,)))
        hint = msg("certificate.hint.preview", date=day(certificate.valid_until, language))
        period = self._stated_period()
        if period is not None:
            hint = msg(
                "certificate.hint.preview_period",
                first=month(period[0], language),
                last=month(period[1], language),
                date=day(certificate.valid_until, language),
            )
        choices = [
            Choice("1", msg("certificate.print"), msg("certificate.print.ex"), self.print_it),
        ]
        return self._pager.apply(Content(heading, hint, choices, panels=panels))

    def _done(self, heading: Message) -> Content:
        certificate = self._certificate
        slip = self._slip
        assert certificate is not None and slip is not None
        reference = msg("certificate.code", code=certificate.code)
        choices = printout_choices(slip, self._context, msg("task.done"))
        return Content(
            heading, msg("certificate.hint.verify"), choices, panels=slip.panels(reference)
        )
