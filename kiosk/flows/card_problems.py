"""When the card itself stands in the way: an expired card, a blocked PIN (Art. 2).

An expired card still proves its holder: the chip checks the PIN as before, and the platform,
which refuses it services, accepts a request to replace it. So after the PIN the kiosk offers
the replacement, with a summary to confirm and a slip, and nothing that needs a valid card.

A blocked PIN (three wrong tries) cannot be helped at a kiosk: only a service counter can put a
new PIN on the chip, after staff have checked the holder's identity card. The kiosk says so and
prints what to bring. At a counter the same screen says the member of staff will help; once they
have checked the identity card, PinResetTask takes the new PIN on the customer window's keypad
and the chip takes it through the counter's secure access module (RELOAD PIN). No PIN is shown,
spoken, kept or sent to the platform. No Qt here.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.errors import KioskError
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.receipt import (
    PinBlockedContent,
    PinContent,
    Receipt,
    pin_blocked_receipt,
    pin_reset_receipt,
)
from kiosk.flows.card_words import (
    HALL_LABELS,
    PICKUP_HALLS,
    PICKUP_LINES,
    choices_for,
    pin_summary,
    summary_view,
)
from kiosk.flows.found_card import CardInHandRequest, InHand, card_masked, holder_name
from kiosk.flows.machine import Screens
from kiosk.flows.task_kit import (
    PinEntry,
    Slip,
    day,
    kiosk_id,
    numbered,
    platform_url,
    printout_choices,
    wipe,
)
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.flows.tasks import TaskContext

PIN_DIGITS = 6


def _now() -> dt.datetime:
    # The hall's time, whatever zone the operating system keeps: the slip's date is the hall's.
    return hall_time.now()


# --- an expired card: the replacement and nothing else -------------------------------------


class ExpiredCardTask(CardInHandRequest):
    """换领: the chip took the PIN, the platform has the card as expired. Filed in a session that
    acts on the card's life only, which the platform opens for an expired card after the PIN:
    nothing else that needs a valid card is reachable through it (Art. 2)."""

    request = "replacement"
    # Heard and refused: a new card is already on its way for this one.
    refusal = N_("card_problems.expired.refused")

    def __init__(
        self,
        context: TaskContext,
        *,
        today: Callable[[], dt.date] = hall_time.today,
        now: Callable[[], dt.datetime] = _now,
    ) -> None:
        super().__init__(context, InHand.OFFER, now)
        self._today = today
        self._pickup = ""

    def screen_key(self) -> tuple[object, ...]:
        return (*super().screen_key(), self._pickup)

    # --- actions ---------------------------------------------------------------------------

    def ask(self) -> None:
        self._error = None
        self._screens.go(InHand.PICKUP)

    def choose_pickup(self, hall: str) -> None:
        self._pickup = hall
        self._screens.go(InHand.CONFIRM)

    def cancel(self) -> None:
        """Nothing was sent (requirement 19)."""
        self._pickup = ""
        self._screens.start(InHand.OFFER)

    def _body(self) -> dict[str, object]:
        return {"reason": "expired", "pickup": self._pickup}

    def _slip_details(self) -> tuple[str, str]:
        return PICKUP_HALLS[self._pickup][1], "expired"

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        heading = msg("card_life.kind.replacement")
        screen = self._screens.current
        if screen is InHand.OFFER:
            return self._offer()
        if screen is InHand.PICKUP:
            choices = choices_for(HALL_LABELS, self.choose_pickup)
            return Content(heading, msg("card_life.hint.pickup"), choices, columns=1)
        if screen is InHand.CONFIRM:
            lines = (
                msg("card_status.number", number=card_masked(self._context)),
                msg("card_life.reason.expired"),
                msg(PICKUP_LINES[self._pickup]),
            )
            return summary_view(
                Panel(heading, lines),
                "card_life.effect.replacement",
                self._error or msg("card_life.hint.confirm"),
                ("card_life.confirm", self.confirm),
                ("card_life.cancel", self.cancel),
            )
        if screen is InHand.SENDING:
            return Content(heading, msg("complaints.sending"))
        return self._sent(heading)

    def _offer(self) -> Content:
        snapshot = self._context.snapshot
        expires = snapshot.card.expires if snapshot is not None else None
        said: list[Message] = [msg("card_status.number", number=card_masked(self._context))]
        if expires is not None:
            said.append(
                msg("card_problems.expired.on", date=day(expires, self._context.language()))
            )
        choices = numbered(
            [
                ("card_problems.expired.ask", "card_problems.expired.ask.ex", self.ask),
                ("card_problems.expired.not_now", None, self._context.finish),
            ]
        )
        return Content(
            msg("card_problems.expired.heading"),
            self._error or msg("card_problems.expired.hint"),
            choices,
            panels=[Panel(msg("card_status.status.expired"), tuple(said))],
        )


# --- a blocked PIN: what to do, and at a counter the new PIN ---------------------------------

# What the resident brings to a counter, in order; the slip prints the same (in Chinese).
TO_BRING = (
    N_("card_problems.blocked.bring.card"),
    N_("card_problems.blocked.bring.id_card"),
    N_("card_problems.blocked.bring.proxy"),
)


class Blocked(StrEnum):
    BLOCKED = "blocked"
    SLIP = "blocked_slip"


class PinBlockedTask:
    """The chip says the PIN is blocked. At a kiosk: why, where to go, what to bring, on a
    slip. At a counter: the member of staff will check the identity card, and then the new PIN
    is typed here (the counter starts PinResetTask)."""

    def __init__(
        self, context: TaskContext, *, at_counter: bool, now: Callable[[], dt.datetime] = _now
    ) -> None:
        self._context = context
        self._at_counter = at_counter
        self._now = now
        self._screens = Screens(Blocked.BLOCKED, context.changed)
        self._slip: Slip | None = None

    def screen_key(self) -> tuple[object, ...]:
        slip = self._slip.key if self._slip else None
        return (self._screens.current, slip)

    def back(self) -> bool:
        return self._screens.back()

    def close(self) -> None:
        self._slip = None

    def print_list(self) -> None:
        receipt = pin_blocked_receipt(
            PinBlockedContent(
                card_number_masked=card_masked(self._context),
                printed=self._now(),
                kiosk_id=kiosk_id(self._context),
                halls=tuple(name for _, name in PICKUP_HALLS.values()),
                halls_url=f"{platform_url(self._context)}/v1/catalog",
            )
        )
        self._slip = Slip(self._context, receipt)
        self._screens.go(Blocked.SLIP)

    def view(self) -> Content:
        heading = msg("card_problems.blocked.heading")
        bring = Panel(msg("card_problems.blocked.bring"), tuple(msg(line) for line in TO_BRING))
        if self._at_counter:
            return Content(
                heading,
                msg("card_problems.blocked.counter_hint"),
                [Choice("1", msg("card_problems.finish"), None, self._context.finish)],
                panels=[bring],
            )
        if self._screens.current is Blocked.BLOCKED:
            choices = numbered(
                [
                    (
                        "card_problems.blocked.print",
                        "card_problems.blocked.print.ex",
                        self.print_list,
                    ),
                    ("card_problems.finish", None, self._context.finish),
                ]
            )
            return Content(
                heading, msg("card_problems.blocked.hint"), choices, panels=[bring], columns=1
            )
        slip = self._slip
        assert slip is not None
        choices = printout_choices(slip, self._context, msg("card_problems.finish"))
        if slip.on_screen:
            # The list stays on the screen, with why the paper did not come above it: one
            # panel, so that it fits the largest print.
            said = (slip.error,) if slip.error is not None else ()
            shown = [Panel(bring.title, (*said, *bring.lines))]
        else:
            shown = slip.panels(msg("card_problems.blocked.slip"))
        return Content(heading, msg("card_problems.blocked.hint"), choices, panels=shown)


class Reset(StrEnum):
    NEW = "new"
    AGAIN = "again"
    CONFIRM = "confirm"
    WRITING = "writing"
    WRITTEN = "written"
    NOT_WRITTEN = "not_written"


class PinResetTask:
    """At a counter, after staff checked the identity card: the resident types a new PIN twice
    on the customer window's keypad, confirms, and the chip takes it through the counter's
    secure access module. `reported` hears whether the chip took it (for the audit log);
    `resume` goes on to sign in with the new PIN."""

    def __init__(
        self,
        context: TaskContext,
        reported: Callable[[bool], None],
        resume: Callable[[], None],
        *,
        now: Callable[[], dt.datetime] = _now,
    ) -> None:
        self._context = context
        self._reported = reported
        self._resume = resume
        self._now = now
        self._screens = Screens(Reset.NEW, context.changed)
        self._new: bytearray | None = None
        self._error: Message | None = None
        self._slip: Slip | None = None
        self._done = False

    def screen_key(self) -> tuple[object, ...]:
        slip = self._slip.key if self._slip else None
        return (self._screens.current, self._error, slip)

    def back(self) -> bool:
        if self._screens.current is Reset.WRITING:
            return True  # the chip is being written: stay for its answer
        if not self._screens.back():
            return False
        self._forget()  # back at the first PIN pad
        return True

    def close(self) -> None:
        self._forget()
        self._slip = None
        self._report(False)

    def withdraw(self) -> None:
        """Staff took the reset back before the chip was written."""
        if self._screens.current in (Reset.NEW, Reset.AGAIN, Reset.CONFIRM):
            self._forget()
            self._report(False)
            self._context.finish()

    def _forget(self) -> None:
        wipe(self._new)
        self._new = None

    def _report(self, written: bool) -> None:
        if not self._done:
            self._done = True
            self._reported(written)

    # --- actions ---------------------------------------------------------------------------

    def pin_entered(self, pin: bytearray) -> None:
        screen = self._screens.current
        if len(pin) != PIN_DIGITS or not pin.isdigit():
            wipe(pin)
            self._error = msg("card_life.pin.error.length", digits=PIN_DIGITS)
        elif screen is Reset.NEW:
            if len(set(bytes(pin))) == 1:
                # One digit six times is the first guess anyone tries.
                wipe(pin)
                self._error = msg("card_problems.reset.error.simple")
            else:
                self._new, self._error = pin, None
                self._screens.go(Reset.AGAIN)
                return
        elif screen is Reset.AGAIN:
            same = self._new is not None and pin == self._new
            wipe(pin)
            if same:
                self._error = None
                self._screens.go(Reset.CONFIRM, back_to=Reset.NEW)
                return
            self._forget()
            self._error = msg("card_life.pin.error.mismatch")
            self._screens.start(Reset.NEW)
            return
        else:
            wipe(pin)
        self._context.changed()

    def confirm(self) -> None:
        new = self._new
        if self._screens.current is not Reset.CONFIRM or new is None:
            return
        self._new = None
        self._screens.go(Reset.WRITING, remember=False)

        def done(_: None) -> None:
            wipe(new)
            self._report(True)
            self._slip = Slip(self._context, self._receipt())
            self._error = None
            self._screens.start(Reset.WRITTEN)

        def failed(error: KioskError) -> None:
            wipe(new)
            self._report(False)
            self._error = msg(error.message_id)
            self._screens.start(Reset.NOT_WRITTEN)

        self._context.card.reset_pin(new, done, failed)

    def cancel(self) -> None:
        """Nothing was written (requirement 19)."""
        self._forget()
        self._report(False)
        self._context.finish()

    def _receipt(self) -> Receipt:
        return pin_reset_receipt(
            PinContent(
                holder_name=holder_name(self._context),
                card_number_masked=card_masked(self._context),
                done=self._now(),
                kiosk_id=kiosk_id(self._context),
            )
        )

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        heading = msg("card_problems.reset.heading")
        if self._screens.current is Reset.NEW:
            return PinEntry(
                heading, self._error or msg("card_problems.reset.new"), submit=self.pin_entered
            )
        if self._screens.current is Reset.AGAIN:
            return PinEntry(
                heading, self._error or msg("card_life.pin.again"), submit=self.pin_entered
            )
        if self._screens.current is Reset.CONFIRM:
            return pin_summary(
                heading,
                card_masked(self._context),
                "card_problems.reset.effect",
                self.confirm,
                self.cancel,
            )
        if self._screens.current is Reset.WRITING:
            return Content(heading, msg("card_life.pin.working"))
        if self._screens.current is Reset.NOT_WRITTEN:
            return Content(
                heading,
                self._error or msg("error.generic"),
                [Choice("1", msg("card_problems.finish"), None, self._context.finish)],
            )
        slip = self._slip
        assert slip is not None
        sign_in = (msg("card_problems.reset.sign_in"), None, self._resume)
        finish = msg("card_problems.finish")
        choices = printout_choices(slip, self._context, finish, before=[sign_in])
        shown = slip.plain_panels(msg("card_problems.reset.slip"))
        return Content(heading, msg("card_problems.reset.done"), choices, panels=shown)
