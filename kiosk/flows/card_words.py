"""我的社保卡: the card's status, its financial account, and the progress of its requests.

The card's life is decided by the platform (Art. 2); the kiosk shows it in words. Whether the
financial account is active matters because the card's financial functions work only once it
is (Art. 19), so the screen says so and says how to activate it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.card import CardStatus
from kiosk.domain.messages import N_, msg
from kiosk.flows.view import Content, Panel

if TYPE_CHECKING:
    from kiosk.backend.records import CardView
    from kiosk.domain.errors import KioskError
    from kiosk.domain.messages import Message
    from kiosk.flows.tasks import TaskContext

STATUS_TEXT = {
    CardStatus.NORMAL: N_("card_status.status.normal"),
    CardStatus.TEMPORARILY_LOST: N_("card_status.status.temporarily_lost"),
    CardStatus.LOST: N_("card_status.status.lost"),
    CardStatus.CANCELLED: N_("card_status.status.cancelled"),
    CardStatus.EXPIRED: N_("card_status.status.expired"),
}


REQUEST_TEXT = {
    "completed": N_("card_status.request.completed"),
    "in_progress": N_("card_status.request.in_progress"),
}


class CardStatusTask:
    """Loads the card's view from the platform once, then shows it; Back returns home."""

    def __init__(self, context: TaskContext) -> None:
        self._context = context
        self._card: CardView | None = None
        self._error: Message | None = None
        self._loading = True
        context.runner.run(
            lambda: context.platform.card(context.session.token), self._loaded, self._failed
        )

    def _loaded(self, card: CardView) -> None:
        self._card, self._loading = card, False
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        self._error, self._loading = msg(error.message_id), False
        self._context.changed()

    def screen_key(self) -> tuple[object, ...]:
        return (self._loading, self._card is not None, self._error)

    def back(self) -> bool:
        return False

    def close(self) -> None:
        self._card = None

    def view(self) -> Content:
        heading = msg("card_status.heading")
        if self._loading:
            return Content(heading, msg("catalog.loading"))
        if self._card is None:
            return Content(heading, self._error or msg("error.generic"))
        card = self._card
        status = Panel(
            msg("card_status.status_title"),
            (
                msg(STATUS_TEXT[card.status]),
                msg("card_status.number", number=card.number_masked),
                msg("card_status.expires", date=card.expires.isoformat()),
            ),
        )
        financial = Panel(
            msg("card_status.financial"),
            (
                msg("card_status.financial.active")
                if card.financial_account_active
                else msg("category.locked"),
            ),
        )
        panels = [status, financial]
        for request in card.requests[:2]:
            panels.append(
                Panel(
                    msg("card_status.request", tracking=request.tracking_number),
                    (msg(REQUEST_TEXT.get(request.status, N_("card_status.request.in_progress"))),),
                )
            )
        return Content(heading, msg("card_status.hint"), panels=panels)
