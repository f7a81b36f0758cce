"""The staff console's flow: sign in, choose a purpose, ask the resident, see what it allows.

One explicit state machine like the resident's SessionFlow: the console draws `step` and the
values beside it. A member of staff sees a resident's data only in RESULT, only for the purpose
the resident allowed, and only what the platform returns for it (Art. 13); every look-up is in the
platform's audit log before it arrives (Art. 18). The sign-in ends after `idle_s` without a key
pressed, and at once when the platform says the staff session has ended. No Qt here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TypeVar

from kiosk.counter.consent import GRANTED, LEFT, REFUSED, ConsentDesk
from kiosk.counter.purposes import PURPOSE_NAMES, PURPOSE_SHOWS, PURPOSES
from kiosk.counter.result import result_panels
from kiosk.domain.errors import KioskError, PlatformRejected
from kiosk.domain.messages import N_, Message, msg
from kiosk.flows.lost_card import check_character
from kiosk.flows.ports import Platform
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from kiosk.domain.staff import ConsentView, LookupResult, PinResetTicket, StaffSession
    from kiosk.flows.ports import Clock, TaskRunner

log = logging.getLogger(__name__)

T = TypeVar("T")

# Signed-in staff who press nothing for this long are signed out (the platform's own limit,
# staff_idle_s, applies as well; the shorter one wins).
STAFF_IDLE_S = 300.0
LOGOUT_DIGIT = "9"
# A blocked PIN reset (Art. 2): not a look-up, so not among the consent purposes.
PIN_RESET_DIGIT = "7"
PIN_RESET = "pin_reset"


class StaffPlatform(Protocol):
    """The platform calls of the console; kiosk.backend.client.PlatformClient fits. Blocking."""

    def staff_login(self, username: str, password: str) -> StaffSession: ...

    def staff_logout(self, staff_token: str) -> None: ...

    def ask_consent(self, staff_token: str, purpose: str) -> ConsentView: ...

    def staff_lookup(self, staff_token: str, consent_id: str) -> LookupResult: ...

    def check_pin_reset(
        self, staff_token: str, card_identifier: str, card_number: str, id_number: str
    ) -> PinResetTicket: ...

    def pin_reset_outcome(self, staff_token: str, reset_id: str, *, written: bool) -> None: ...


class CounterPlatform(Platform, StaffPlatform, ConsentDesk, Protocol):
    """Everything a counter asks of the platform: the resident's session and tasks on the
    customer window, the resident's consent there, and the staff's calls on the console."""


class CustomerSide(Protocol):
    """The customer-facing window, as the console needs it."""

    def resident_present(self) -> bool:
        """A resident is signed in on the customer window."""
        ...

    def ask(self, consent_id: str, answered: Callable[[str], None]) -> None:
        """Puts the request to the resident; `answered` hears granted, refused, left or failed."""
        ...

    def withdraw(self) -> None:
        """Takes a question that is still open off the customer window."""
        ...

    def card_for_pin_reset(self) -> tuple[str, str] | None:
        """The card identifier and number of the card in the customer window's reader, when
        nobody is signed in there; None otherwise."""
        ...

    def start_pin_reset(self, reported: Callable[[bool], None]) -> bool:
        """The resident types the new PIN on the customer window; `reported` hears whether the
        chip took it. False when the card has gone."""
        ...

    def withdraw_pin_reset(self) -> None:
        """Takes the new-PIN screen off the customer window before the chip is written."""
        ...


class CounterStep(StrEnum):
    LOGIN = "login"  # the sign-in form
    SIGNING_IN = "signing_in"
    PURPOSES = "purposes"  # what has the resident come for?
    ASKING = "asking"  # the consent request is on its way to the platform
    AWAITING = "awaiting"  # the resident reads it on the customer window
    LOOKING_UP = "looking_up"
    RESULT = "result"  # what the purpose allows, and nothing else
    NOTICE = "notice"  # refused, resident absent, a failure: said in words
    ID_CHECK = "id_check"  # a PIN reset: staff type the number on the resident's identity card
    CHECKING = "checking"  # the platform compares it with the card holder's
    RESETTING = "resetting"  # the resident types the new PIN on the customer window


class CounterFlow:
    def __init__(
        self,
        platform: StaffPlatform,
        customer: CustomerSide,
        runner: TaskRunner,
        clock: Clock,
        *,
        idle_s: float = STAFF_IDLE_S,
    ) -> None:
        self._platform = platform
        self._customer = customer
        self._runner = runner
        self._clock = clock
        self._idle_s = idle_s
        self._listeners: list[Callable[[CounterFlow], None]] = []
        self._epoch = 0
        self.step = CounterStep.LOGIN
        self.staff: StaffSession | None = None
        self.login_error: Message | None = None
        self._last_activity = clock()
        self._clear_case()

    def _clear_case(self) -> None:
        """Drops everything about the resident being served."""
        self.purpose: str | None = None
        self.consent: ConsentView | None = None
        self.result: LookupResult | None = None
        self.notice: Message | None = None
        self.id_error: Message | None = None
        self.pin_reset: PinResetTicket | None = None

    # --- listeners ----------------------------------------------------------------------

    def add_listener(self, listener: Callable[[CounterFlow], None]) -> None:
        self._listeners.append(listener)

    def _go(self, step: CounterStep) -> None:
        self.step = step
        for listener in list(self._listeners):
            listener(self)

    @property
    def idle_limit_s(self) -> float:
        if self.staff is None:
            return self._idle_s
        return min(self._idle_s, float(self.staff.expires_in_s))

    def seconds_left(self) -> float | None:
        if self.staff is None:
            return None
        return max(0.0, self.idle_limit_s - (self._clock() - self._last_activity))

    # --- the member of staff ------------------------------------------------------------

    def activity(self) -> None:
        self._last_activity = self._clock()

    def sign_in(self, username: str, password: str) -> None:
        if self.step is not CounterStep.LOGIN:
            return
        username = username.strip()
        if not username or not password:
            self.login_error = msg("counter.login.missing")
            self._go(CounterStep.LOGIN)
            return
        self.login_error = None
        self._ask_platform(
            CounterStep.SIGNING_IN,
            lambda: self._platform.staff_login(username, password),
            self._signed_in,
            self._sign_in_failed,
        )

    def choose(self, purpose: str) -> None:
        if self.step is not CounterStep.PURPOSES or self.staff is None or purpose not in PURPOSES:
            return
        self.activity()
        self._clear_case()
        self.purpose = purpose
        if not self._customer.resident_present():
            self._tell(msg("counter.no_resident.heading"))
            return
        token = self.staff.token
        self._ask_platform(
            CounterStep.ASKING,
            lambda: self._platform.ask_consent(token, purpose),
            self._asked,
            self._failed,
        )

    # --- a blocked PIN reset ---------------------------------------------------------------

    def start_pin_reset(self) -> None:
        """The resident's PIN is blocked (or forgotten): staff check the identity card first."""
        if self.step is not CounterStep.PURPOSES or self.staff is None:
            return
        self.activity()
        self._clear_case()
        self.purpose = PIN_RESET
        if self._customer.card_for_pin_reset() is None:
            self._tell(msg("counter.pin_reset.no_card"))
            return
        self._go(CounterStep.ID_CHECK)

    def check_identity(self, typed: str) -> None:
        """The number on the identity card staff hold, typed; compared by the platform with the
        card holder's. Personal data: kept nowhere here, never logged."""
        if self.step is not CounterStep.ID_CHECK or self.staff is None:
            return
        self.activity()
        number = typed.strip().upper()
        first17 = number[:17]
        valid = len(number) == 18 and first17.isdigit() and check_character(first17) == number[17]
        if not valid:
            self.id_error = msg("counter.pin_reset.id_invalid")
            self._go(CounterStep.ID_CHECK)
            return
        card = self._customer.card_for_pin_reset()
        if card is None:
            self._tell(msg("counter.pin_reset.no_card"))
            return
        self.id_error = None
        token = self.staff.token
        self._ask_platform(
            CounterStep.CHECKING,
            lambda: self._platform.check_pin_reset(token, card[0], card[1], number),
            self._identity_checked,
            self._reset_refused,
        )

    def _identity_checked(self, ticket: PinResetTicket) -> None:
        assert self.staff is not None
        self.pin_reset = ticket
        token = self.staff.token

        def reported(written: bool) -> None:
            # Whatever the console shows by now, the audit log hears what the chip did.
            self._ask_platform(
                None,
                lambda: self._platform.pin_reset_outcome(token, ticket.reset_id, written=written),
                lambda _: self._reset_ended(written),
                self._reset_refused,
            )

        if not self._customer.start_pin_reset(reported):
            reported(False)
            self._tell(msg("counter.pin_reset.no_card"))
            return
        self._go(CounterStep.RESETTING)

    def _reset_ended(self, written: bool) -> None:
        self._tell(msg("counter.pin_reset.written" if written else "counter.pin_reset.not_written"))

    def _reset_refused(self, error: KioskError) -> None:
        self._refused(
            error,
            {
                "identity_mismatch": N_("counter.pin_reset.mismatch"),
                "pin_reset_unknown": N_("counter.pin_reset.ended"),
                "card_not_in_service": N_("counter.pin_reset.not_in_service"),
                "card_unknown": N_("notice.card_unknown"),
                "staff_forbidden": N_("counter.login.forbidden"),
            },
        )

    def withdraw(self) -> None:
        """Takes the question off the customer window; nothing is looked up."""
        if self.step not in (CounterStep.ASKING, CounterStep.AWAITING):
            return
        self.activity()
        self._epoch += 1
        self._customer.withdraw()
        self._clear_case()
        self._go(CounterStep.PURPOSES)

    def look_again(self) -> None:
        """The same consent, looked up again (after the resident filed a request, say): a new
        entry in the audit log."""
        if self.step is not CounterStep.RESULT or self.consent is None:
            return
        self.activity()
        self._look_up()

    def other_purpose(self) -> None:
        if self.staff is None or self.step in (CounterStep.LOGIN, CounterStep.SIGNING_IN):
            return
        self.activity()
        if self.step in (CounterStep.ASKING, CounterStep.AWAITING):
            self._customer.withdraw()
        if self.step is CounterStep.RESETTING:
            self._customer.withdraw_pin_reset()
        self._epoch += 1
        self._clear_case()
        self._go(CounterStep.PURPOSES)

    def back(self) -> None:
        if self.step in (CounterStep.ASKING, CounterStep.AWAITING):
            self.withdraw()
        elif self.step in (
            CounterStep.RESULT,
            CounterStep.NOTICE,
            CounterStep.ID_CHECK,
            CounterStep.RESETTING,
        ):
            self.other_purpose()

    def sign_out(self, reason: Message | None = None) -> None:
        staff = self.staff
        if staff is None:
            return
        if self.step in (CounterStep.ASKING, CounterStep.AWAITING):
            self._customer.withdraw()
        if self.step is CounterStep.RESETTING:
            self._customer.withdraw_pin_reset()
        self._epoch += 1
        self.staff = None
        self._clear_case()
        self.login_error = reason
        token = staff.token
        self._runner.run(
            lambda: self._platform.staff_logout(token),
            lambda _: None,
            lambda error: log.info("staff sign-out failed: %s", type(error).__name__),
        )
        self._go(CounterStep.LOGIN)

    def tick(self) -> None:
        """About once a second: ends a sign-in left idle (a console must not stay open)."""
        left = self.seconds_left()
        if left is not None and left <= 0:
            log.info("staff signed out for inactivity")
            self.sign_out(msg("counter.ended.idle"))

    # --- answers --------------------------------------------------------------------------

    def _ask_platform(
        self,
        step: CounterStep | None,
        call: Callable[[], T],
        answered: Callable[[T], None],
        failed: Callable[[KioskError], None],
    ) -> None:
        """Shows `step` (None: stays where it is) while the platform answers `call`. An answer
        that comes after staff moved on (a question withdrawn, a sign-out) is dropped: it
        belongs to a case no longer on the console."""
        epoch = self._epoch
        if step is not None:
            self._go(step)
        self._runner.run(
            call,
            lambda value: self._current(epoch, answered, value),
            lambda error: self._current(epoch, failed, error),
        )

    def _current(self, epoch: int, handler: Callable[[T], None], value: T) -> None:
        if epoch == self._epoch:
            handler(value)

    def _signed_in(self, staff: StaffSession) -> None:
        self.staff = staff
        self.activity()
        self._go(CounterStep.PURPOSES)

    def _sign_in_failed(self, error: KioskError) -> None:
        code = error.code if isinstance(error, PlatformRejected) else ""
        if code == "staff_locked":
            self.login_error = msg("counter.login.locked")
        elif code == "staff_unauthenticated":
            self.login_error = msg("counter.login.wrong")
        elif code == "staff_forbidden":
            self.login_error = msg("counter.login.forbidden")
        else:
            self.login_error = msg(error.message_id)
        self._go(CounterStep.LOGIN)

    def _asked(self, consent: ConsentView) -> None:
        self.consent = consent
        epoch = self._epoch
        self._go(CounterStep.AWAITING)
        self._customer.ask(
            consent.id, lambda outcome: self._current(epoch, self._answered, outcome)
        )

    def _answered(self, outcome: str) -> None:
        if self.step is not CounterStep.AWAITING:
            return
        if outcome == GRANTED:
            self._look_up()
            return
        self.consent = None
        self._tell(
            msg(
                {
                    REFUSED: N_("counter.refused.heading"),
                    LEFT: N_("counter.left.heading"),
                }.get(outcome, N_("counter.not_asked.heading"))
            )
        )

    def _look_up(self) -> None:
        assert self.staff is not None and self.consent is not None
        token, consent_id = self.staff.token, self.consent.id
        self._ask_platform(
            CounterStep.LOOKING_UP,
            lambda: self._platform.staff_lookup(token, consent_id),
            self._looked_up,
            self._failed,
        )

    def _looked_up(self, result: LookupResult) -> None:
        self.result = result
        self._go(CounterStep.RESULT)

    def _failed(self, error: KioskError) -> None:
        self.result = None
        self._refused(
            error,
            {
                "consent_not_granted": N_("counter.consent_ended.heading"),
                "staff_forbidden": N_("counter.login.forbidden"),
            },
        )

    def _refused(self, error: KioskError, said: Mapping[str, str]) -> None:
        """A failed call said on the console, in the words `said` gives the platform's refusal
        code (any other is said by its own message); a staff session the platform has ended
        signs the console out instead."""
        code = error.code if isinstance(error, PlatformRejected) else ""
        if code == "staff_unauthenticated":
            self.sign_out(msg("counter.ended.expired"))
            return
        self._tell(msg(said.get(code, error.message_id)))

    def _tell(self, notice: Message) -> None:
        self.notice = notice
        self._go(CounterStep.NOTICE)

    # --- what the console shows -----------------------------------------------------------

    def view(self, language: str = "zh_CN") -> Content:
        step = self.step
        if step in (CounterStep.LOGIN, CounterStep.SIGNING_IN):
            hint = self.login_error or msg("counter.login.hint")
            if step is CounterStep.SIGNING_IN:
                hint = msg("counter.login.busy")
            return Content(msg("counter.login.heading"), hint)
        sign_out = Choice(LOGOUT_DIGIT, msg("counter.logout"), None, self.sign_out)
        if step is CounterStep.PURPOSES:
            assert self.staff is not None
            return Content(
                msg("counter.purposes.heading"),
                msg("counter.purposes.hint", name=self.staff.name),
                choices=[
                    *(
                        Choice(
                            str(number),
                            msg(PURPOSE_NAMES[purpose]),
                            msg(PURPOSE_SHOWS[purpose]),
                            lambda purpose=purpose: self.choose(purpose),  # type: ignore[misc]
                        )
                        for number, purpose in enumerate(PURPOSES, start=1)
                    ),
                    Choice(
                        PIN_RESET_DIGIT,
                        msg("counter.pin_reset.name"),
                        msg("counter.pin_reset.name.ex"),
                        self.start_pin_reset,
                    ),
                    sign_out,
                ],
                columns=2,
            )
        another = Choice("2", msg("counter.back_to_purposes"), None, self.other_purpose)
        if step in (CounterStep.ID_CHECK, CounterStep.CHECKING):
            hint = self.id_error or msg("counter.pin_reset.id_hint")
            if step is CounterStep.CHECKING:
                hint = msg("counter.pin_reset.checking")
            return Content(msg("counter.pin_reset.name"), hint)
        if step is CounterStep.RESETTING:
            ticket = self.pin_reset
            lines = (
                (
                    msg("counter.result.name", name=ticket.holder_name_masked),
                    msg("card_status.number", number=ticket.card_number_masked),
                )
                if ticket is not None
                else ()
            )
            return Content(
                msg("counter.pin_reset.name"),
                msg("counter.pin_reset.typing"),
                choices=[Choice("1", msg("counter.pin_reset.withdraw"), None, self.other_purpose)],
                panels=[Panel(msg("counter.pin_reset.identity_checked"), lines)],
            )
        purpose = (
            msg(PURPOSE_NAMES[self.purpose])
            if self.purpose and self.purpose in PURPOSE_NAMES
            else None
        )
        if step in (CounterStep.ASKING, CounterStep.AWAITING):
            return Content(
                msg("counter.waiting.heading"),
                msg("counter.waiting.hint"),
                choices=[Choice("1", msg("counter.waiting.withdraw"), None, self.withdraw)],
                panels=[Panel(msg("counter.waiting.purpose"), (purpose,))] if purpose else [],
            )
        if step is CounterStep.LOOKING_UP:
            return Content(msg("counter.busy.heading"), purpose)
        if step is CounterStep.NOTICE:
            absent = self.notice is not None and self.notice.id == "counter.no_resident.heading"
            return Content(
                self.notice or msg("error.generic"),
                msg("counter.no_resident.hint") if absent else None,
                choices=[another, sign_out],
            )
        result = self.result
        assert result is not None
        return Content(
            msg(PURPOSE_NAMES.get(result.purpose, "counter.busy.heading")),
            msg("counter.result.hint", audit_id=result.audit_id),
            choices=[
                Choice("1", msg("counter.result.refresh"), None, self.look_again),
                another,
                sign_out,
            ],
            panels=result_panels(result, language),
        )
