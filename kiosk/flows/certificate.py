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
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.a4 import certificate_document
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.receipt import CertificateContent, InsuranceLine, certificate_receipt
from kiosk.flows.a4 import FAILED as SHEET_FAILED
from kiosk.flows.a4 import A4Sheet
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
    paged_choices,
    platform_url,
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

(CHOOSE, PERIOD, FROM_YEAR, TO_YEAR, ISSUING, PREVIEW, SLIP, FAILED, MEDIUM, SHEET) = (
    "choose",
    "period",
    "from_year",
    "to_year",
    "issuing",
    "preview",
    "slip",
    "failed",
    "medium",  # an A4 sheet or a slip, where the hall has both
    "sheet",  # the A4 sheet printed, or why not
)


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
        self._screen = CHOOSE
        self._scope = ALL
        self._period: tuple[str, str] | None = None
        self._from_year = 0
        self._certificate: Certificate | None = None
        self._error: Message | None = None
        self._slip: Slip | None = None
        self._sheet: A4Sheet | None = None
        self._pager = Pager(context.changed)

    def screen_key(self) -> tuple[object, ...]:
        slip = (self._slip.state, self._slip.attempts) if self._slip else None
        sheet = (self._sheet.state, self._sheet.attempts) if self._sheet else None
        return (self._screen, self._scope, self._period, self._error, self._pager.page, slip, sheet)

    def back(self) -> bool:
        screen = self._screen
        self._error = None
        if screen == MEDIUM:
            self._screen = PREVIEW
        elif screen in (PREVIEW, FAILED, FROM_YEAR):
            self._screen = PERIOD
            self._pager.reset()
            self._certificate = None
        elif screen == TO_YEAR:
            self._screen = FROM_YEAR
        elif screen == PERIOD:
            self._screen = CHOOSE
        else:
            return False
        return True

    def close(self) -> None:
        self._certificate = None
        self._slip = None
        self._sheet = None

    # --- actions ---------------------------------------------------------------------------

    def choose(self, scope: str) -> None:
        """The insurance it states (or all); then the period."""
        self._scope, self._screen, self._error = scope, PERIOD, None
        self._pager.reset()
        self._context.changed()

    def choose_period(self, choice: str) -> None:
        if choice == "years":
            self._screen, self._error = FROM_YEAR, None
            self._context.changed()
            return
        self._issue(period_for(choice, self._today()))

    def _period_chooser(self, choice: str) -> Callable[[], None]:
        return lambda: self.choose_period(choice)

    def year_entered(self, typed: str) -> None:
        """The first year, then the last: four digits each, on the keypad."""
        this_year = self._today().year
        low = FIRST_YEAR if self._screen == FROM_YEAR else self._from_year
        if not typed.isdigit() or not low <= int(typed) <= this_year:
            self._error = msg("certificate.error.year", first=low, last=this_year)
            self._context.changed()
            return
        self._error = None
        if self._screen == FROM_YEAR:
            self._from_year, self._screen = int(typed), TO_YEAR
            self._context.changed()
            return
        last = f"{this_year:04d}-{self._today().month:02d}" if int(typed) == this_year else None
        self._issue((f"{self._from_year:04d}-01", last or f"{int(typed):04d}-12"))

    def _issue(self, period: tuple[str, str] | None) -> None:
        """Issues the certificate (a new code each time) and shows its preview."""
        self._period, self._screen = period, ISSUING
        self._pager.reset()
        self._context.changed()
        token = self._context.session.token
        insurances = None if self._scope == ALL else (self._scope,)
        platform = self._context.platform
        self._context.runner.run(
            lambda: platform.issue_certificate(token, insurances=insurances, period=period),
            self._issued,
            self._failed,
        )

    def _issued(self, certificate: Certificate) -> None:
        self._certificate, self._screen = certificate, PREVIEW
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        self._screen, self._error = FAILED, msg(error.message_id)
        self._context.changed()

    def print_it(self) -> None:
        """Where the hall has an A4 printer and a receipt printer, the resident chooses; with
        only one of them, that one."""
        if self._certificate is None:
            return
        if self._context.a4printer is not None and self._context.printer is not None:
            self._screen = MEDIUM
            self._context.changed()
        elif self._context.a4printer is not None:
            self.print_sheet()
        else:
            self.print_slip()

    def print_slip(self) -> None:
        if self._certificate is None:
            return
        # The slip before the screen that shows it: a printer that answers at once redraws.
        self._slip = Slip(self._context, certificate_receipt(self.content()))
        self._screen = SLIP
        self._context.changed()

    def print_sheet(self) -> None:
        if self._certificate is None:
            return
        snapshot = self._context.snapshot
        full_id = snapshot.holder.ssn if snapshot is not None and snapshot.holder else None
        document = certificate_document(
            self.content(), at_counter=self._context.at_counter, full_id=full_id
        )
        self._sheet = A4Sheet(self._context, document)
        self._screen = SHEET
        self._context.changed()

    def print_sheet_again(self) -> None:
        if self._sheet is not None:
            self._sheet.print()
            self._context.changed()

    def print_again(self) -> None:
        if self._slip is not None:
            self._slip.print()
            self._context.changed()

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
        if self._screen == CHOOSE:
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
        if self._screen == PERIOD:
            periods: list[ChoiceEntry] = [
                (msg(label), msg(examples), self._period_chooser(key))
                for key, label, examples in PERIODS
            ]
            choices = paged_choices(self._pager, periods)
            content = Content(heading, msg("certificate.hint.period"), choices, columns=2)
            return self._pager.apply(content)
        if self._screen in (FROM_YEAR, TO_YEAR):
            prompt = "certificate.from_year" if self._screen == FROM_YEAR else "certificate.to_year"
            return DigitEntry(
                heading,
                self._error or msg(prompt),
                submit=self.year_entered,
                max_digits=4,
                private=False,
            )
        if self._screen == ISSUING:
            return loading_view(heading)
        if self._screen == FAILED or self._certificate is None:
            return error_view(heading, self._error)
        if self._screen == PREVIEW:
            return self._preview(heading)
        if self._screen == MEDIUM:
            return Content(
                heading,
                msg("a4.choose.hint"),
                [
                    Choice(
                        "1", msg("a4.choose.sheet"), msg("a4.choose.sheet.ex"), self.print_sheet
                    ),
                    Choice("2", msg("a4.choose.slip"), msg("a4.choose.slip.ex"), self.print_slip),
                ],
                columns=1,
            )
        if self._screen == SHEET:
            return self._sheet_done(heading)
        return self._done(heading)

    def _sheet_done(self, heading: Message) -> Content:
        certificate, sheet = self._certificate, self._sheet
        assert certificate is not None and sheet is not None
        reference = msg("certificate.code", code=certificate.code)
        entries: list[tuple[Message, Callable[[], None]]] = []
        if sheet.state == SHEET_FAILED:
            if self._context.a4printer is not None:
                entries.append((msg("a4.print_again"), self.print_sheet_again))
            if self._context.printer is not None:
                entries.append((msg("a4.choose.slip"), self.print_slip))
        entries.append((msg("task.done"), self._context.finish))
        choices = [
            Choice(str(number), label, None, action)
            for number, (label, action) in enumerate(entries, start=1)
        ]
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
        choices = []
        if slip.state == "on_screen" and self._context.printer is not None:
            choices.append(Choice("1", msg("slip.print_again"), None, self.print_again))
        choices.append(Choice(str(len(choices) + 1), msg("task.done"), None, self._context.finish))
        return Content(
            heading, msg("certificate.hint.verify"), choices, panels=slip.panels(reference)
        )
