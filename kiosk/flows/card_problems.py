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
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.errors import KioskError
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.privacy import mask_number
from kiosk.domain.receipt import ISSUER, Columns, QrCode, Receipt, ReceiptKind, Separator, Text
from kiosk.flows.card_life import PICKUP_HALLS, PICKUP_LINES, in_card_life_session, request_receipt
from kiosk.flows.task_kit import (
    PinEntry,
    Slip,
    card_request_url,
    day,
    kiosk_id,
    platform_url,
    receipt_outcome,
    sent_view,
)
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.domain.submission import SubmissionReceipt
    from kiosk.flows.tasks import TaskContext

PIN_DIGITS = 6


def _card_masked(context: TaskContext) -> str:
    snapshot = context.snapshot
    return mask_number(snapshot.card.number, 2, 2) if snapshot is not None else ""


def _holder(context: TaskContext) -> str:
    snapshot = context.snapshot
    return snapshot.holder.name if snapshot is not None and snapshot.holder else ""


def _now() -> dt.datetime:
    # The hall's time, whatever zone the operating system keeps: the slip's date is the hall's.
    return hall_time.now()


# --- an expired card: the replacement and nothing else -------------------------------------

OFFER, PICKUP, CONFIRM, SENDING, SENT = "offer", "pickup", "confirm", "sending", "sent"


class ExpiredCardTask:
    """换领: the chip took the PIN, the platform has the card as expired. Filed in a session that
    acts on the card's life only, which the platform opens for an expired card after the PIN:
    nothing else that needs a valid card is reachable through it (Art. 2)."""

    def __init__(
        self,
        context: TaskContext,
        *,
        today: Callable[[], dt.date] = hall_time.today,
        now: Callable[[], dt.datetime] = _now,
    ) -> None:
        self._context = context
        self._today = today
        self._now = now
        self._screen = OFFER
        self._pickup = ""
        self._error: Message | None = None
        self._tracking = ""
        self._receipt_state = ""
        self._slip: Slip | None = None

    def screen_key(self) -> tuple[object, ...]:
        slip = (self._slip.state, self._slip.attempts) if self._slip else None
        return (self._screen, self._pickup, self._error, slip)

    def back(self) -> bool:
        self._error = None
        if self._screen == PICKUP:
            self._screen = OFFER
        elif self._screen == CONFIRM:
            self._screen = PICKUP
        else:
            return False
        return True

    def close(self) -> None:
        self._slip = None

    # --- actions ---------------------------------------------------------------------------

    def ask(self) -> None:
        self._screen, self._error = PICKUP, None
        self._context.changed()

    def choose_pickup(self, hall: str) -> None:
        self._pickup, self._screen = hall, CONFIRM
        self._context.changed()

    def cancel(self) -> None:
        """Nothing was sent (requirement 19)."""
        self._pickup, self._screen = "", OFFER
        self._context.changed()

    def confirm(self) -> None:
        snapshot, outbox = self._context.snapshot, self._context.outbox
        if self._screen != CONFIRM or snapshot is None:
            return
        if outbox is None:
            self._error = msg("error.platform.unavailable")
            self._context.changed()
            return
        body: dict[str, object] = {"reason": "expired", "pickup": self._pickup}
        self._screen, self._error = SENDING, None
        self._context.changed()
        job = in_card_life_session(self._context, outbox, snapshot, "replacement", body)
        self._context.runner.run(job, self._submitted, self._failed)

    def _submitted(self, receipt: SubmissionReceipt) -> None:
        self._receipt_state, self._tracking = receipt_outcome(receipt)
        if self._receipt_state == "rejected":
            # Heard and refused: a new card is already on its way for this one.
            self._screen, self._error = CONFIRM, msg("card_problems.expired.refused")
            self._context.changed()
            return
        self._slip = Slip(
            self._context,
            request_receipt(
                kind="replacement",
                tracking=self._tracking,
                card_masked=_card_masked(self._context),
                holder_name=_holder(self._context),
                pickup=PICKUP_HALLS[self._pickup][1],
                reason="卡片到期",
                filed=self._now(),
                status_url=card_request_url(self._context, self._tracking),
                kiosk=kiosk_id(self._context),
            ),
        )
        self._screen = SENT
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        self._screen, self._error = CONFIRM, msg(error.message_id)
        self._context.changed()

    def print_again(self) -> None:
        if self._slip is not None:
            self._slip.print()
            self._context.changed()

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        heading = msg("card_life.kind.replacement")
        if self._screen == OFFER:
            return self._offer()
        if self._screen == PICKUP:
            choices = [
                Choice(
                    str(number),
                    msg(label),
                    None,
                    lambda hall=hall: self.choose_pickup(hall),  # type: ignore[misc]
                )
                for number, (hall, (label, _)) in enumerate(PICKUP_HALLS.items(), start=1)
            ]
            return Content(heading, msg("card_life.hint.pickup"), choices, columns=1)
        if self._screen == CONFIRM:
            lines = (
                msg("card_status.number", number=_card_masked(self._context)),
                msg("card_life.reason.expired"),
                msg(PICKUP_LINES[self._pickup]),
            )
            panels = [
                Panel(heading, lines),
                Panel(msg("card_life.effect_title"), (msg("card_life.effect.replacement"),)),
            ]
            choices = [
                Choice("1", msg("card_life.confirm"), None, self.confirm),
                Choice("2", msg("card_life.cancel"), None, self.cancel),
            ]
            hint = self._error or msg("card_life.hint.confirm")
            return Content(msg("card_life.confirm_heading"), hint, choices, panels=panels)
        if self._screen == SENDING:
            return Content(heading, msg("complaints.sending"))
        assert self._slip is not None
        return sent_view(
            heading,
            self._slip,
            self._tracking,
            self._receipt_state,
            self._context,
            self.print_again,
        )

    def _offer(self) -> Content:
        snapshot = self._context.snapshot
        expires = snapshot.card.expires if snapshot is not None else None
        said: list[Message] = [msg("card_status.number", number=_card_masked(self._context))]
        if expires is not None:
            said.append(
                msg("card_problems.expired.on", date=day(expires, self._context.language()))
            )
        choices = [
            Choice(
                "1",
                msg("card_problems.expired.ask"),
                msg("card_problems.expired.ask.ex"),
                self.ask,
            ),
            Choice("2", msg("card_problems.expired.not_now"), None, self._context.finish),
        ]
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
PRINTED_TO_BRING = (
    "本人社会保障卡（就是这张卡）",
    "本人有效居民身份证原件",
    "他人代办的，另带代办人身份证原件和委托书",
)

