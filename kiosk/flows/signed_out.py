"""The session's ways in before a platform session, and the tasks they lead to (Art. 2).

Without the card in hand: sign in with the e-code, or report the card lost at once
(kiosk.flows.lost_card). With the card, when the platform refuses it: lift a loss report the
holder made (kiosk.flows.card_life), ask for an expired card's replacement, learn what a blocked
PIN needs, or have a new PIN set at a counter (kiosk.flows.card_problems). Mixed into
SessionFlow, whose state these steps change; `_Session` is what of it they use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from kiosk.domain.card_status import CardAction, CardStatus, allows
from kiosk.domain.errors import CardNotInService, KioskError, PlatformRejected
from kiosk.domain.messages import Message, msg
from kiosk.flows.steps import SessionCore, Step

if TYPE_CHECKING:
    from kiosk.domain.card import CardSnapshot
    from kiosk.domain.session import ResidentSession
    from kiosk.flows.tasks import Task, TaskContext


@runtime_checkable
class TakesEcode(Protocol):
    """A task that may ask for the e-code under the scanner (kiosk.flows.lost_card)."""

    def ecode_scanned(self, raw: str) -> bool:
        """True when the screen shown takes it."""
        ...


class _Session(SessionCore, Protocol):
    task: Task | None
    snapshot: CardSnapshot | None
    card_present: bool
    privacy_accepted: bool
    at_counter: bool
    notice: Message | None
    pin_error: Message | None

    def _end_session(self, *, card_gone: bool = False) -> None: ...
    def _after_notice(self, then: Callable[[], None]) -> None: ...
    def _open_platform_session(self, epoch: int) -> None: ...
    def _session_opened(self, session: ResidentSession) -> None: ...
    def _task_context(self, session: ResidentSession) -> TaskContext: ...
    def _signed_out_context(self) -> TaskContext: ...
    def _start(self, task: Task) -> None: ...
    def _drop_task(self) -> None: ...
    def start_without_card(self, *, sign_in_error: Message | None = None) -> None: ...
    def sign_in_by_ecode(self, code: str) -> None: ...
    def card_for_pin_reset(self) -> CardSnapshot | None: ...
    def _ecode_failed(self, error: KioskError) -> None: ...
    def _resume_after_lifting(self) -> None: ...
    def _resume_at_pin(self) -> None: ...


class SignedOutSteps:
    """SessionFlow's steps before anyone is signed in."""

    # Set here as well as by the flow: their types are the flow's.
    task: Task | None
    notice: Message | None
    pin_error: Message | None

    def _signed_out_context(self: _Session) -> TaskContext:
        """A task's context before anyone is signed in: its session opens nothing."""
        from kiosk.flows.lost_card import SIGNED_OUT

        return self._task_context(SIGNED_OUT)

    def _start(self: _Session, task: Task) -> None:
        self.task = task
        self._go(Step.TASK)

    def _drop_task(self: _Session) -> None:
        if self.task is not None:
            self.task.close()
            self.task = None

    def start_without_card(self: _Session, *, sign_in_error: Message | None = None) -> None:
        """没带卡: from the attract screen, sign in with the e-code or report the card lost."""
        if self.step is not Step.ATTRACT and sign_in_error is None:
            return
        from kiosk.flows.lost_card import LostCardTask

        accepted = self.privacy_accepted  # the same visit, back from a failed e-code
        self._end_session()
        self._epoch += 1
        self._last_activity = self._clock()
        task = LostCardTask(self._signed_out_context(), self.sign_in_by_ecode)
        if sign_in_error is not None:
            task.sign_in_failed(sign_in_error)
        self.privacy_accepted = accepted
        self.task = task
        # The ID number and the holder's masked name come next: the notice first.
        self._after_notice(lambda: self._go(Step.TASK))

    def ecode_scanned(self: _Session, raw: str) -> None:
        """The scanner read a code. On the attract screen it signs in; a task that asks for
        one takes it; anywhere else it is ignored. Never kept, never logged."""
        if self.step is Step.ATTRACT:
            self.sign_in_by_ecode(raw)
        elif (
            self.step is Step.TASK
            and isinstance(self.task, TakesEcode)
            and self.task.ecode_scanned(raw)
        ):
            self._last_activity = self._clock()

    def sign_in_by_ecode(self: _Session, code: str) -> None:
        """The e-code stands for the card (Art. 2): a resident whose card is lost signs in."""
        if self.session is not None or self.card_present:
            return
        if self.step not in (Step.ATTRACT, Step.TASK):
            return
        accepted = self.privacy_accepted  # the notice was read on the way here, if it was
        self._end_session()
        self.privacy_accepted = accepted
        self._epoch += 1
        epoch = self._epoch
        self._go(Step.VERIFYING)
        self._runner.run(
            lambda: self._platform.open_session_by_ecode(code),
            lambda session: self._if_current(epoch, self._session_opened, session),
            lambda error: self._if_current(epoch, self._ecode_failed, error),
        )

    def _ecode_failed(self: _Session, error: KioskError) -> None:
        if isinstance(error, PlatformRejected) and error.code in ("ecode_invalid", "card_unknown"):
            said = msg("notice.ecode_invalid")
        elif isinstance(error, CardNotInService):
            said = msg("notice.card_cancelled")
        else:
            said = msg(error.message_id)
        # Back to where the e-code is asked for, saying why: the resident scans again.
        self.step = Step.ATTRACT
        self.start_without_card(sign_in_error=said)

    def _offer_lifting(self: _Session, error: CardNotInService) -> bool:
        """The chip took the PIN, but the platform has the card as lost: the holder found it.
        Lifting the report is offered right here instead of a dead end."""
        if self.snapshot is None or not allows(error.status, CardAction.LOSS_LIFTING):
            return False
        from kiosk.flows.found_card import LiftWithCardTask

        self._start(
            LiftWithCardTask(
                self._signed_out_context(), CardStatus(error.status), self._resume_after_lifting
            )
        )
        return True

    def _resume_after_lifting(self: _Session) -> None:
        """The card is back in service: open the session the refusal stopped."""
        self._drop_task()
        self._open_platform_session(self._epoch)

    # --- the card in the way: expired, or its PIN blocked (kiosk.flows.card_problems) -------

    def _offer_replacement(self: _Session, error: CardNotInService) -> bool:
        """The chip took the PIN of an expired card: its replacement is all it can ask for."""
        if self.snapshot is None or error.status != CardStatus.EXPIRED.value:
            return False
        from kiosk.flows.card_problems import ExpiredCardTask

        self._start(ExpiredCardTask(self._signed_out_context(), today=self._today))
        return True

    def _pin_blocked(self: _Session) -> None:
        from kiosk.flows.card_problems import PinBlockedTask

        self._start(PinBlockedTask(self._signed_out_context(), at_counter=self.at_counter))

    def card_for_pin_reset(self: _Session) -> CardSnapshot | None:
        """The card in the reader, for a counter's PIN reset: read, and nobody signed in."""
        if self.session is not None or self.snapshot is None or not self.card_present:
            return None
        return self.snapshot

    def start_pin_reset(self: _Session, reported: Callable[[bool], None]) -> bool:
        """At a counter, once staff checked the identity card: the new PIN on this keypad.
        False when the card has gone or someone is signed in."""
        if self.card_for_pin_reset() is None:
            return False
        from kiosk.flows.card_problems import PinResetTask

        self._drop_task()
        self.notice = None
        self.pin_error = None
        self._last_activity = self._clock()
        self._start(PinResetTask(self._signed_out_context(), reported, self._resume_at_pin))
        return True

    def _resume_at_pin(self: _Session) -> None:
        """The chip has the new PIN: sign in with it, as on any card."""
        self._drop_task()
        self._last_activity = self._clock()
        self._go(Step.PIN)
