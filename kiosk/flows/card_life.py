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

import contextlib
import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.card import CardStatus
from kiosk.domain.errors import KioskError
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.privacy import mask_number
from kiosk.domain.receipt import (
    ISSUER,
    Columns,
    LossContent,
    QrCode,
    Receipt,
    ReceiptKind,
    Separator,
    Text,
    loss_receipt,
    spell,
)
from kiosk.flows.card_words import STATUS_TEXT
from kiosk.flows.task_kit import (
    PANELS_PER_PAGE,
    Pager,
    PinEntry,
    Slip,
    card_request_url,
    day,
    error_view,
    kiosk_id,
    loading_view,
    receipt_outcome,
    sent_view,
)
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from collections.abc import Callable

    from kiosk.domain.card import CardSnapshot
    from kiosk.domain.card_requests import CardRequest, CardView
    from kiosk.domain.submission import SubmissionReceipt
    from kiosk.flows.ports import Outbox
    from kiosk.flows.tasks import TaskContext

# The service halls where a new card is collected (the platform's list).
PICKUP_HALLS = {
    "zhengzhou-city-hall": (N_("card_life.hall.city"), "郑州市民服务中心"),
    "jinshui-district-hall": (N_("card_life.hall.jinshui"), "金水区服务大厅"),
    "zhongyuan-district-hall": (N_("card_life.hall.zhongyuan"), "中原区服务大厅"),
}
# The same halls in the summary: "collect the new card at ..." (a message per hall, since a
# message cannot carry another message as a value).
PICKUP_LINES = {
    "zhengzhou-city-hall": N_("card_life.pickup_at.city"),
    "jinshui-district-hall": N_("card_life.pickup_at.jinshui"),
    "zhongyuan-district-hall": N_("card_life.pickup_at.zhongyuan"),
}
REPLACEMENT_REASONS = {
    "damaged": N_("card_life.reason.damaged"),
    "expired": N_("card_life.reason.expired"),
    "information_changed": N_("card_life.reason.information_changed"),
}
REQUEST_NAMES = {
    "loss_report": N_("card_life.kind.loss_report"),
    "loss_lifting": N_("card_life.kind.loss_lifting"),
    "reissue": N_("card_life.kind.reissue"),
    "replacement": N_("card_life.kind.replacement"),
}
STEP_NAMES = {
    "submitted": N_("card_life.step.submitted"),
    "reviewed": N_("card_life.step.reviewed"),
    "in_production": N_("card_life.step.in_production"),
    "ready_for_pickup": N_("card_life.step.ready_for_pickup"),
    "completed": N_("card_life.step.completed"),
}
# "Next: in production, expected by 3 May": the step still to come, and when.
NEXT_STEP_NAMES = {
    "submitted": N_("card_life.next.submitted"),
    "reviewed": N_("card_life.next.reviewed"),
    "in_production": N_("card_life.next.in_production"),
    "ready_for_pickup": N_("card_life.next.ready_for_pickup"),
    "completed": N_("card_life.next.completed"),
}
PRINTED_KIND = {"loss_lifting": "解除挂失", "reissue": "补领新卡", "replacement": "换领新卡"}
PRINTED_REASON = {"damaged": "卡片损坏", "expired": "卡片到期", "information_changed": "信息变更"}

(
    LOADING,
    MENU,
    LOSS_KIND,
    REASON,
    PICKUP,
    CONFIRM,
    SENDING,
    SENT,
    PROGRESS,
    PIN_OLD,
    PIN_NEW,
    PIN_AGAIN,
    PIN_CONFIRM,
    PIN_WORKING,
    PIN_DONE,
    FAILED,
) = (
    "loading",
    "menu",
    "loss_kind",
    "reason",
    "pickup",
    "confirm",
    "sending",
    "sent",
    "progress",
    "pin_old",
    "pin_new",
    "pin_again",
    "pin_confirm",
    "pin_working",
    "pin_done",
    "failed",
)


def _wipe(pin: bytearray | None) -> None:
    if pin is not None:
        pin[:] = bytes(len(pin))