BLOCKED, BLOCKED_SLIP = "blocked", "blocked_slip"


def blocked_receipt(card_masked: str, printed: dt.datetime, kiosk: str, url: str) -> Receipt:
    """What to bring to a counter; no name, no PIN, the card number masked."""
    blocks: list[Text | Columns | Separator | QrCode] = [
        Columns("业务类型", "社保卡密码重置", bold=True),
        Columns("社会保障卡号", card_masked, private=True),
        Text("社保卡密码连续输错，已被锁定。请到任一社保服务窗口，由工作人员核对身份后重置密码。"),
        Separator(),
        Text("请携带：", bold=True),
        *(Text(f"{number}. {line}") for number, line in enumerate(PRINTED_TO_BRING, start=1)),
        Separator(),
        Text("办理地点："),
        *(Text(name) for _, name in PICKUP_HALLS.values()),
        QrCode(url, spoken="凭条上印有二维码，扫码可查看服务网点。"),
    ]
    return Receipt(
        kind=ReceiptKind.LOSS,
        issuer=ISSUER,
        title="社会保障卡密码锁定办理须知",
        blocks=tuple(blocks),
        footer=(f"打印时间 {printed.strftime('%Y-%m-%d %H:%M')}", f"终端 {kiosk}"),
    )


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
        self._screen = BLOCKED
        self._slip: Slip | None = None

    def screen_key(self) -> tuple[object, ...]:
        slip = (self._slip.state, self._slip.attempts) if self._slip else None
        return (self._screen, slip)

    def back(self) -> bool:
        if self._screen == BLOCKED_SLIP:
            self._screen = BLOCKED
            return True
        return False

    def close(self) -> None:
        self._slip = None

    def print_list(self) -> None:
        receipt = blocked_receipt(
            _card_masked(self._context),
            self._now(),
            kiosk_id(self._context),
            f"{platform_url(self._context)}/v1/catalog",
        )
        self._slip = Slip(self._context, receipt)
        self._screen = BLOCKED_SLIP
        self._context.changed()

    def print_again(self) -> None:
        if self._slip is not None:
            self._slip.print()
            self._context.changed()

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
        if self._screen == BLOCKED:
            choices = [
                Choice(
                    "1",
                    msg("card_problems.blocked.print"),
                    msg("card_problems.blocked.print.ex"),
                    self.print_list,
                ),
                Choice("2", msg("card_problems.finish"), None, self._context.finish),
            ]
            return Content(
                heading, msg("card_problems.blocked.hint"), choices, panels=[bring], columns=1
            )
        slip = self._slip
        assert slip is not None
        choices = []
        if slip.state == "on_screen" and self._context.printer is not None:
            choices.append(Choice("1", msg("slip.print_again"), None, self.print_again))
        finish = msg("card_problems.finish")
        choices.append(Choice(str(len(choices) + 1), finish, None, self._context.finish))
        if slip.state == "on_screen":
            # The list stays on the screen, with why the paper did not come above it: one
            # panel, so that it fits the largest print.
            said = (slip.error,) if slip.error is not None else ()
            shown = [Panel(bring.title, (*said, *bring.lines))]
        else:
            shown = slip.panels(msg("card_problems.blocked.slip"))
        return Content(heading, msg("card_problems.blocked.hint"), choices, panels=shown)


