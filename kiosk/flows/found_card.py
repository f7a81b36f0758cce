"""找回了卡: the holder of a card reported lost finds it, inserts it and types the PIN, and the
report is lifted right there (Art. 2). Also the way any request for a card the platform has as
not in service is filed: in a session that acts on the card's life only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.errors import KioskError
from kiosk.domain.messages import Message, msg
from kiosk.domain.privacy import mask_number
from kiosk.domain.receipt import CardSlipContent, card_life_receipt
from kiosk.flows.card_words import STATUS_TEXT
from kiosk.flows.machine import Screens
from kiosk.flows.task_kit import Slip, card_request_url, kiosk_id, receipt_outcome, sent_view
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.domain.card import CardSnapshot, CardStatus
    from kiosk.flows.ports import Submitting
    from kiosk.flows.tasks import TaskContext


def in_card_life_session(
    context: TaskContext,
    outbox: Submitting,
    snapshot: CardSnapshot,
    kind: str,
    body: dict[str, object],
) -> Callable[[], object]:
    """The job that files a request for a card the platform has as not in service (lost,
    expired): in a session that acts on the card's life only, opened for it after the chip
    took the PIN, and closed again. The platform changes a card's state only in the holder's
    own session, never on the kiosk's word (Art. 2)."""
    platform = context.platform
    identifier, number = snapshot.card.identifier, snapshot.card.number

    def job() -> object:
        session = platform.open_session_by_card(identifier, number, scope="card_life")
        try:
            return outbox.submit(kind, body, token=session.token)
        finally:
            # If this fails, it ends by itself when idle; the request is filed or queued.
            with contextlib.suppress(KioskError):
                platform.close_session(session.token)

    return job


class LiftScreen(StrEnum):
    CONFIRM = "confirm"
    SENDING = "sending"
    SENT = "sent"
    REFUSED = "refused"


class LiftWithCardTask:
    """找回了卡: the card is in the reader and the chip took its PIN, but the platform has it as
    lost, so no session opens (Art. 2). The holder found it: lifting the report is offered
    right here, with a summary to confirm, and a slip. Filed in a session that acts on the
    card's life only, opened for it after the chip checked the PIN (docs/platform.md).

    `resume` opens the session once the card is back in service."""

    def __init__(
        self,
        context: TaskContext,
        status: CardStatus,
        resume: Callable[[], None],
        *,
        now: Callable[[], dt.datetime] = hall_time.now,
    ) -> None:
        self._context = context
        self._status = status
        self._resume = resume
        self._now = now
        # One way through, no way back: the resident confirms, or leaves with "not now".
        self._screens = Screens(LiftScreen.CONFIRM, context.changed)
        self._error: Message | None = None
        self._tracking = ""
        self._receipt_state = ""
        self._slip: Slip | None = None

    def screen_key(self) -> tuple[object, ...]:
        slip = (self._slip.state, self._slip.attempts) if self._slip else None
        return (self._screens.current, self._error, slip)

    def back(self) -> bool:
        return False

    def close(self) -> None:
        self._slip = None

    def _card_masked(self) -> str:
        snapshot = self._context.snapshot
        return mask_number(snapshot.card.number, 2, 2) if snapshot is not None else ""

    def confirm(self) -> None:
        snapshot, outbox = self._context.snapshot, self._context.outbox
        if self._screens.current is not LiftScreen.CONFIRM or snapshot is None:
            return
        if outbox is None:
            self._error = msg("error.platform.unavailable")
            self._context.changed()
            return
        self._error = None
        self._screens.go(LiftScreen.SENDING, remember=False)
        job = in_card_life_session(self._context, outbox, snapshot, "loss_lifting", {})
        self._context.runner.run(job, self._submitted, self._failed)

    def _submitted(self, receipt: object) -> None:
        self._receipt_state, self._tracking = receipt_outcome(receipt)
        if self._receipt_state == "rejected":
            # Heard and refused: a new card is already being made for this loss.
            self._error = msg("card_life.lift.refused")
            self._screens.go(LiftScreen.REFUSED, remember=False)
            return
        snapshot = self._context.snapshot
        holder = snapshot.holder.name if snapshot is not None and snapshot.holder else ""
        now = self._now()
        self._slip = Slip(
            self._context,
            card_life_receipt(
                CardSlipContent(
                    tracking_number=self._tracking,
                    card_number_masked=self._card_masked(),
                    holder_name=holder,
                    filed=now,
                    status_url=card_request_url(self._context, self._tracking),
                    kiosk_id=kiosk_id(self._context),
                ),
                "loss_lifting",
            ),
        )
        self._screens.go(LiftScreen.SENT, remember=False)

    def _failed(self, error: KioskError) -> None:
        self._error = msg(error.message_id)
        self._screens.go(LiftScreen.CONFIRM, remember=False)

    def print_again(self) -> None:
        if self._slip is not None:
            self._slip.print()
            self._context.changed()

    def view(self) -> Content:
        heading = msg("card_life.kind.loss_lifting")
        if self._screens.current is LiftScreen.CONFIRM:
            panels = [
                Panel(
                    msg(STATUS_TEXT[self._status]),
                    (msg("card_status.number", number=self._card_masked()),),
                ),
                Panel(msg("card_life.effect_title"), (msg("card_life.effect.lifting"),)),
            ]
            choices = [
                Choice("1", msg("card_life.lift.confirm"), None, self.confirm),
                Choice("2", msg("card_life.lift.not_now"), None, self._context.finish),
            ]
            hint = self._error or msg("card_life.lift.hint")
            return Content(msg("card_life.confirm_heading"), hint, choices, panels=panels)
        if self._screens.current is LiftScreen.SENDING:
            return Content(heading, msg("complaints.sending"))
        if self._screens.current is LiftScreen.REFUSED:
            return Content(
                heading,
                self._error or msg("error.generic"),
                [Choice("1", msg("task.done"), None, self._context.finish)],
            )
        assert self._slip is not None
        sent = sent_view(
            heading,
            self._slip,
            self._tracking,
            self._receipt_state,
            self._context,
            self.print_again,
        )
        if self._receipt_state != "delivered":
            return sent  # still in the queue: the card is not back in service yet
        # Back in service: go on to the services, or finish (the card's slip is printed).
        more = Choice("1", msg("card_life.lift.continue"), None, self._resume)
        others = [
            Choice(str(number), c.label, c.examples, c.action)
            for number, c in enumerate(sent.choices, start=2)
        ]
        return replace(sent, choices=[more, *others])
