"""The resident's session: card in, PIN, platform session, home, catalog, card out.

One explicit state machine (as the Belgian eID viewer drives its card backend): the UI renders
`step` and the values beside it and nothing else, so what a screen offers follows from the state
alone. Every asynchronous answer carries the "epoch" it was asked in; a card pulled or a session
ended in between makes the answer stale and it is dropped, so no data outlives its session.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.card_status import CardStatus
from kiosk.domain.errors import (
    CardError,
    CardNotInService,
    KioskError,
    PinBlocked,
    PlatformError,
    PlatformRejected,
    WrongPin,
)
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.privacy import mask_name
from kiosk.flows.idle_loop import IDLE_AFTER_S as IDLE_AFTER_S
from kiosk.flows.idle_loop import SLIDE_S as SLIDE_S
from kiosk.flows.idle_loop import IdleLoop
from kiosk.flows.session_views import session_view
from kiosk.flows.signed_out import SignedOutSteps
from kiosk.flows.steps import Step as Step
from kiosk.flows.view import Pager

if TYPE_CHECKING:  # annotations only: the attract screen shows before these load
    from kiosk.domain.card import CardSnapshot
    from kiosk.domain.catalog import Catalog, CatalogCategory
    from kiosk.domain.session import ResidentSession
    from kiosk.flows.ports import A4Printer, CardPort, Clock, Outbox, Platform, Printer, TaskRunner
    from kiosk.flows.tasks import Task, TaskContext, TaskFactory
    from kiosk.flows.view import Content, Face

log = logging.getLogger(__name__)

PIN_MIN_DIGITS = 6
PIN_MAX_DIGITS = 6
# Below this many tries the PIN screen says (and speaks) how many are left.
LOW_TRIES = 2
# How long "staff are on their way" stays on screen after a call for staff.
STAFF_CALL_SHOWN_S = 180.0


# Steps during which a resident's data may be on screen: the inactivity timer runs here.
_SESSION_STEPS = frozenset(
    {Step.PIN, Step.VERIFYING, Step.HOME, Step.CATALOG, Step.CATEGORY, Step.TASK, Step.PRIVACY}
)
_CARD_STATUS_MESSAGES = {
    CardStatus.TEMPORARILY_LOST: N_("notice.card_temporarily_lost"),
    CardStatus.LOST: N_("notice.card_lost"),
    CardStatus.CANCELLED: N_("notice.card_cancelled"),
    CardStatus.EXPIRED: N_("notice.card_expired"),
}


class SessionFlow(IdleLoop, SignedOutSteps):
    """The thin path from card to services, and everything that can go wrong on it."""

    def __init__(
        self,
        card: CardPort,
        platform: Platform,
        runner: TaskRunner,
        clock: Clock,
        *,
        timeout_s: float = 120.0,
        warning_s: float = 30.0,
        today: Callable[[], dt.date] = hall_time.today,
        printer: Printer | None = None,
        outbox: Outbox | None = None,
        privacy_notice: bool = False,
    ) -> None:
        self._card = card
        self._platform = platform
        self._runner = runner
        self._clock = clock
        self._today = today
        self.printer = printer
        self.outbox = outbox
        # Art. 13: the privacy notice before a session's first personal data. The kiosk
        # (kiosk.assembly, a counter too) turns it on; a flow built for a test of something
        # else may leave it off.
        self._privacy_notice = privacy_notice
        self._base_timeout_s = timeout_s
        self._base_warning_s = warning_s
        self.timeout_scale = 1.0
        # The screen's language, which tasks read to format amounts and dates (Babel).
        self.language = "zh_CN"
        self._listeners: list[Callable[[SessionFlow], None]] = []
        self._epoch = 0
        self.reader_available: bool | None = None
        # Requirement 21: the call for staff, on every screen; not personal, so not reset with
        # the session. None, "sending", "called" or "failed".
        self.staff_call: str | None = None
        self._staff_called_at = 0.0
        # The idle loop (Art. 15): public, so not reset with the session.
        self.showcase: Catalog | None = None
        self.showcase_on = False
        self.slide = 0
        self._showcase_fetched = float("-inf")
        self._slide_since = 0.0
        # A service counter's customer window: a blocked PIN is reset here, not sent elsewhere.
        self.at_counter = False
        # The hall's A4 printer (kiosk.flows.ports.A4Printer), set by the application.
        self.a4printer: A4Printer | None = None
        # The page of the session's own long lists (the first screen in large print, home,
        # the catalog), turned by keypad 0 as a task's; each new step starts on its first page.
        self.pager = Pager(self.activity)
        self._reset_session_values()
        self.step = Step.ATTRACT

    # --- what the screens show -----------------------------------------------------------

    def _reset_session_values(self) -> None:
        self.snapshot: CardSnapshot | None = None
        self.session: ResidentSession | None = None
        self.catalog: Catalog | None = None
        self.category: CatalogCategory | None = None
        self.notice: Message | None = None
        self.task: Task | None = None
        self.can_retry = False
        self.pin_error: Message | None = None
        self.busy = False
        self.card_present = False
        self.privacy_accepted = False
        self._after_privacy: Callable[[], None] | None = None
        self._last_activity = self._clock()

    def view(self, face: Face) -> Content:
        """What the current step shows and offers (kiosk.flows.session_views)."""
        return session_view(self, face)

    def screen_key(self) -> tuple[object, ...]:
        """Changes whenever what the current step shows may have changed: a face redraws then."""
        return (
            self.step,
            self.pager.page,
            self.category.number if self.category else None,
            self.notice,
            self.pin_error,
            self.busy,
            self.reader_available,
            self.can_retry,
            self.card_present,
            self.task.screen_key() if self.task is not None else None,
            (self.showcase_on, self.slide, id(self.showcase)),
        )

    @property
    def at_rest(self) -> bool:
        """Nobody is being served: the first screen (with its idle loop) is up."""
        return self.step is Step.ATTRACT

    @property
    def card_to_take(self) -> bool:
        """The session is over though the card is still in (finished, timed out)."""
        return self.step is Step.TAKE_CARD

    @property
    def offers_back(self) -> bool:
        return self.step in (Step.CATALOG, Step.CATEGORY, Step.TASK) or (
            self.step is Step.NOTICE and self.session is not None
        )

    @property
    def offers_home(self) -> bool:
        return self.session is not None and self.step not in (Step.HOME, Step.PRIVACY)

    @property
    def greeting_name(self) -> str:
        """The masked name for the greeting (王**): ui.md, masked unless asked for."""
        name = ""
        if self.snapshot is not None and self.snapshot.holder is not None:
            name = self.snapshot.holder.name
        elif self.session is not None:
            name = self.session.name
        return mask_name(name)

    @property
    def financial_account_active(self) -> bool:
        return self.session is not None and self.session.financial_account_active

    @property
    def timeout_s(self) -> float:
        return self._base_timeout_s * self.timeout_scale

    @property
    def warning_s(self) -> float:
        return self._base_warning_s * self.timeout_scale

    def seconds_left(self) -> float | None:
        """Time before the session ends for inactivity; None when no timer runs."""
        if self.step not in _SESSION_STEPS:
            return None
        return max(0.0, self.timeout_s - (self._clock() - self._last_activity))

    @property
    def warning_shown(self) -> bool:
        left = self.seconds_left()
        return left is not None and left <= self.warning_s

    # --- listeners -----------------------------------------------------------------------

    def add_listener(self, listener: Callable[[SessionFlow], None]) -> None:
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)

    def _go(self, step: Step) -> None:
        if step is not self.step:
            self.pager.reset()
        self.step = step
        if step is not Step.ATTRACT:
            self.showcase_on = False
        self._changed()

    # --- events from the card reader -----------------------------------------------------

    def reader_changed(self, available: bool, name: str | None) -> None:
        self.reader_available = available
        self._changed()

    def card_inserted(self) -> None:
        self._end_session(card_gone=True)
        self.card_present = True
        self._epoch += 1
        epoch = self._epoch
        self._go(Step.READING)
        self._card.read(
            lambda snapshot: self._if_current(epoch, self._card_read, snapshot),
            lambda error: self._if_current(epoch, self._card_failed, error),
        )

    def card_removed(self) -> None:
        # Accessibility requirement 17 and Art. 12: the card leaving ends everything.
        self._end_session(card_gone=True)
        self._epoch += 1
        self.showcase_on = False  # someone was just there: "insert your card" first
        self._go(Step.ATTRACT)

    # --- events from the resident --------------------------------------------------------

    def activity(self) -> None:
        """Any key or touch: the resident is still there."""
        self._last_activity = self._clock()
        self.showcase_on = False
        self._changed()

    def pressed(self) -> None:
        """A press on the first screen: someone is there, so the idle loop waits. Nothing on
        screen changes for it."""
        self._last_activity = self._clock()

    def submit_pin(self, pin: bytearray) -> None:
        """Takes the PIN bytes (ASCII digits); the card layer wipes them after use."""
        if self.step is not Step.PIN:
            pin[:] = bytes(len(pin))
            return
        if not (PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS) or not pin.isdigit():
            pin[:] = bytes(len(pin))
            self.pin_error = msg("pin.error.length", digits=PIN_MIN_DIGITS)
            self.activity()
            return
        self.pin_error = None
        self._last_activity = self._clock()
        epoch = self._epoch
        self._go(Step.VERIFYING)
        self._card.verify_pin(
            pin,
            lambda _: self._if_current(epoch, self._pin_verified, None),
            lambda error: self._if_current(epoch, self._pin_failed, error),
        )

    def accept_privacy(self) -> None:
        """One press on the privacy notice: it is not shown again in this session."""
        if self.step is not Step.PRIVACY:
            return
        self.privacy_accepted = True
        self._last_activity = self._clock()
        then, self._after_privacy = self._after_privacy, None
        if then is not None:
            then()

    def decline_privacy(self) -> None:
        """The resident does not go on: nothing more is read or shown, the card comes back."""
        if self.step is Step.PRIVACY:
            self.logout()

    def _after_notice(self, then: Callable[[], None]) -> None:
        """Art. 13: before the session's first personal data, the notice of what is read, for
        what and how long it is kept; `then` once it is accepted (at once if it was)."""
        if not self._privacy_notice or self.privacy_accepted:
            then()
            return
        self._after_privacy = then
        self._last_activity = self._clock()
        self._go(Step.PRIVACY)

    def start_task(self, factory: TaskFactory) -> None:
        """Starts a resident task from the home screen; it ends with the session."""
        if self.step is not Step.HOME or self.session is None:
            return
        self._last_activity = self._clock()
        self.task = factory(self._task_context(self.session))
        self._go(Step.TASK)

    def _finish_task(self) -> None:
        self._drop_task()
        if self.session is not None:
            self._go(Step.HOME)
        elif self.step is Step.TASK:  # a task run before sign-in (kiosk.flows.lost_card)
            self._go(Step.TAKE_CARD if self.card_present else Step.ATTRACT)

    def call_staff(self) -> None:
        """呼叫工作人员: tells the staff side which kiosk and screen; says whether it got there."""
        if self.staff_call == "sending":
            return
        self.staff_call = "sending"
        self._staff_called_at = self._clock()
        screen = self.step.value
        self._changed()
        self._runner.run(
            lambda: self._platform.request_assistance(screen),
            lambda _: self._staff_call_ended("called"),
            lambda _error: self._staff_call_ended("failed"),
        )

    def _staff_call_ended(self, outcome: str) -> None:
        self.staff_call = outcome
        self._staff_called_at = self._clock()
        self._changed()

    def open_catalog(self) -> None:
        if self.step not in (Step.HOME, Step.CATEGORY, Step.CATALOG):
            return
        self._last_activity = self._clock()
        if self.catalog is not None:
            self.category = None
            self._go(Step.CATALOG)
            return
        self._fetch_catalog(self._catalog_loaded, self._platform_failed)

    def _fetch_catalog(
        self, loaded: Callable[[Catalog], None], failed: Callable[[KioskError], None]
    ) -> None:
        """Asks the platform for the catalog, "loading" said meanwhile; a late answer, after
        the card or the session has gone, is dropped."""
        self.busy = True
        epoch = self._epoch
        self._changed()
        self._runner.run(
            self._platform.catalog,
            lambda catalog: self._if_current(epoch, loaded, catalog),
            lambda error: self._if_current(epoch, failed, error),
        )

    def choose_category(self, number: int) -> None:
        if self.step is not Step.CATALOG or self.catalog is None:
            return
        try:
            self.category = self.catalog.category(number)
        except KeyError:
            return
        self._last_activity = self._clock()
        self._go(Step.CATEGORY)

    def back(self) -> None:
        self._last_activity = self._clock()
        if self.step is Step.TASK and self.task is not None:
            if not self.task.back():
                self._finish_task()
            else:
                self._changed()
        elif self.step is Step.CATEGORY:
            self.category = None
            self._go(Step.CATALOG)
        elif self.step is Step.CATALOG:
            self._go(Step.HOME if self.session is not None else Step.ATTRACT)
        elif self.step is Step.NOTICE and self.session is None and not self.card_present:
            self.notice = None
            self._go(Step.ATTRACT)
        elif self.step is Step.NOTICE and self.session is not None:
            self.notice = None
            self._go(Step.HOME)

    def home(self) -> None:
        if self.step is Step.PRIVACY:
            return  # home is past the notice: it is accepted or declined, not skipped
        if self.session is None:
            if self.step is Step.TASK:
                self._finish_task()
            elif not self.card_present and self.step in (Step.CATALOG, Step.CATEGORY, Step.NOTICE):
                # Browsing without a card: its "home" is the first screen.
                self.category = None
                self.notice = None
                self._go(Step.ATTRACT)
            return
        self._last_activity = self._clock()
        self.category = None
        self.notice = None
        self.busy = False
        self._drop_task()
        self._go(Step.HOME)

    def retry(self) -> None:
        """Offered after a platform failure that a second try may cure."""
        if self.step is not Step.NOTICE or not self.can_retry:
            return
        self.notice = None
        self.can_retry = False
        if self.session is None and self.snapshot is not None:
            self._open_platform_session(self._epoch)
        else:
            self._go(Step.HOME)

    def logout(self) -> None:
        self._end_session()
        self._go(Step.TAKE_CARD if self.card_present else Step.ATTRACT)

    def tick(self) -> None:
        """Called about once a second: ends an idle session (requirement 16 warns first)."""
        if self.staff_call in ("called", "failed") and (
            self._clock() - self._staff_called_at > STAFF_CALL_SHOWN_S
        ):
            self.staff_call = None
            self._changed()
        left = self.seconds_left()
        if left is None:
            if self.step is Step.ATTRACT and not self.card_present:
                self._idle()
            return
        if left <= 0:
            log.info("session ended for inactivity")
            self._end_session()
            self.notice = msg("notice.timed_out")
            self._go(Step.TAKE_CARD if self.card_present else Step.ATTRACT)
        else:
            self._changed()

    # --- answers -------------------------------------------------------------------------

    def _if_current(self, epoch: int, handler: Callable[..., None], value: object) -> None:
        if epoch == self._epoch:
            handler(value)

    def _card_read(self, snapshot: CardSnapshot) -> None:
        # An expired card still proves its holder with the PIN: after it, the platform's refusal
        # leads to the replacement (kiosk.flows.card_problems), not to a dead end.
        self.snapshot = snapshot
        self._last_activity = self._clock()
        self._after_notice(lambda: self._go(Step.PIN))

    def _card_failed(self, error: CardError) -> None:
        self._notice(error.message_id)

    def _pin_verified(self, _: None) -> None:
        self._open_platform_session(self._epoch)

    def _pin_failed(self, error: CardError) -> None:
        if isinstance(error, WrongPin):
            self.pin_error = (
                msg("pin.error.wrong_low", tries=error.tries_left)
                if error.tries_left <= LOW_TRIES
                else msg("pin.error.wrong", tries=error.tries_left)
            )
            self._go(Step.PIN)
        elif isinstance(error, PinBlocked):
            self._pin_blocked()
        else:
            self._notice(error.message_id)

    def _open_platform_session(self, epoch: int) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        self._go(Step.VERIFYING)
        self._runner.run(
            lambda: self._platform.open_session_by_card(
                snapshot.card.identifier, snapshot.card.number
            ),
            lambda session: self._if_current(epoch, self._session_opened, session),
            lambda error: self._if_current(epoch, self._session_failed, error),
        )

    def _session_opened(self, session: ResidentSession) -> None:
        self.session = session
        self._last_activity = self._clock()
        if self.outbox is not None:
            # What the resident files must still go out if the network drops before they leave.
            self.outbox.reserve(session.token)
        self._after_notice(lambda: self._go(Step.HOME))  # signed in by e-code: not yet seen

    def _session_failed(self, error: KioskError) -> None:
        if isinstance(error, CardNotInService) and self._offer_lifting(error):
            return
        if isinstance(error, CardNotInService) and self._offer_replacement(error):
            return
        if isinstance(error, CardNotInService):
            key = _CARD_STATUS_MESSAGES.get(
                CardStatus(error.status), N_("error.card.not_in_service")
            )
            self._notice(key)
        elif isinstance(error, PlatformRejected) and error.code == "card_unknown":
            # Trying again cannot help: the platform has no record of this card.
            self._notice(error.message_id)
        else:
            self._notice(error.message_id, can_retry=isinstance(error, PlatformError))

    def _catalog_loaded(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.busy = False
        self._go(Step.CATALOG)

    def _platform_failed(self, error: KioskError) -> None:
        self.busy = False
        self._notice(error.message_id, can_retry=True)

    def _notice(self, message_id: str, *, can_retry: bool = False) -> None:
        self.notice = msg(message_id)
        self.can_retry = can_retry
        self.busy = False
        self._go(Step.NOTICE)

    def _end_session(self, *, card_gone: bool = False) -> None:
        """Drops every personal value; closes the platform session in the background."""
        if self.task is not None:
            self.task.close()
        session = self.session
        if session is not None:
            self._runner.run(
                lambda: self._platform.close_session(session.token),
                lambda _: None,
                lambda error: log.info("closing the session failed: %s", type(error).__name__),
            )
        present = self.card_present
        reader = self.reader_available
        self._reset_session_values()
        self.card_present = present and not card_gone
        self.reader_available = reader

    def _task_context(self, session: ResidentSession) -> TaskContext:
        """What a task started now may use; its callbacks lapse when this session ends."""
        from kiosk.flows.tasks import TaskContext  # the first task, not the first frame, needs it

        epoch = self._epoch
        return TaskContext(
            session=session,
            snapshot=self.snapshot,
            platform=self._platform,
            runner=self._runner,
            card=self._card,
            clock=self._clock,
            changed=lambda: self._if_current(epoch, lambda _: self._changed(), None),
            finish=lambda: self._if_current(epoch, lambda _: self._finish_task(), None),
            language=lambda: self.language,
            printer=self.printer,
            outbox=self.outbox,
            a4printer=self.a4printer,
            at_counter=self.at_counter,
        )
