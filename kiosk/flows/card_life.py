"""社保卡业务 (Art. 2): the card's status, loss report, lifting it, reissue, replacement, progress,
and a new PIN on the chip.

The card's life follows national and provincial rules (Art. 2, para. 3); the platform decides
what the card's state allows, and this task offers only that. Every step with legal effect shows
a summary and asks to confirm, and can be cancelled until it is sent (requirement 19); it goes
through the outbox, so the resident leaves with a tracking number whether the platform heard it
at once or it waits in the queue, on a slip or as a QR code on screen. A PIN is asked for with
PinEntry (the face's PIN pad), goes straight to the chip, and is wiped: never shown or kept.
"""

from __future__ import annotations

from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.card import CardAction, allows
from kiosk.domain.errors import KioskError
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.receipt import (
    CardSlipContent,
    PinContent,
    Receipt,
    card_life_receipt,
    pin_change_receipt,
)
from kiosk.flows.card_words import (
    HALL_LABELS,
    PICKUP_HALLS,
    PICKUP_LINES,
    REPLACEMENT_REASONS,
    REQUEST_NAMES,
    STATUS_TEXT,
    choices_for,
    pin_summary,
    request_panel,
    summary_view,
)
from kiosk.flows.machine import Screens
from kiosk.flows.task_kit import (
    Pager,
    PinEntry,
    Slip,
    card_request_url,
    error_view,
    file_request,
    kiosk_id,
    loading_view,
    numbered,
    paged_panels,
    printout_choices,
    receipt_outcome,
    sent_view,
    wipe,
)
from kiosk.flows.view import Content, Panel

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.domain.card_requests import CardView
    from kiosk.domain.submission import SubmissionReceipt
    from kiosk.flows.tasks import TaskContext


class Screen(StrEnum):
    LOADING = "loading"
    MENU = "menu"
    LOSS_KIND = "loss_kind"
    REASON = "reason"
    PICKUP = "pickup"
    CONFIRM = "confirm"
    SENDING = "sending"
    SENT = "sent"
    PROGRESS = "progress"
    PIN_OLD = "pin_old"
    PIN_NEW = "pin_new"
    PIN_AGAIN = "pin_again"
    PIN_CONFIRM = "pin_confirm"
    PIN_WORKING = "pin_working"
    PIN_DONE = "pin_done"
    FAILED = "failed"


# Work under way, or a request already sent: back leaves the task instead.
_STUCK = (Screen.LOADING, Screen.SENDING, Screen.SENT, Screen.PIN_WORKING, Screen.FAILED)


