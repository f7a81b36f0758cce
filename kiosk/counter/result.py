"""What a look-up shows the member of staff: only what came back, which is only what the
resident's consent to one purpose allows (Art. 13). In the words the resident's own screens use
for the same things. No Qt here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.messages import N_, msg
from kiosk.flows.card_words import REQUEST_NAMES, STATUS_TEXT
from kiosk.flows.certificate import INSURANCE_NAMES
from kiosk.flows.complaint_words import STATUS_TEXT as COMPLAINT_STATES
from kiosk.flows.task_kit import day, moment, money
from kiosk.flows.view import Panel

if TYPE_CHECKING:
    from kiosk.domain.staff import LookupResult

_FINANCIAL = {
    True: N_("card_status.financial.active"),
    False: N_("counter.result.financial_inactive"),
}
_REQUEST_STATES = {
    True: N_("card_status.request.completed"),
    False: N_("card_status.request.in_progress"),
}


def result_panels(result: LookupResult, language: str) -> list[Panel]:
    """The look-up as panels: only what came back, which is only what the purpose allows."""
    who = [msg("counter.result.name", name=result.name)]
    if result.id_number is not None:
        who.append(msg("counter.result.id_number", number=result.id_number))
    panels = [Panel(msg("counter.result.identity"), tuple(who))]
    if result.card is not None:
        card = result.card
        lines = [
            msg("card_status.number", number=card.number_masked),
            msg(STATUS_TEXT[card.status]),
            msg("card_status.expires", date=day(card.expires, language)),
            msg(_FINANCIAL[card.financial_account_active]),
        ]
        panels.append(Panel(msg("counter.field.card"), tuple(lines)))
        for request in card.requests[:5]:
            panels.append(
                Panel(
                    msg(REQUEST_NAMES.get(request.kind, "counter.field.card")),
                    (
                        msg("card_status.request", tracking=request.tracking_number),
                        msg(_REQUEST_STATES[request.status == "completed"]),
                        msg("complaints.status.filed", when=moment(request.created, language)),
                    ),
                )
            )
    if result.contributions is not None:
        for summary in result.contributions:
            panels.append(
                Panel(
                    msg(INSURANCE_NAMES.get(summary.insurance, "counter.field.contributions")),
                    (
                        msg(
                            "counter.result.months",
                            paid=summary.paid_months,
                            unpaid=summary.unpaid_months,
                        ),
                        msg(
                            "counter.result.personal_total",
                            amount=money(summary.personal_total_fen, language),
                        ),
                    ),
                )
            )
    if result.medical_balance_fen is not None:
        panels.append(
            Panel(
                msg("counter.field.medical_balance"),
                (
                    msg(
                        "counter.result.balance",
                        amount=money(result.medical_balance_fen, language),
                    ),
                ),
            )
        )
    if result.certificates is not None:
        lines = [
            msg(
                "counter.result.certificate",
                code=c.code,
                date=day(c.valid_until, language),
            )
            for c in result.certificates[:8]
        ]
        panels.append(
            Panel(
                msg("counter.field.certificates"),
                tuple(lines) or (msg("counter.result.none"),),
            )
        )
    if result.complaints is not None:
        if not result.complaints:
            panels.append(Panel(msg("counter.field.complaints"), (msg("counter.result.none"),)))
        for complaint in result.complaints[:8]:
            lines = [
                msg("complaints.tracking", tracking=complaint.tracking_number),
                msg(COMPLAINT_STATES.get(complaint.status, "complaints.status.received")),
                msg("published", text=complaint.subject),
            ]
            if complaint.reply:
                lines.append(msg("complaints.status.reply", text=complaint.reply))
            panels.append(Panel(msg("counter.field.complaints"), tuple(lines)))
    return panels