NEW, AGAIN, RESET_CONFIRM, WRITING, WRITTEN, NOT_WRITTEN = (
    "new",
    "again",
    "confirm",
    "writing",
    "written",
    "not_written",
)


def _wipe(pin: bytearray | None) -> None:
    if pin is not None:
        pin[:] = bytes(len(pin))


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
        self._screen = NEW
        self._new: bytearray | None = None
        self._error: Message | None = None
        self._slip: Slip | None = None
        self._done = False

    def screen_key(self) -> tuple[object, ...]:
        slip = (self._slip.state, self._slip.attempts) if self._slip else None
        return (self._screen, self._error, slip)

    def back(self) -> bool:
        if self._screen in (AGAIN, RESET_CONFIRM):
            self._forget()
            self._screen = NEW
            return True
        return self._screen == WRITING  # the chip is being written: stay for its answer

    def close(self) -> None:
        self._forget()
        self._slip = None
        self._report(False)

    def withdraw(self) -> None:
        """Staff took the reset back before the chip was written."""
        if self._screen in (NEW, AGAIN, RESET_CONFIRM):
            self._forget()
            self._report(False)
            self._context.finish()

    def _forget(self) -> None:
        _wipe(self._new)
        self._new = None

    def _report(self, written: bool) -> None:
        if not self._done:
            self._done = True
            self._reported(written)

    # --- actions ---------------------------------------------------------------------------

    def pin_entered(self, pin: bytearray) -> None:
        if len(pin) != PIN_DIGITS or not pin.isdigit():
            _wipe(pin)
            self._error = msg("card_life.pin.error.length", digits=PIN_DIGITS)
        elif self._screen == NEW:
            if len(set(bytes(pin))) == 1:
                # One digit six times is the first guess anyone tries.
                _wipe(pin)
                self._error = msg("card_problems.reset.error.simple")
            else:
                self._new, self._screen, self._error = pin, AGAIN, None
        elif self._screen == AGAIN:
            same = self._new is not None and pin == self._new
            _wipe(pin)
            if same:
                self._screen, self._error = RESET_CONFIRM, None
            else:
                self._forget()
                self._screen, self._error = NEW, msg("card_life.pin.error.mismatch")
        else:
            _wipe(pin)
        self._context.changed()

    def confirm(self) -> None:
        new = self._new
        if self._screen != RESET_CONFIRM or new is None:
            return
        self._new = None
        self._screen = WRITING
        self._context.changed()

        def done(_: None) -> None:
            _wipe(new)
            self._report(True)
            self._slip = Slip(self._context, self._receipt())
            self._screen, self._error = WRITTEN, None
            self._context.changed()

        def failed(error: KioskError) -> None:
            _wipe(new)
            self._report(False)
            self._screen, self._error = NOT_WRITTEN, msg(error.message_id)
            self._context.changed()

        self._context.card.reset_pin(new, done, failed)

    def cancel(self) -> None:
        """Nothing was written (requirement 19)."""
        self._forget()
        self._report(False)
        self._context.finish()

    def print_again(self) -> None:
        if self._slip is not None:
            self._slip.print()
            self._context.changed()

    def _receipt(self) -> Receipt:
        now = self._now()
        blocks: list[Text | Columns | Separator | QrCode] = [
            Columns("业务类型", "社保卡密码重置（柜台）", bold=True),
            Columns("持卡人", _holder(self._context), private=True),
            Columns("社会保障卡号", _card_masked(self._context), private=True),
            Columns("办理时间", now.strftime("%Y-%m-%d %H:%M")),
            Separator(),
            Text("工作人员已核对本人身份证件，新密码已写入社保卡芯片，锁定已解除，即时生效。"),
            Text("请牢记新密码，不要告诉他人。如非本人办理，请立即挂失。"),
        ]
        return Receipt(
            kind=ReceiptKind.LOSS,
            issuer=ISSUER,
            title="社会保障卡密码重置回执",
            blocks=tuple(blocks),
            footer=(
                f"打印时间 {now.strftime('%Y-%m-%d %H:%M')}",
                f"终端 {kiosk_id(self._context)}",
            ),
        )

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        heading = msg("card_problems.reset.heading")
        if self._screen == NEW:
            return PinEntry(
                heading, self._error or msg("card_problems.reset.new"), submit=self.pin_entered
            )
        if self._screen == AGAIN:
            return PinEntry(
                heading, self._error or msg("card_life.pin.again"), submit=self.pin_entered
            )
        if self._screen == RESET_CONFIRM:
            panels = [
                Panel(
                    heading,
                    (msg("card_status.number", number=_card_masked(self._context)),),
                ),
                Panel(msg("card_life.effect_title"), (msg("card_problems.reset.effect"),)),
            ]
            choices = [
                Choice("1", msg("card_life.pin.confirm"), None, self.confirm),
                Choice("2", msg("card_life.cancel"), None, self.cancel),
            ]
            return Content(
                msg("card_life.confirm_heading"),
                msg("card_life.hint.confirm"),
                choices,
                panels=panels,
            )
        if self._screen == WRITING:
            return Content(heading, msg("card_life.pin.working"))
        if self._screen == NOT_WRITTEN:
            return Content(
                heading,
                self._error or msg("error.generic"),
                [Choice("1", msg("card_problems.finish"), None, self._context.finish)],
            )
        slip = self._slip
        assert slip is not None
        choices = [Choice("1", msg("card_problems.reset.sign_in"), None, self._resume)]
        if slip.state == "on_screen" and self._context.printer is not None:
            choices.append(Choice("2", msg("slip.print_again"), None, self.print_again))
        finish = msg("card_problems.finish")
        choices.append(Choice(str(len(choices) + 1), finish, None, self._context.finish))
        shown: list[Panel] = []
        if slip.state == "on_screen":
            shown = [Panel(msg("card_problems.reset.slip"), (slip.error,) if slip.error else ())]
        else:
            shown = slip.panels(msg("card_problems.reset.slip"))
        return Content(heading, msg("card_problems.reset.done"), choices, panels=shown)