class CardLifeTask:
    def __init__(self, context: TaskContext) -> None:
        self._context = context
        self._screens = Screens(Screen.LOADING, context.changed, stuck=_STUCK)
        self._card: CardView | None = None
        self._error: Message | None = None
        self._kind = ""  # loss_report, loss_lifting, reissue, replacement
        self._formal = False
        self._reason = ""
        self._pickup = ""
        self._receipt_state = ""
        self._tracking = ""
        self._slip: Slip | None = None
        self._pager = Pager(context.changed)
        self._old_pin: bytearray | None = None
        self._new_pin: bytearray | None = None
        self._pin_error: Message | None = None
        self._load()

    def _load(self) -> None:
        token = self._context.session.token
        self._context.runner.run(
            lambda: self._context.platform.card(token), self._loaded, self._load_failed
        )

    def _loaded(self, card: CardView) -> None:
        self._card = card
        if self._screens.current is Screen.LOADING:
            self._screens.start(Screen.MENU)
        else:
            self._context.changed()

    def _load_failed(self, error: KioskError) -> None:
        self._error = msg(error.message_id)
        self._screens.start(Screen.FAILED)

    # --- Task ------------------------------------------------------------------------------

    def screen_key(self) -> tuple[object, ...]:
        slip = self._slip.key if self._slip else None
        status = self._card.status if self._card else None
        return (
            self._screens.current,
            status,
            self._kind,
            self._formal,
            self._reason,
            self._pickup,
            self._error,
            self._pin_error,
            self._pager.page,
            slip,
        )

    def back(self) -> bool:
        self._error = None
        if not self._screens.back():
            return False
        if self._screens.current is Screen.MENU:
            self._forget_request()  # nothing was sent (requirement 19)
        return True

    def close(self) -> None:
        self._forget_pins()
        self._card = None
        self._slip = None

    def _forget_pins(self) -> None:
        wipe(self._old_pin)
        wipe(self._new_pin)
        self._old_pin = self._new_pin = None
        self._pin_error = None

    # --- actions: requests with legal effect ------------------------------------------------

    def begin(self, kind: str) -> None:
        self._kind, self._error = kind, None
        first = {
            "loss_report": Screen.LOSS_KIND,
            "replacement": Screen.REASON,
            "reissue": Screen.PICKUP,
        }.get(kind, Screen.CONFIRM)
        self._screens.go(first, back_to=Screen.MENU if first is Screen.CONFIRM else None)

    # Back from the summary drops the whole request, back to the menu.
    def choose_loss(self, formal: bool) -> None:
        self._formal = formal
        self._screens.go(Screen.CONFIRM, back_to=Screen.MENU)

    def choose_reason(self, reason: str) -> None:
        self._reason = reason
        self._screens.go(Screen.PICKUP)

    def choose_pickup(self, hall: str) -> None:
        self._pickup = hall
        self._screens.go(Screen.CONFIRM, back_to=Screen.MENU)

    def cancel(self) -> None:
        """Nothing was sent (requirement 19): back to the card's menu."""
        self._forget_request()
        self._screens.start(Screen.MENU)

    def _forget_request(self) -> None:
        self._kind, self._reason, self._pickup, self._formal = "", "", "", False
        self._forget_pins()

    def body(self) -> dict[str, object]:
        if self._kind == "loss_report":
            return {"kind": "formal" if self._formal else "temporary"}
        if self._kind == "reissue":
            return {"pickup": self._pickup}
        if self._kind == "replacement":
            return {"reason": self._reason, "pickup": self._pickup}
        return {}

    def confirm(self) -> None:
        if self._screens.current is not Screen.CONFIRM:
            return
        kind, body = self._kind, self.body()
        token = self._context.session.token
        file_request(
            self._context,
            self._screens,
            Screen.SENDING,
            lambda outbox: outbox.submit(kind, body, token=token),
            self._submitted,
            self._send_failed,
        )

    def _submitted(self, receipt: SubmissionReceipt) -> None:
        self._receipt_state, self._tracking = receipt_outcome(receipt)
        # The slip before the screen that shows it: a printer that answers at once redraws.
        self._slip = Slip(self._context, self._receipt())
        self._screens.go(Screen.SENT, remember=False)
        self._load()  # the card's state has changed: the menu must offer what it now allows

    def _send_failed(self, error: KioskError) -> None:
        self._error = msg(error.message_id)
        self._screens.go(Screen.CONFIRM, back_to=Screen.MENU)

    def _receipt(self) -> Receipt:
        filed = CardSlipContent(
            tracking_number=self._tracking,
            card_number_masked=self._card.number_masked if self._card else "",
            holder_name=self._context.session.name,
            filed=hall_time.now(),
            status_url=card_request_url(self._context, self._tracking),
            kiosk_id=kiosk_id(self._context),
        )
        return card_life_receipt(
            filed,
            self._kind,
            formal=self._formal,
            pickup=PICKUP_HALLS[self._pickup][1] if self._pickup else "",
            reason=self._reason,
        )

    def show_progress(self) -> None:
        self._pager.reset()
        self._screens.go(Screen.PROGRESS)

    # --- actions: a new PIN on the chip --------------------------------------------------------

    def change_pin(self) -> None:
        self._forget_pins()
        self._screens.go(Screen.PIN_OLD)

    def pin_entered(self, pin: bytearray) -> None:
        """Each of the three PIN pads hands its digits here; they are wiped when done. The pads
        replace one another: back from any of them returns to the menu, the PINs wiped."""
        screen = self._screens.current
        if len(pin) != 6 or not pin.isdigit():
            wipe(pin)
            self._pin_error = msg("card_life.pin.error.length", digits=6)
            self._context.changed()
            return
        self._pin_error = None
        if screen is Screen.PIN_OLD:
            self._old_pin, screen = pin, Screen.PIN_NEW
        elif screen is Screen.PIN_NEW:
            if self._old_pin is not None and pin == self._old_pin:
                wipe(pin)
                self._pin_error = msg("card_life.pin.error.same")
            else:
                self._new_pin, screen = pin, Screen.PIN_AGAIN
        elif screen is Screen.PIN_AGAIN:
            same = self._new_pin is not None and pin == self._new_pin
            wipe(pin)
            if not same:
                wipe(self._new_pin)
                self._new_pin = None
                self._pin_error = msg("card_life.pin.error.mismatch")
                screen = Screen.PIN_NEW
            else:
                screen = Screen.PIN_CONFIRM  # a summary first: the chip is written once asked
        else:
            wipe(pin)
        self._screens.go(screen, remember=False)

    def confirm_pin(self) -> None:
        if self._screens.current is Screen.PIN_CONFIRM:
            self._write_pin()

    def cancel_pin(self) -> None:
        """Nothing was written (requirement 19): the PINs are wiped, back to the menu."""
        self._forget_pins()
        self._screens.start(Screen.MENU)

    def _write_pin(self) -> None:
        old, new = self._old_pin, self._new_pin
        self._old_pin = self._new_pin = None
        if old is None or new is None:
            wipe(old)
            wipe(new)
            self._pin_error = msg("card_life.pin.unavailable")
            self._screens.go(Screen.PIN_DONE, remember=False)
            return
        self._screens.go(Screen.PIN_WORKING, remember=False)

        def done(_: None) -> None:
            wipe(old)
            wipe(new)
            self._slip = Slip(self._context, self._pin_receipt())
            self._pin_error = None
            self._screens.go(Screen.PIN_DONE, remember=False)

        def failed(error: KioskError) -> None:
            wipe(old)
            wipe(new)
            self._pin_error = msg(error.message_id)
            self._screens.go(Screen.PIN_DONE, remember=False)

        self._context.card.change_pin(old, new, done, failed)

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        heading = msg("card_life.heading")
        screen = self._screens.current
        if screen is Screen.LOADING:
            return loading_view(heading)
        if screen is Screen.FAILED or self._card is None:
            return error_view(heading, self._error)
        if screen is Screen.MENU:
            return self._menu(heading)
        if screen is Screen.LOSS_KIND:
            # The kinds of report the card's status allows (kiosk.domain.card.ALLOWED).
            choices = numbered(
                [
                    (label, examples, partial(self.choose_loss, action is CardAction.FORMAL_LOSS))
                    for action, label, examples in (
                        (
                            CardAction.TEMPORARY_LOSS,
                            "card_life.loss.temporary",
                            "card_life.loss.temporary.ex",
                        ),
                        (
                            CardAction.FORMAL_LOSS,
                            "card_life.loss.formal",
                            "card_life.loss.formal.ex",
                        ),
                    )
                    if allows(self._card.status, action)
                ]
            )
            return Content(
                msg("card_life.kind.loss_report"),
                msg("card_life.hint.loss_kind"),
                choices,
                columns=1,
            )
        if screen is Screen.REASON:
            choices = choices_for(REPLACEMENT_REASONS, self.choose_reason)
            return Content(
                msg("card_life.kind.replacement"), msg("card_life.hint.reason"), choices, columns=1
            )
        if screen is Screen.PICKUP:
            choices = choices_for(HALL_LABELS, self.choose_pickup)
            return Content(
                msg(REQUEST_NAMES[self._kind]), msg("card_life.hint.pickup"), choices, columns=1
            )
        if screen is Screen.CONFIRM:
            return self._confirm()
        if screen is Screen.SENDING:
            return Content(msg(REQUEST_NAMES[self._kind]), msg("complaints.sending"))
        if screen is Screen.SENT:
            return self._sent()
        if screen is Screen.PROGRESS:
            return self._progress()
        return self._pin_view()

    def _menu(self, heading: Message) -> Content:
        card = self._card
        assert card is not None
        # One short panel: the menu must fit the largest print beside its choices. The card's
        # financial account (Art. 19) is said where it matters, with each financial service.
        status = Panel(
            msg(STATUS_TEXT[card.status]),
            (msg("card_status.number", number=card.number_masked),),
        )
        # What the card's status allows (kiosk.domain.card.ALLOWED), in the menu's order.
        menu: list[tuple[bool, str, str, Callable[[], None]]] = [
            (
                allows(card.status, CardAction.TEMPORARY_LOSS)
                or allows(card.status, CardAction.FORMAL_LOSS),
                N_("card_life.menu.loss"),
                N_("card_life.menu.loss.ex"),
                lambda: self.begin("loss_report"),
            ),
            (
                allows(card.status, CardAction.LOSS_LIFTING),
                N_("card_life.menu.lift"),
                N_("card_life.menu.lift.ex"),
                lambda: self.begin("loss_lifting"),
            ),
            (
                allows(card.status, CardAction.REISSUE),
                N_("card_life.menu.reissue"),
                N_("card_life.menu.reissue.ex"),
                lambda: self.begin("reissue"),
            ),
            (
                allows(card.status, CardAction.REPLACEMENT),
                N_("card_life.menu.replacement"),
                N_("card_life.menu.replacement.ex"),
                lambda: self.begin("replacement"),
            ),
            (
                bool(card.requests),
                N_("card_life.menu.progress"),
                N_("card_life.menu.progress.ex"),
                self.show_progress,
            ),
            # The chip's PIN can be changed only with the card in the reader.
            (
                self._context.snapshot is not None and allows(card.status, CardAction.PIN_CHANGE),
                N_("card_life.menu.pin"),
                N_("card_life.menu.pin.ex"),
                self.change_pin,
            ),
        ]
        choices = numbered([(label, ex, action) for shown, label, ex, action in menu if shown])
        return Content(heading, msg("card_life.hint.menu"), choices, panels=[status])

    def _confirm(self) -> Content:
        card = self._card
        assert card is not None
        lines: list[Message] = [msg("card_status.number", number=card.number_masked)]
        if self._kind == "loss_report":
            lines.append(
                msg(N_("card_life.loss.formal"))
                if self._formal
                else msg(N_("card_life.loss.temporary"))
            )
            effect = "card_life.effect.formal" if self._formal else "card_life.effect.temporary"
        elif self._kind == "loss_lifting":
            effect = "card_life.effect.lifting"
        elif self._kind == "reissue":
            lines.append(msg(PICKUP_LINES[self._pickup]))
            effect = "card_life.effect.reissue"
        else:
            lines.append(msg(REPLACEMENT_REASONS[self._reason]))
            lines.append(msg(PICKUP_LINES[self._pickup]))
            effect = "card_life.effect.replacement"
        return summary_view(
            Panel(msg(REQUEST_NAMES[self._kind]), tuple(lines)),
            effect,
            self._error or msg("card_life.hint.confirm"),
            ("card_life.confirm", self.confirm),
            ("card_life.cancel", self.cancel),
        )

    def _sent(self) -> Content:
        assert self._slip is not None
        return sent_view(
            msg(REQUEST_NAMES[self._kind]),
            self._slip,
            self._tracking,
            self._receipt_state,
            self._context,
        )

    def _progress(self) -> Content:
        card = self._card
        assert card is not None
        language = self._context.language()
        hint = msg("card_life.progress.summary", count=len(card.requests))
        return paged_panels(
            self._pager,
            msg("card_life.menu.progress"),
            hint,
            card.requests,
            lambda request: request_panel(request, language),
        )

    def _pin_receipt(self) -> Receipt:
        card = self._card
        return pin_change_receipt(
            PinContent(
                holder_name=self._context.session.name,
                card_number_masked=card.number_masked if card else "",
                done=hall_time.now(),
                kiosk_id=kiosk_id(self._context),
            )
        )

    def _pin_view(self) -> Content:
        heading = msg("card_life.menu.pin")
        if self._screens.current is Screen.PIN_CONFIRM:
            card = self._card
            return pin_summary(
                heading,
                card.number_masked if card else "",
                "card_life.effect.pin",
                self.confirm_pin,
                self.cancel_pin,
            )
        if self._screens.current is Screen.PIN_WORKING:
            return Content(heading, msg("card_life.pin.working"))
        if self._screens.current is Screen.PIN_DONE:
            hint = self._pin_error or msg("card_life.pin.done")
            slip = self._slip if self._pin_error is None else None
            choices = printout_choices(slip, self._context, msg("task.done"))
            shown = slip.plain_panels(msg("card_life.pin.slip")) if slip is not None else []
            return Content(heading, hint, choices, panels=shown)
        prompts = {
            Screen.PIN_OLD: N_("card_life.pin.old"),
            Screen.PIN_NEW: N_("card_life.pin.new"),
            Screen.PIN_AGAIN: N_("card_life.pin.again"),
        }
        return PinEntry(
            heading, self._pin_error or msg(prompts[self._screens.current]), submit=self.pin_entered
        )
