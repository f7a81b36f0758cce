"""个人权益记录单: the resident's personal rights statement on an A4 sheet.

Contributions by insurance and year, the medical account and the pension payments, as residents
take them to employers, banks and visa offices. The platform issues a certificate of insured
status with it, whose code and QR code the sheet carries, so the statement can be checked
against the platform. Offered only where the hall has an A4 printer. No Qt here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.a4 import RightsContent, YearLine, rights_document
from kiosk.domain.messages import Message, msg
from kiosk.flows.a4 import A4Sheet
from kiosk.flows.certificate import PRINTED_NAMES
from kiosk.flows.machine import Screens
from kiosk.flows.task_kit import (
    error_view,
    kiosk_id,
    loading_view,
    platform_url,
    printout_choices,
)
from kiosk.flows.view import Content

if TYPE_CHECKING:
    from kiosk.domain.errors import KioskError
    from kiosk.domain.records import (
        Certificate,
        ContributionMonth,
        Contributions,
        MedicalAccount,
        PensionPayment,
    )
    from kiosk.flows.tasks import TaskContext

PRINTED_MEDICAL = {
    "credit": "划入",
    "outpatient": "门诊",
    "pharmacy": "药店购药",
    "inpatient": "住院",
}
# Every month on record: a working life of five insurances is under 3,000 rows.
MONTHS_LIMIT = 5000


class Screen(StrEnum):
    LOADING = "loading"
    SHEET = "sheet"
    FAILED = "failed"


@dataclass(frozen=True)
class _Records:
    contributions: Contributions
    medical: MedicalAccount
    pension: tuple[PensionPayment, ...]
    certificate: Certificate


def by_year(months: tuple[ContributionMonth, ...]) -> tuple[YearLine, ...]:
    """Paid months summed per insurance and year, in the certificate's insurance order."""
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for line in months:
        if not line.paid:
            continue
        total = totals[(line.insurance, int(line.month[:4]))]
        total[0] += 1
        total[1] += line.personal_fen
        total[2] += line.employer_fen
    order = list(PRINTED_NAMES)
    return tuple(
        YearLine(PRINTED_NAMES.get(insurance, insurance), year, *values)
        for (insurance, year), values in sorted(
            totals.items(),
            key=lambda item: (
                order.index(item[0][0]) if item[0][0] in order else len(order),
                item[0][1],
            ),
        )
    )


class RightsStatementTask:
    def __init__(
        self,
        context: TaskContext,
        *,
        now: Callable[[], dt.datetime] = hall_time.now,
    ) -> None:
        self._context = context
        self._now = now
        # One way through: loaded and printed, or why not; back leaves the task.
        self._screens = Screens(Screen.LOADING, context.changed)
        self._error: Message | None = None
        self._sheet: A4Sheet | None = None
        self._code = ""
        self._load()

    def _load(self) -> None:
        token = self._context.session.token
        platform = self._context.platform

        def fetch() -> _Records:
            return _Records(
                platform.contributions(token, limit=MONTHS_LIMIT),
                platform.medical_account(token),
                platform.pension_payments(token),
                platform.issue_certificate(token),
            )

        self._context.runner.run(fetch, self._loaded, self._failed)

    def _loaded(self, records: _Records) -> None:
        certificate = records.certificate
        content = RightsContent(
            holder_name=certificate.holder_name,
            holder_id_masked=certificate.holder_id_masked,
            years=by_year(records.contributions.months),
            medical_balance_fen=records.medical.balance_fen,
            medical_lines=tuple(
                (f"{t.at:%Y-%m-%d}", PRINTED_MEDICAL.get(t.kind, t.kind), t.amount_fen)
                for t in records.medical.transactions
            ),
            pension_lines=tuple((p.month, p.amount_fen) for p in records.pension),
            code=certificate.code,
            verify_url=f"{platform_url(self._context)}/v1/certificates/{certificate.code}",
            issued=self._now(),
            kiosk_id=kiosk_id(self._context),
            sample=certificate.demo,
        )
        snapshot = self._context.snapshot
        full_id = snapshot.holder.ssn if snapshot is not None and snapshot.holder else None
        document = rights_document(content, at_counter=self._context.at_counter, full_id=full_id)
        self._code = certificate.code
        self._sheet = A4Sheet(self._context, document)
        self._screens.go(Screen.SHEET, remember=False)

    def _failed(self, error: KioskError) -> None:
        self._error = msg(error.message_id)
        self._screens.go(Screen.FAILED, remember=False)

    # --- Task ------------------------------------------------------------------------------

    def screen_key(self) -> tuple[object, ...]:
        sheet = self._sheet.key if self._sheet else None
        return (self._screens.current, self._error, sheet)

    def back(self) -> bool:
        return self._screens.back()

    def close(self) -> None:
        self._sheet = None

    def view(self) -> Content:
        heading = msg("rights.heading")
        if self._screens.current is Screen.LOADING:
            return loading_view(heading)
        if self._screens.current is Screen.FAILED or self._sheet is None:
            return error_view(heading, self._error)
        sheet = self._sheet
        choices = printout_choices(sheet, self._context, msg("task.done"))
        reference = msg("certificate.code", code=self._code)
        return Content(heading, msg("rights.hint"), choices, panels=sheet.panels(reference))
