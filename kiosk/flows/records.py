"""我的记录: contributions by insurance, the medical account, pension, subsidies, card use.

Each list opens with a summary in words (the voice guide speaks it first: "2019 to 2025, 84
months paid, 3 missing"); the details follow page by page. A missing month is said in words,
never by colour alone (requirement 11). Amounts are personal data: every message that carries
one marks it private, so a loudspeaker never says a balance (requirement 5). The certificate of
insured status is offered from here too, as it is made from the same records.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from babel.lists import format_list

from kiosk.domain.messages import N_, Message, msg
from kiosk.flows.certificate import INSURANCE_NAMES, CertificateTask
from kiosk.flows.machine import Screens
from kiosk.flows.task_kit import (
    ChoiceEntry,
    Pager,
    babel_locale,
    day,
    error_view,
    loading_view,
    moment,
    money,
    month,
    month_name,
    paged_choices,
    paged_panels,
)
from kiosk.flows.view import Content, Panel

if TYPE_CHECKING:
    from kiosk.domain.errors import KioskError
    from kiosk.domain.records import (
        CardUse,
        ContributionMonth,
        Contributions,
        InsuranceSummary,
        MedicalAccount,
        PensionPayment,
        SubsidyPayment,
    )
    from kiosk.flows.tasks import Task, TaskContext

MEDICAL_KINDS = {
    "credit": N_("records.medical.kind.credit"),
    "outpatient": N_("records.medical.kind.outpatient"),
    "pharmacy": N_("records.medical.kind.pharmacy"),
    "inpatient": N_("records.medical.kind.inpatient"),
}
CARD_USE_KINDS = {
    "bus": N_("records.card_use.kind.bus"),
    "metro": N_("records.card_use.kind.metro"),
    "library": N_("records.card_use.kind.library"),
    "museum": N_("records.card_use.kind.museum"),
    "hospital": N_("records.card_use.kind.hospital"),
}


# Screens of this task.
class Screen(StrEnum):
    MENU = "menu"
    CONTRIBUTIONS = "contributions"
    INSURANCE = "insurance"  # one insurance's years, from the contributions
    MEDICAL = "medical"
    PENSION = "pension"
    SUBSIDIES = "subsidies"
    CARD_USE = "card_use"


HEADINGS = {
    Screen.CONTRIBUTIONS: N_("records.heading.contributions"),
    Screen.INSURANCE: N_("records.heading.contributions"),
    Screen.MEDICAL: N_("records.heading.medical"),
    Screen.PENSION: N_("records.heading.pension"),
    Screen.SUBSIDIES: N_("records.heading.subsidies"),
    Screen.CARD_USE: N_("records.heading.card_use"),
}


class RecordsTask:
    def __init__(self, context: TaskContext) -> None:
        self._context = context
        self._screens = Screens(Screen.MENU, context.changed)
        self._loading = False
        self._error: Message | None = None
        self._data: dict[str, Any] = {}
        self._insurance = ""
        self._pager = Pager(context.changed)
        self._sub: Task | None = None

    # --- Task ------------------------------------------------------------------------------

    def screen_key(self) -> tuple[object, ...]:
        sub = self._sub.screen_key() if self._sub is not None else ()
        return (
            self._screens.current,
            self._loading,
            self._error,
            self._insurance,
            self._pager.page,
            sub,
        )

    def back(self) -> bool:
        if self._sub is not None:
            if not self._sub.back():
                self._sub.close()
                self._sub = None
            return True
        self._error, self._loading = None, False
        self._pager.reset()
        return self._screens.back()

    def close(self) -> None:
        self._data.clear()
        if self._sub is not None:
            self._sub.close()
            self._sub = None

    # --- actions ---------------------------------------------------------------------------

    def open(self, screen: Screen | str) -> None:
        screen = Screen(screen)  # a face may name it by its value ("medical")
        self._error = None
        self._pager.reset()
        self._loading = screen not in self._data
        self._screens.go(screen)
        if not self._loading:
            return
        token = self._context.session.token
        platform = self._context.platform
        jobs: dict[str, Callable[[], object]] = {
            Screen.CONTRIBUTIONS: lambda: platform.contributions(token),
            Screen.MEDICAL: lambda: platform.medical_account(token),
            Screen.PENSION: lambda: platform.pension_payments(token),
            Screen.SUBSIDIES: lambda: platform.subsidies(token),
            Screen.CARD_USE: lambda: platform.card_uses(token),
        }
        self._context.runner.run(
            jobs[screen], lambda value: self._loaded(screen, value), self._failed
        )

    def _loaded(self, screen: Screen, value: object) -> None:
        self._data[screen] = value
        self._loading = False
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        self._loading, self._error = False, msg(error.message_id)
        self._context.changed()

    def choose_insurance(self, insurance: str) -> None:
        self._insurance = insurance
        self._pager.reset()
        self._screens.go(Screen.INSURANCE)

    def open_certificate(self) -> None:
        self._pager.reset()
        self._sub = CertificateTask(self._context)
        self._context.changed()

    def open_rights_statement(self) -> None:
        from kiosk.flows.rights_statement import RightsStatementTask

        self._pager.reset()
        self._sub = RightsStatementTask(self._context)
        self._context.changed()

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        if self._sub is not None:
            return self._sub.view()
        screen = self._screens.current
        if screen is Screen.MENU:
            return self._menu()
        heading = msg(HEADINGS[screen])
        if self._loading:
            return loading_view(heading)
        key = Screen.CONTRIBUTIONS if screen is Screen.INSURANCE else screen
        if self._error is not None or key not in self._data:
            return error_view(heading, self._error)
        language = self._context.language()
        data = self._data[key]
        if screen is Screen.CONTRIBUTIONS:
            return self._contributions(data, language)
        if screen is Screen.INSURANCE:
            return self._insurance_years(data, language)
        if screen is Screen.MEDICAL:
            return self._medical(data, language)
        if screen is Screen.PENSION:
            return self._pension(data, language)
        if screen is Screen.SUBSIDIES:
            return self._subsidies(data, language)
        return self._card_uses(data, language)

    def _menu(self) -> Content:
        entries: list[ChoiceEntry] = [
            (
                msg("records.menu.contributions"),
                msg("records.menu.contributions.ex"),
                lambda: self.open(Screen.CONTRIBUTIONS),
            ),
            (
                msg("records.menu.medical"),
                msg("records.menu.medical.ex"),
                lambda: self.open(Screen.MEDICAL),
            ),
            (
                msg("records.menu.certificate"),
                msg("records.menu.certificate.ex"),
                self.open_certificate,
            ),
            (
                msg("records.menu.pension"),
                msg("records.menu.pension.ex"),
                lambda: self.open(Screen.PENSION),
            ),
            (
                msg("records.menu.subsidies"),
                msg("records.menu.subsidies.ex"),
                lambda: self.open(Screen.SUBSIDIES),
            ),
            (
                msg("records.menu.card_use"),
                msg("records.menu.card_use.ex"),
                lambda: self.open(Screen.CARD_USE),
            ),
        ]
        if self._context.a4printer is not None:
            # A sheet of many tables: where there is an A4 printer only.
            entries.append((msg("rights.menu"), msg("rights.menu.ex"), self.open_rights_statement))
        choices = paged_choices(self._pager, entries)
        content = Content(msg("records.heading.menu"), msg("records.hint.menu"), choices, columns=2)
        return self._pager.apply(content)

    def _contributions(self, data: Contributions, language: str) -> Content:
        heading = msg("records.heading.contributions")
        if not data.summary:
            return Content(heading, msg("records.none"))
        entries: list[ChoiceEntry] = [
            (
                msg(INSURANCE_NAMES[item.insurance]),
                summary_message(item),
                lambda insurance=item.insurance: self.choose_insurance(insurance),  # type: ignore[misc]
            )
            for item in data.summary
        ]
        choices = paged_choices(self._pager, entries)
        content = Content(heading, msg("records.hint.contributions"), choices, columns=2)
        return self._pager.apply(content)

    def _insurance_years(self, data: Contributions, language: str) -> Content:
        heading = msg(INSURANCE_NAMES.get(self._insurance, N_("records.heading.insurance")))
        summary = next((s for s in data.summary if s.insurance == self._insurance), None)
        months = [m for m in data.months if m.insurance == self._insurance]
        hint = summary_message(summary) if summary else msg("records.none")

        def panel(year_and_lines: tuple[str, tuple[Message, ...]]) -> Panel:
            year, lines = year_and_lines
            return Panel(msg("records.contrib.year", year=year), lines)

        return paged_panels(self._pager, heading, hint, year_lines(months, language), panel)

    def _medical(self, data: MedicalAccount, language: str) -> Content:
        heading = msg("records.heading.medical")
        # The balance is said first, then the details page by page (a private value).
        hint = msg(
            "records.medical.summary",
            amount=money(data.balance_fen, language),
            count=len(data.transactions),
            private=("amount",),
        )
        return paged_panels(
            self._pager,
            heading,
            hint,
            data.transactions,
            lambda item: Panel(
                msg("published", text=moment(item.at, language)),
                (
                    msg(
                        MEDICAL_KINDS[item.kind],
                        amount=money(item.amount_fen, language),
                        private=("amount",),
                    ),
                    *place_line(item.place),
                ),
            ),
        )

    def _pension(self, data: tuple[PensionPayment, ...], language: str) -> Content:
        heading = msg("records.heading.pension")
        if not data:
            return Content(heading, msg("records.pension.none"))
        by_year = [
            (year, list(group))
            for year, group in itertools.groupby(data, key=lambda p: p.month[:4])
        ]

        def panel(year_payments: tuple[str, list[PensionPayment]]) -> Panel:
            year, payments = year_payments
            return Panel(
                msg("records.contrib.year", year=year),
                (
                    msg(
                        "records.pension.year_line",
                        count=len(payments),
                        total=money(sum(p.amount_fen for p in payments), language),
                        private=("total",),
                    ),
                    msg(
                        "records.pension.latest",
                        month=month(payments[0].month, language),
                        amount=money(payments[0].amount_fen, language),
                        private=("amount",),
                    ),
                ),
            )

        hint = msg(
            "records.pension.summary",
            count=len(data),
            first=month(data[-1].month, language),
            last=month(data[0].month, language),
        )
        return paged_panels(self._pager, heading, hint, by_year, panel)

    def _subsidies(self, data: tuple[SubsidyPayment, ...], language: str) -> Content:
        heading = msg("records.heading.subsidies")

        def panel(item: SubsidyPayment) -> Panel:
            return Panel(
                msg("published", text=item.program.get(language)),
                (
                    msg(
                        "records.paid_on",
                        date=day(item.paid_on, language),
                        amount=money(item.amount_fen, language),
                        private=("amount",),
                    ),
                    msg("records.department", department=item.department),
                ),
            )

        hint = msg("records.subsidies.summary", count=len(data))
        empty = msg("records.subsidies.none")
        return paged_panels(self._pager, heading, hint, data, panel, empty=empty)

    def _card_uses(self, data: tuple[CardUse, ...], language: str) -> Content:
        heading = msg("records.heading.card_use")

        def panel(use: CardUse) -> Panel:
            lines = [msg("published", text=moment(use.at, language)), *place_line(use.place)]
            if use.amount_fen:
                lines.append(
                    msg(
                        "records.amount_paid",
                        amount=money(use.amount_fen, language),
                        private=("amount",),
                    )
                )
            return Panel(msg(CARD_USE_KINDS[use.kind]), tuple(lines))

        counts = {kind: sum(1 for u in data if u.kind == kind) for kind in CARD_USE_KINDS}
        hint = msg(
            "records.card_use.summary",
            count=len(data),
            bus=counts["bus"] + counts["metro"],
            other=len(data) - counts["bus"] - counts["metro"],
        )
        return paged_panels(self._pager, heading, hint, data, panel, empty=msg("records.none"))


def place_line(place: str) -> tuple[Message, ...]:
    """Where a record happened, as a line of its panel, when the platform says."""
    return (msg("records.place", place=place),) if place else ()


def summary_message(item: InsuranceSummary) -> Message:
    """The spoken-first summary of one insurance: years covered, months paid, months missing."""
    if item.first_month is None or item.last_month is None:
        return msg("records.contrib.never")
    return msg(
        "records.contrib.summary",
        first=item.first_month[:4],
        last=item.last_month[:4],
        paid=item.paid_months,
        missing=item.unpaid_months,
    )


def year_lines(
    months: list[ContributionMonth], language: str
) -> list[tuple[str, tuple[Message, ...]]]:
    """Per year, newest first: months paid and the personal total, then the missing months
    named in words."""
    years: list[tuple[str, tuple[Message, ...]]] = []
    ordered = sorted(months, key=lambda m: m.month, reverse=True)
    for year, group in itertools.groupby(ordered, key=lambda m: m.month[:4]):
        rows = list(group)
        paid = [m for m in rows if m.paid]
        missing = sorted(int(m.month[5:7]) for m in rows if not m.paid)
        lines = [
            msg(
                "records.contrib.year_paid",
                paid=len(paid),
                total=money(sum(m.personal_fen for m in paid), language),
                private=("total",),
            )
        ]
        if missing:
            names = format_list(
                [month_name(n, language) for n in missing], locale=babel_locale(language)
            )
            lines.append(msg("records.contrib.missing", count=len(missing), months=names))
        else:
            lines.append(msg("records.contrib.no_gap"))
        years.append((year, tuple(lines)))
    return years