class CardLifeTask:
    def __init__(self, context: TaskContext) -> None:
        self._context = context
        self._screen = LOADING
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
        if self._screen == LOADING:
            self._screen = MENU
        self._context.changed()

    def _load_failed(self, error: KioskError) -> None:
        self._screen, self._error = FAILED, msg(error.message_id)
        self._context.changed()

    # --- Task ------------------------------------------------------------------------------

    def screen_key(self) -> tuple[object, ...]:
        slip = (self._slip.state, self._slip.attempts) if self._slip else None
        status = self._card.status if self._card else None
        return (
            self._screen,
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
        screen = self._screen
        self._error = None
        if screen in (LOSS_KIND, REASON, PROGRESS, PIN_DONE):
            self._screen = MENU
        elif screen == PICKUP:
            self._screen = REASON if self._kind == "replacement" else MENU
        elif screen == CONFIRM:
            self.cancel()
        elif screen in (PIN_OLD, PIN_NEW, PIN_AGAIN, PIN_CONFIRM):
            self._forget_pins()
            self._screen = MENU
        else:
            return False
        return True

    def close(self) -> None:
        self._forget_pins()
        self._card = None
        self._slip = None

    def _forget_pins(self) -> None:
        _wipe(self._old_pin)
        _wipe(self._new_pin)
        self._old_pin = self._new_pin = None
        self._pin_error = None

    # --- actions: requests with legal effect ------------------------------------------------

    def begin(self, kind: str) -> None:
        self._kind, self._error = kind, None
        if kind == "loss_report":
            self._screen = LOSS_KIND
        elif kind == "replacement":
            self._screen = REASON
        elif kind == "reissue":
            self._screen = PICKUP
        else:
            self._screen = CONFIRM
        self._context.changed()

    def choose_loss(self, formal: bool) -> None:
        self._formal, self._screen = formal, CONFIRM
        self._context.changed()

    def choose_reason(self, reason: str) -> None:
        self._reason, self._screen = reason, PICKUP
        self._context.changed()

    def choose_pickup(self, hall: str) -> None:
        self._pickup, self._screen = hall, CONFIRM
        self._context.changed()

    def cancel(self) -> None:
        """Nothing was sent (requirement 19): back to the card's menu."""
        self._kind, self._reason, self._pickup, self._formal = "", "", "", False
        self._screen = MENU
        self._context.changed()

    def body(self) -> dict[str, object]:
        if self._kind == "loss_report":
            return {"kind": "formal" if self._formal else "temporary"}
        if self._kind == "reissue":
            return {"pickup": self._pickup}
        if self._kind == "replacement":
            return {"reason": self._reason, "pickup": self._pickup}
        return {}

    def confirm(self) -> None:
        if self._screen != CONFIRM:
            return
        kind, body = self._kind, self.body()
        token = self._context.session.token
        outbox = self._context.outbox
        if outbox is None:
            self._error = msg("error.platform.unavailable")
            self._context.changed()
            return
        self._screen = SENDING
        self._context.changed()
        self._context.runner.run(
            lambda: outbox.submit(kind, body, token=token), self._submitted, self._send_failed
        )

    def _submitted(self, receipt: SubmissionReceipt) -> None:
        self._receipt_state, self._tracking = receipt_outcome(receipt)
        # The slip before the screen that shows it: a printer that answers at once redraws.
        self._slip = Slip(self._context, self._receipt())
        self._screen = SENT
        self._context.changed()
        self._load()  # the card's state has changed: the menu must offer what it now allows

    def _send_failed(self, error: KioskError) -> None:
        self._screen, self._error = CONFIRM, msg(error.message_id)
        self._context.changed()

    def _receipt(self) -> Receipt:
        now = hall_time.now()
        masked = self._card.number_masked if self._card else ""
        status_url = card_request_url(self._context, self._tracking)
        if self._kind == "loss_report":
            return loss_receipt(
                LossContent(
                    tracking_number=self._tracking,
                    formal=self._formal,
                    card_number_masked=masked,
                    holder_name=self._context.session.name,
                    filed=now,
                    status_url=status_url,
                    kiosk_id=kiosk_id(self._context),
                )
            )
        return request_receipt(
            kind=self._kind,
            tracking=self._tracking,
            card_masked=masked,
            holder_name=self._context.session.name,
            pickup=PICKUP_HALLS[self._pickup][1] if self._pickup else "",
            reason=PRINTED_REASON.get(self._reason, ""),
            filed=now,
            status_url=status_url,
            kiosk=kiosk_id(self._context),
        )

    def print_again(self) -> None:
        if self._slip is not None:
            self._slip.print()
            self._context.changed()

    def show_progress(self) -> None:
        self._screen = PROGRESS
        self._pager.reset()
        self._context.changed()

    # --- actions: a new PIN on the chip --------------------------------------------------------

    def change_pin(self) -> None:
        self._forget_pins()
        self._screen = PIN_OLD
        self._context.changed()

    def pin_entered(self, pin: bytearray) -> None:
        """Each of the three PIN pads hands its digits here; they are wiped when done."""
        if len(pin) != 6 or not pin.isdigit():
            _wipe(pin)
            self._pin_error = msg("card_life.pin.error.length", digits=6)
            self._context.changed()
            return
        self._pin_error = None
        if self._screen == PIN_OLD:
            self._old_pin, self._screen = pin, PIN_NEW
        elif self._screen == PIN_NEW:
            if self._old_pin is not None and pin == self._old_pin:
                _wipe(pin)
                self._pin_error = msg("card_life.pin.error.same")
            else:
                self._new_pin, self._screen = pin, PIN_AGAIN
        elif self._screen == PIN_AGAIN:
            same = self._new_pin is not None and pin == self._new_pin
            _wipe(pin)
            if not same:
                _wipe(self._new_pin)
                self._new_pin = None
                self._pin_error = msg("card_life.pin.error.mismatch")
                self._screen = PIN_NEW
            else:
                self._screen = PIN_CONFIRM  # a summary first: the chip is written once asked
        else:
            _wipe(pin)
        self._context.changed()

    def confirm_pin(self) -> None:
        if self._screen == PIN_CONFIRM:
            self._write_pin()

    def cancel_pin(self) -> None:
        """Nothing was written (requirement 19): the PINs are wiped, back to the menu."""
        self._forget_pins()
        self._screen = MENU
        self._context.changed()

    def _write_pin(self) -> None:
        old, new = self._old_pin, self._new_pin
        self._old_pin = self._new_pin = None
        if old is None or new is None:
            _wipe(old)
            _wipe(new)
            self._screen, self._pin_error = PIN_DONE, msg("card_life.pin.unavailable")
            self._context.changed()
            return
        self._screen = PIN_WORKING
        self._context.changed()

        def done(_: None) -> None:
            _wipe(old)
            _wipe(new)
            self._slip = Slip(self._context, self._pin_receipt())
            self._screen, self._pin_error = PIN_DONE, None
            self._context.changed()

        def failed(error: KioskError) -> None:
            _wipe(old)
            _wipe(new)
            self._screen, self._pin_error = PIN_DONE, msg(error.message_id)
            self._context.changed()

        self._context.card.change_pin(old, new, done, failed)

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        heading = msg("card_life.heading")
        screen = self._screen
        if screen == LOADING:
            return loading_view(heading)
        if screen == FAILED or self._card is None:
            return error_view(heading, self._error)
        if screen == MENU:
            return self._menu(heading)
        if screen == LOSS_KIND:
            return Content(
                msg("card_life.kind.loss_report"),
                msg("card_life.hint.loss_kind"),
                [
                    Choice(
                        "1",
                        msg("card_life.loss.temporary"),
                        msg("card_life.loss.temporary.ex"),
                        lambda: self.choose_loss(False),
                    ),
                    Choice(
                        "2",
                        msg("card_life.loss.formal"),
                        msg("card_life.loss.formal.ex"),
                        lambda: self.choose_loss(True),
                    ),
                ],
                columns=1,
            )
        if screen == REASON:
            choices = [
                Choice(
                    str(number),
                    msg(label),
                    None,
                    lambda reason=reason: self.choose_reason(reason),  # type: ignore[misc]
                )
                for number, (reason, label) in enumerate(REPLACEMENT_REASONS.items(), start=1)
            ]
            return Content(
                msg("card_life.kind.replacement"), msg("card_life.hint.reason"), choices, columns=1
            )
        if screen == PICKUP:
            choices = [
                Choice(
                    str(number),
                    msg(label),
                    None,
                    lambda hall=hall: self.choose_pickup(hall),  # type: ignore[misc]
                )
                for number, (hall, (label, _)) in enumerate(PICKUP_HALLS.items(), start=1)
            ]
            return Content(
                msg(REQUEST_NAMES[self._kind]), msg("card_life.hint.pickup"), choices, columns=1
            )
        if screen == CONFIRM:
            return self._confirm()
        if screen == SENDING:
            return Content(msg(REQUEST_NAMES[self._kind]), msg("complaints.sending"))
        if screen == SENT:
            return self._sent()
        if screen == PROGRESS:
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
        offered: list[tuple[str, str, Callable[[], None]]] = []
        if card.status is CardStatus.NORMAL:
            offered.append(
                (
                    N_("card_life.menu.loss"),
                    N_("card_life.menu.loss.ex"),
                    lambda: self.begin("loss_report"),
                )
            )
        if card.status is CardStatus.TEMPORARILY_LOST:
            offered.append(
                (
                    N_("card_life.menu.lift"),
                    N_("card_life.menu.lift.ex"),
                    lambda: self.begin("loss_lifting"),
                )
            )
        if card.status in (CardStatus.TEMPORARILY_LOST, CardStatus.LOST):
            offered.append(
                (
                    N_("card_life.menu.reissue"),
                    N_("card_life.menu.reissue.ex"),
                    lambda: self.begin("reissue"),
                )
            )
        if card.status in (CardStatus.NORMAL, CardStatus.EXPIRED):
            offered.append(
                (
                    N_("card_life.menu.replacement"),
                    N_("card_life.menu.replacement.ex"),
                    lambda: self.begin("replacement"),
                )
            )
        if card.requests:
            offered.append(
                (
                    N_("card_life.menu.progress"),
                    N_("card_life.menu.progress.ex"),
                    self.show_progress,
                )
            )
        # The chip's PIN can be changed only with the card in the reader and in service.
        if self._context.snapshot is not None and card.status is CardStatus.NORMAL:
            offered.append((N_("card_life.menu.pin"), N_("card_life.menu.pin.ex"), self.change_pin))
        choices = [
            Choice(str(number), msg(label), msg(examples), action)
            for number, (label, examples, action) in enumerate(offered, start=1)
        ]
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
        panels = [
            Panel(msg(REQUEST_NAMES[self._kind]), tuple(lines)),
            Panel(msg("card_life.effect_title"), (msg(effect),)),
        ]
        choices = [
            Choice("1", msg("card_life.confirm"), None, self.confirm),
            Choice("2", msg("card_life.cancel"), None, self.cancel),
        ]
        hint = self._error or msg("card_life.hint.confirm")
        return Content(msg("card_life.confirm_heading"), hint, choices, panels=panels)

    def _sent(self) -> Content:
        assert self._slip is not None
        return sent_view(
            msg(REQUEST_NAMES[self._kind]),
            self._slip,
            self._tracking,
            self._receipt_state,
            self._context,
            self.print_again,
        )

    def _progress(self) -> Content:
        card = self._card
        assert card is not None
        language = self._context.language()
        shown = self._pager.slice(card.requests, PANELS_PER_PAGE)
        panels = [_request_panel(request, language) for request in shown]
        hint = msg("card_life.progress.summary", count=len(card.requests))
        return self._pager.apply(Content(msg("card_life.menu.progress"), hint, panels=panels))

    def _pin_receipt(self) -> Receipt:
        """The slip of a PIN change: when and on which card; never a digit of either PIN."""
        now = hall_time.now()
        card = self._card
        blocks: list[Text | Columns | Separator | QrCode] = [
            Columns("业务类型", "修改社保卡密码", bold=True),
            Columns("持卡人", self._context.session.name, private=True),
            Columns("社会保障卡号", card.number_masked if card else "", private=True),
            Columns("办理时间", now.strftime("%Y-%m-%d %H:%M")),
            Separator(),
            Text("新密码已写入社保卡芯片，即时生效。请牢记新密码，不要告诉他人。"),
            Text("如非本人操作，请立即挂失并到服务网点办理。"),
        ]
        return Receipt(
            kind=ReceiptKind.LOSS,
            issuer=ISSUER,
            title="社会保障卡密码修改回执",
            blocks=tuple(blocks),
            footer=(
                f"打印时间 {now.strftime('%Y-%m-%d %H:%M')}",
                f"终端 {kiosk_id(self._context)}",
            ),
            reference="",
        )

    def _pin_view(self) -> Content:
        heading = msg("card_life.menu.pin")
        if self._screen == PIN_CONFIRM:
            card = self._card
            panels = [
                Panel(
                    msg("card_life.menu.pin"),
                    (msg("card_status.number", number=card.number_masked if card else ""),),
                ),
                Panel(msg("card_life.effect_title"), (msg("card_life.effect.pin"),)),
            ]
            choices = [
                Choice("1", msg("card_life.pin.confirm"), None, self.confirm_pin),
                Choice("2", msg("card_life.cancel"), None, self.cancel_pin),
            ]
            hint = msg("card_life.hint.confirm")
            return Content(msg("card_life.confirm_heading"), hint, choices, panels=panels)
        if self._screen == PIN_WORKING:
            return Content(heading, msg("card_life.pin.working"))
        if self._screen == PIN_DONE:
            hint = self._pin_error or msg("card_life.pin.done")
            choices = []
            slip = self._slip if self._pin_error is None else None
            if slip is not None and slip.state == "on_screen" and self._context.printer:
                choices.append(Choice("1", msg("slip.print_again"), None, self.print_again))
            choices.append(
                Choice(str(len(choices) + 1), msg("task.done"), None, self._context.finish)
            )
            shown: list[Panel] = []
            if slip is not None and slip.state == "on_screen":
                # Nothing to look up later, so no QR code: only why the paper did not come.
                said = (slip.error,) if slip.error is not None else ()
                shown = [Panel(msg("card_life.pin.slip"), said)]
            elif slip is not None:
                shown = slip.panels(msg("card_life.pin.slip"))
            return Content(heading, hint, choices, panels=shown)
        prompts = {
            PIN_OLD: N_("card_life.pin.old"),
            PIN_NEW: N_("card_life.pin.new"),
            PIN_AGAIN: N_("card_life.pin.again"),
        }
        return PinEntry(
            heading, self._pin_error or msg(prompts[self._screen]), submit=self.pin_entered
        )


def _request_panel(request: CardRequest, language: str) -> Panel:
    """A request's progress in words: each step said as done or still to come."""
    done = [step for step in request.progress if step.done]
    lines: list[Message] = [
        msg("complaints.tracking", tracking=request.tracking_number),
        msg(STEP_NAMES[done[-1].step if done else "submitted"]),
    ]
    upcoming = [step for step in request.progress if not step.done]
    if upcoming and upcoming[0].at is not None:
        lines.append(
            msg(
                NEXT_STEP_NAMES[upcoming[0].step],
                date=day(hall_time.local(upcoming[0].at).date(), language),
            )
        )
    return Panel(msg(REQUEST_NAMES[request.kind]), tuple(lines))


def request_receipt(
    *,
    kind: str,
    tracking: str,
    card_masked: str,
    holder_name: str,
    pickup: str,
    reason: str,
    filed: dt.datetime,
    status_url: str,
    kiosk: str,
) -> Receipt:
    """The slip of a lifting, reissue or replacement; the domain has builders only for loss."""
    filed = hall_time.local(filed)
    what = PRINTED_KIND[kind]
    blocks: list[Text | Columns | Separator | QrCode] = [
        Columns("受理编号", tracking, bold=True, spoken=spell(tracking)),
        Columns("业务类型", what, bold=True),
        Columns("持卡人", holder_name, private=True),
        Columns("社会保障卡号", card_masked, private=True),
        Columns("受理时间", filed.strftime("%Y-%m-%d %H:%M")),
    ]
    if reason:
        blocks.append(Columns("换领原因", reason))
    if pickup:
        blocks.append(Columns("领卡地点", pickup))
    blocks += [
        Separator(),
        Text(
            "新卡制作完成后请携带本人有效身份证件到领卡地点领取。"
            if pickup
            else "挂失已解除，社保卡恢复正常使用。"
        ),
        QrCode(status_url, spoken="凭条上印有查询二维码，扫码可查询办理进度。"),
    ]
    return Receipt(
        kind=ReceiptKind.LOSS,
        issuer=ISSUER,
        title=f"社会保障卡{what}回执",
        blocks=tuple(blocks),
        footer=(f"打印时间 {filed.strftime('%Y-%m-%d %H:%M')}", f"终端 {kiosk}"),
        reference=tracking,
    )


# --- lifting a loss report with the card in hand ---------------------------------------------


def in_card_life_session(
    context: TaskContext,
    outbox: Outbox,
    snapshot: CardSnapshot,
    kind: str,
    body: dict[str, object],
) -> Callable[[], SubmissionReceipt]:
    """The job that files a request for a card the platform has as not in service (lost,
    expired): in a session that acts on the card's life only, opened for it after the chip
    took the PIN, and closed again. The platform changes a card's state only in the holder's
    own session, never on the kiosk's word (Art. 2)."""
    platform = context.platform
    identifier, number = snapshot.card.identifier, snapshot.card.number

    def job() -> SubmissionReceipt:
        session = platform.open_session_by_card(identifier, number, scope="card_life")
        try:
            return outbox.submit(kind, body, token=session.token)
        finally:
            # If this fails, it ends by itself when idle; the request is filed or queued.
            with contextlib.suppress(KioskError):
                platform.close_session(session.token)

    return job


LIFT_CONFIRM, LIFT_SENDING, LIFT_SENT, LIFT_REFUSED = "confirm", "sending", "sent", "refused"


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
        self._screen = LIFT_CONFIRM
        self._error: Message | None = None
        self._tracking = ""
        self._receipt_state = ""
        self._slip: Slip | None = None

    def screen_key(self) -> tuple[object, ...]:
        slip = (self._slip.state, self._slip.attempts) if self._slip else None
        return (self._screen, self._error, slip)

    def back(self) -> bool:
        return False

    def close(self) -> None:
        self._slip = None

    def _card_masked(self) -> str:
        snapshot = self._context.snapshot
        return mask_number(snapshot.card.number, 2, 2) if snapshot is not None else ""

    def confirm(self) -> None:
        snapshot, outbox = self._context.snapshot, self._context.outbox
        if self._screen != LIFT_CONFIRM or snapshot is None:
            return
        if outbox is None:
            self._error = msg("error.platform.unavailable")
            self._context.changed()
            return
        self._screen, self._error = LIFT_SENDING, None
        self._context.changed()
        job = in_card_life_session(self._context, outbox, snapshot, "loss_lifting", {})
        self._context.runner.run(job, self._submitted, self._failed)

    def _submitted(self, receipt: SubmissionReceipt) -> None:
        self._receipt_state, self._tracking = receipt_outcome(receipt)
        if self._receipt_state == "rejected":
            # Heard and refused: a new card is already being made for this loss.
            self._screen, self._error = LIFT_REFUSED, msg("card_life.lift.refused")
            self._context.changed()
            return
        snapshot = self._context.snapshot
        holder = snapshot.holder.name if snapshot is not None and snapshot.holder else ""
        now = self._now()
        self._slip = Slip(
            self._context,
            request_receipt(
                kind="loss_lifting",
                tracking=self._tracking,
                card_masked=self._card_masked(),
                holder_name=holder,
                pickup="",
                reason="",
                filed=now,
                status_url=card_request_url(self._context, self._tracking),
                kiosk=kiosk_id(self._context),
            ),
        )
        self._screen = LIFT_SENT
        self._context.changed()

    def _failed(self, error: KioskError) -> None:
        self._screen, self._error = LIFT_CONFIRM, msg(error.message_id)
        self._context.changed()

    def print_again(self) -> None:
        if self._slip is not None:
            self._slip.print()
            self._context.changed()

    def view(self) -> Content:
        heading = msg("card_life.kind.loss_lifting")
        if self._screen == LIFT_CONFIRM:
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
        if self._screen == LIFT_SENDING:
            return Content(heading, msg("complaints.sending"))
        if self._screen == LIFT_REFUSED:
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
