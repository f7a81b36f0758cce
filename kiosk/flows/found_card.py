"""A request for the card in the reader when the platform has it as not in service (Art. 2):
找回了卡, the holder of a card reported lost finds it, inserts it and types the PIN, and the report
is lifted right there; an expired card asks for its replacement (kiosk.flows.card_problems).
Both are filed in a session that acts on the card's life only, and end with a slip.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.errors import KioskError
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.privacy import mask_number
from kiosk.domain.receipt import CardSlipContent, card_life_receipt
from kiosk.flows.card_words import STATUS_TEXT, summary_view
from kiosk.flows.machine import Screens
from kiosk.flows.task_kit import (
    Slip,
    card_request_url,
    file_request,
    kiosk_id,
    receipt_outcome,
    sent_view,
)
from kiosk.flows.view import Choice, Content, Panel, numbered_choices

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.domain.card import CardSnapshot, CardStatus
    from kiosk.domain.submission import SubmissionReceipt
    from kiosk.flows.ports import Outbox
    from kiosk.flows.tasks import TaskContext


def in_card_life_session(
    context: TaskContext,
    snapshot: CardSnapshot,
    kind: str,
    body: dict[str, object],
) -> Callable[[Outbox], SubmissionReceipt]:
    """The job that files a request for a card the platform has as not in service (lost,
    expired): in a session that acts on the card's life only, opened for it after the chip
    took the PIN, and closed again. The platform changes a card's state only in the holder's
    own session, never on the kiosk's word (Art. 2)."""
    platform = context.platform
    identifier, number = snapshot.card.identifier, snapshot.card.number

    def job(outbox: Outbox) -> SubmissionReceipt:
        session = platform.open_session_by_card(identifier, number, scope="card_life")
        try:
            return outbox.submit(kind, body, token=session.token)
        finally:
            # If this fails, it ends by itself when idle; the request is filed or queued.
            with contextlib.suppress(KioskError):
                platform.close_session(session.token)

    return job


def card_masked(context: TaskContext) -> str:
    """The number of the card in the reader, masked as on screen and slip."""
    snapshot = context.snapshot
    return mask_number(snapshot.card.number, 2, 2) if snapshot is not None else ""


def holder_name(context: TaskContext) -> str:
    snapshot = context.snapshot
    return snapshot.holder.name if snapshot is not None and snapshot.holder else ""


class InHand(StrEnum):
    """The screens of a request filed for the card in hand."""

    OFFER = "offer"
    PICKUP = "pickup"
    CONFIRM = "confirm"
    SENDING = "sending"
    SENT = "sent"
    REFUSED = "refused"


class CardInHandRequest:
    """What filing for the card in hand shares: the summary confirmed, the request sent in a
    session that acts on the card's life only, the receipt read, the slip printed (or shown as a
    QR code). A task names its request and says what a refusal means, and where it is said."""

    request = ""  # loss_lifting, replacement
    refusal: str  # the message id said when the platform hears the request and refuses it
    refused_at = InHand.CONFIRM

    def __init__(self, context: TaskContext, first: InHand, now: Callable[[], dt.datetime]) -> None:
        self._context = context
        self._now = now
        # What was sent cannot be taken back: back from there leaves the task.
        stuck = (InHand.SENDING, InHand.SENT, InHand.REFUSED)
        self._screens = Screens(first, context.changed, stuck=stuck)
        self._error: Message | None = None
        self._tracking = ""
        self._receipt_state = ""
        self._slip: Slip | None = None

    def screen_key(self) -> tuple[object, ...]:
        slip = self._slip.key if self._slip else None
        return (self._screens.current, self._error, slip)

    def back(self) -> bool:
        self._error = None
        return self._screens.back()

    def close(self) -> None:
        self._slip = None

    def _body(self) -> dict[str, object]:
        return {}

    def _slip_details(self) -> tuple[str, str]:
        """What the slip says besides the request: the pickup hall's name, the reason."""
        return "", ""

    def confirm(self) -> None:
        snapshot = self._context.snapshot
        if self._screens.current is not InHand.CONFIRM or snapshot is None:
            return
        self._error = None
        job = in_card_life_session(self._context, snapshot, self.request, self._body())
        file_request(
            self._context, self._screens, InHand.SENDING, job, self._submitted, self._failed
        )

    def _submitted(self, receipt: SubmissionReceipt) -> None:
        self._receipt_state, self._tracking = receipt_outcome(receipt)
        if self._receipt_state == "rejected":
            self._error = msg(self.refusal)
            self._screens.go(self.refused_at, remember=False)
            return
        filed = CardSlipContent(
            tracking_number=self._tracking,
            card_number_masked=card_masked(self._context),
            holder_name=holder_name(self._context),
            filed=self._now(),
            status_url=card_request_url(self._context, self._tracking),
            kiosk_id=kiosk_id(self._context),
        )
        pickup, reason = self._slip_details()
        slip = card_life_receipt(filed, self.request, pickup=pickup, reason=reason)
        self._slip = Slip(self._context, slip)
        self._screens.go(InHand.SENT, remember=False)

    def _failed(self, error: KioskError) -> None:
        self._error = msg(error.message_id)
        self._screens.go(InHand.CONFIRM, remember=False)

    def _sent(self, heading: Message) -> Content:
        assert self._slip is not None
        return sent_view(
            heading,
            self._slip,
            self._tracking,
            self._receipt_state,
            self._context,
        )


class LiftWithCardTask(CardInHandRequest):
    """找回了卡: the card is in the reader and the chip took its PIN, but the platform has it as
    lost, so no session opens (Art. 2). The holder found it: lifting the report is offered
    right here, with a summary to confirm, and a slip. Filed in a session that acts on the
    card's life only, opened for it after the chip checked the PIN (docs/platform.md).

    `resume` opens the session once the card is back in service."""

    request = "loss_lifting"
    # Heard and refused: a new card is already being made for this loss.
    refusal = N_("card_life.lift.refused")
    refused_at = InHand.REFUSED

    def __init__(
        self,
        context: TaskContext,
        status: CardStatus,
        resume: Callable[[], None],
        *,
        now: Callable[[], dt.datetime] = hall_time.now,
    ) -> None:
        # One way through, no way back: the resident confirms, or leaves with "not now".
        super().__init__(context, InHand.CONFIRM, now)
        self._status = status
        self._resume = resume

    def view(self) -> Content:
        heading = msg("card_life.kind.loss_lifting")
        screen = self._screens.current
        if screen is InHand.CONFIRM:
            number = msg("card_status.number", number=card_masked(self._context))
            return summary_view(
                Panel(msg(STATUS_TEXT[self._status]), (number,)),
                "card_life.effect.lifting",
                self._error or msg("card_life.lift.hint"),
                ("card_life.lift.confirm", self.confirm),
                ("card_life.lift.not_now", self._context.finish),
            )
        if screen is InHand.SENDING:
            return Content(heading, msg("complaints.sending"))
        if screen is InHand.REFUSED:
            return Content(
                heading,
                self._error or msg("error.generic"),
                [Choice("1", msg("task.done"), None, self._context.finish)],
            )
        sent = self._sent(heading)
        if self._receipt_state != "delivered":
            return sent  # still in the queue: the card is not back in service yet
        # Back in service: go on to the services, or finish (the card's slip is printed).
        more = (msg("card_life.lift.continue"), None, self._resume)
        others = [(c.label, c.examples, c.action) for c in sent.choices]
        return sent.replace(choices=numbered_choices([more, *others]))
