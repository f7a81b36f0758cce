"""没带卡: for a resident without the card in hand, from the attract screen (Art. 2).

Two things are offered. Signing in with the e-code (电子社保卡) on the phone, which stands for the
card: the platform lets an e-code session see a lost card and ask for a new one. And a temporary
loss report (临时挂失) at once, the card being lost: by e-code, or by the ID number and a one-time
code the platform texts to the phone on record. The report has legal effect (the card stops
working), so it shows a summary and asks to confirm, and ends with a slip (printed, or a QR code
on screen when the printer cannot print).

No session is open while this task runs: the context's session is SIGNED_OUT, whose empty token
opens nothing. The e-code way opens a session of its own for the report and closes it with the
task. The ID number is personal data: kept only while the task runs, shown masked, never logged.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from kiosk.domain import hall_time
from kiosk.domain.card import CardStatus
from kiosk.domain.errors import PlatformRejected
from kiosk.domain.messages import N_, Message, msg
from kiosk.domain.receipt import LossContent, loss_receipt
from kiosk.domain.session import ResidentSession
from kiosk.flows.card_words import STATUS_TEXT, summary_view
from kiosk.flows.machine import Screens
from kiosk.flows.task_kit import (
    DigitEntry,
    Slip,
    card_request_url,
    kiosk_id,
    numbered,
    receipt_outcome,
    sent_view,
)
from kiosk.flows.view import Choice, Content, Panel

if TYPE_CHECKING:
    from kiosk.domain.card_requests import CardView, LossCodeSent, LossReported
    from kiosk.domain.errors import KioskError
    from kiosk.domain.submission import SubmissionReceipt
    from kiosk.flows.tasks import TaskContext

# The context's session while nobody is signed in: an empty token, which the platform refuses.
SIGNED_OUT = ResidentSession(
    token="", name="", card_status=CardStatus.NORMAL, financial_account_active=False, expires_in_s=0
)

ID_LENGTH = 18
# The e-code's digits, shown under its QR code, for a phone that cannot be held to the scanner.
ECODE_DIGITS = 18
# GB 11643: the 18th character checks the other 17 (ISO 7064 MOD 11-2); 10 is written X.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

# Reason codes the platform answers with, and what the resident is told.
_REFUSALS = {
    "too_many_requests": N_("lost_card.error.too_many"),
    "loss_code_wrong": N_("lost_card.error.code_wrong"),
    "ecode_invalid": N_("lost_card.error.ecode"),
    "card_unknown": N_("lost_card.error.ecode"),
    "request_not_allowed": N_("lost_card.error.not_allowed"),
}


class Screen(StrEnum):
    MENU = "menu"
    SIGN_IN = "sign_in"
    WAY = "way"
    ECODE = "ecode"
    LOOKING = "looking"
    ID = "id"
    SENDING_CODE = "sending_code"
    CODE = "code"
    CODE_EXPIRED = "code_expired"
    CONFIRM = "confirm"
    SENDING = "sending"
    SENT = "sent"
    REFUSED = "refused"


# Waiting on the platform, or done: back leaves the task from there.
_STUCK = (
    Screen.LOOKING,
    Screen.SENDING_CODE,
    Screen.SENDING,
    Screen.SENT,
    Screen.REFUSED,
)


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def complete_id_number(typed: str) -> str | None:
    """The 18-character ID number from what was typed on the keypad, or None if it is wrong.

    The keypad has no X: a number ending in X is typed as its first 17 digits, and the kiosk
    adds the check character, which those 17 decide. Typed whole, the check catches a slip of
    the finger."""
    if not typed.isdigit():
        return None
    if len(typed) == ID_LENGTH - 1:
        return typed + check_character(typed)
    if len(typed) == ID_LENGTH and check_character(typed[:17]) == typed[17]:
        return typed
    return None


def mask_id_number(id_number: str) -> str:
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


def _refusal(error: KioskError) -> Message:
    if isinstance(error, PlatformRejected) and error.code in _REFUSALS:
        return msg(_REFUSALS[error.code])
    return msg(error.message_id)


class LostCardTask:
    def __init__(
        self,
        context: TaskContext,
        sign_in: Callable[[str], None],
        *,
        now: Callable[[], dt.datetime] = hall_time.now,
    ) -> None:
        self._context = context
        self._sign_in = sign_in
        self._now = now
        # Back from the summary drops the report, back to the first choice (requirement 19).
        self._screens = Screens(
            Screen.MENU, context.changed, stuck=_STUCK, to_root=(Screen.CONFIRM,)
        )
        self._way = ""  # "ecode" or "id"
        self._error: Message | None = None
        self._id = ""
        self._request_id = ""
        self._digits = 6
        self._code = ""
        self._code_expires = 0.0
        self._key = ""
        self._session: ResidentSession | None = None
        self._card: CardView | None = None
        self._status: CardStatus | None = None
        self._tracking = ""
        self._receipt_state = ""
        self._holder = ""
        self._card_masked = ""
        self._slip: Slip | None = None

    # --- Task ------------------------------------------------------------------------------

    def screen_key(self) -> tuple[object, ...]:
        slip = self._slip.key if self._slip else None
        return (self._screens.current, self._way, self._error, slip)

    def back(self) -> bool:
        self._error = None
        if not self._screens.back():
            return False
        if self._screens.current is Screen.MENU:
            self._forget()  # nothing was sent
            self._way = ""
        return True

    def close(self) -> None:
        self._forget()
        self._slip = None

    def _forget(self) -> None:
        """Drops the ID number, the code and the e-code session: nothing outlives the task."""
        self._id = self._code = self._request_id = ""
        self._card = None
        session, self._session = self._session, None
        if session is not None:
            platform = self._context.platform
            self._context.runner.run(
                lambda: platform.close_session(session.token), lambda _: None, lambda _: None
            )

    # --- actions ---------------------------------------------------------------------------

    def _show(
        self,
        screen: Screen,
        error: Message | None = None,
        *,
        remember: bool = True,
        back_to: Screen | None = None,
    ) -> None:
        self._error = error
        self._screens.go(screen, remember=remember, back_to=back_to)

    def open_sign_in(self) -> None:
        self._show(Screen.SIGN_IN)

    def sign_in_failed(self, reason: Message) -> None:
        """The platform did not take the e-code: ask for it again, saying why."""
        self._error = reason
        self._screens.go(Screen.SIGN_IN, tell=False)  # before the task is shown

    def open_report(self) -> None:
        self._show(Screen.WAY)

    def choose_way(self, way: str) -> None:
        self._way = way
        self._show(Screen.ECODE if way == "ecode" else Screen.ID)

    def ecode_typed(self, typed: str) -> None:
        """The e-code's digits, typed on the keypad: taken as if scanned."""
        if len(typed) != ECODE_DIGITS or not typed.isdigit():
            error = msg("lost_card.error.ecode_digits", digits=ECODE_DIGITS)
            self._show(self._screens.current, error)
            return
        self.ecode_scanned(typed)

    def ecode_scanned(self, raw: str) -> bool:
        """A code under the scanner; True when this screen takes it. The e-code itself is only
        handed on, never kept."""
        if self._screens.current is Screen.SIGN_IN:
            self._sign_in(raw)
            return True
        if self._screens.current is not Screen.ECODE:
            return False
        platform = self._context.platform

        def look_up() -> tuple[ResidentSession, CardView]:
            session = platform.open_session_by_ecode(raw)
            try:
                return session, platform.card(session.token)
            except Exception:
                platform.close_session(session.token)
                raise

        self._show(Screen.LOOKING, remember=False)
        self._context.runner.run(look_up, self._looked_up, self._ecode_failed)
        return True

    def _looked_up(self, found: tuple[ResidentSession, CardView]) -> None:
        self._session, self._card = found
        if self._card.status is not CardStatus.NORMAL:
            # Already stopped: a new card is asked for after signing in with the e-code.
            self._status = self._card.status
            self._show(Screen.REFUSED, msg("lost_card.already"))
            return
        self._card_masked = self._card.number_masked
        self._show(Screen.CONFIRM, remember=False)

    def _ecode_failed(self, error: KioskError) -> None:
        self._show(Screen.ECODE, _refusal(error), remember=False)

    def id_entered(self, typed: str) -> None:
        full = complete_id_number(typed)
        if full is None:
            self._show(Screen.ID, msg("lost_card.error.id", digits=ID_LENGTH))
            return
        self._id = full
        self._ask_code()

    def _ask_code(self) -> None:
        id_number, platform = self._id, self._context.platform
        self._show(Screen.SENDING_CODE, back_to=Screen.ID)
        self._context.runner.run(
            lambda: platform.request_loss_code(id_number), self._code_sent, self._code_failed
        )

    def _code_sent(self, sent: LossCodeSent) -> None:
        self._request_id, self._digits = sent.request_id, sent.digits
        self._code_expires = self._context.clock() + sent.expires_in_s
        # A new code is a new submission: the key makes its retries land once.
        self._key = uuid.uuid4().hex
        self._show(Screen.CODE, remember=False)

    def _code_failed(self, error: KioskError) -> None:
        self._error = _refusal(error)
        self._screens.rewind(Screen.ID)

    def code_entered(self, typed: str) -> None:
        if len(typed) != self._digits or not typed.isdigit():
            self._show(Screen.CODE, msg("lost_card.error.code_length", digits=self._digits))
            return
        if self._context.clock() >= self._code_expires:
            self._show(Screen.CODE_EXPIRED, remember=False)
            return
        self._code = typed
        self._card_masked = ""
        self._show(Screen.CONFIRM)

    def new_code(self) -> None:
        self._code = ""
        self._ask_code()

    def cancel(self) -> None:
        """Nothing was sent (requirement 19): back to the first choice."""
        self._forget()
        self._way = ""
        self._error = None
        self._screens.start(Screen.MENU)

    def confirm(self) -> None:
        if self._screens.current is not Screen.CONFIRM:
            return
        if self._way == "ecode":
            self._confirm_by_ecode()
        else:
            self._confirm_by_code()

    def _confirm_by_ecode(self) -> None:
        session, outbox = self._session, self._context.outbox
        if session is None or outbox is None:
            self._show(Screen.CONFIRM, msg("error.platform.unavailable"))
            return
        self._show(Screen.SENDING, remember=False)
        self._context.runner.run(
            lambda: outbox.submit("loss_report", {"kind": "temporary"}, token=session.token),
            self._submitted,
            self._send_failed,
        )

    def _submitted(self, receipt: SubmissionReceipt) -> None:
        self._receipt_state, self._tracking = receipt_outcome(receipt)
        self._holder = self._session.name if self._session is not None else ""
        self._done()

    def _confirm_by_code(self) -> None:
        if self._context.clock() >= self._code_expires:
            self._show(Screen.CODE_EXPIRED, back_to=Screen.ID)
            return
        request_id, code, key = self._request_id, self._code, self._key
        platform = self._context.platform
        self._show(Screen.SENDING, remember=False)
        self._context.runner.run(
            lambda: platform.report_loss_by_code(request_id, code, idempotency_key=key),
            self._reported,
            self._send_failed,
        )

    def _reported(self, reported: LossReported) -> None:
        self._tracking = reported.request.tracking_number
        self._receipt_state = "delivered"
        self._holder = reported.holder_name_masked
        self._card_masked = reported.card_number_masked
        self._done()

    def _send_failed(self, error: KioskError) -> None:
        code = error.code if isinstance(error, PlatformRejected) else ""
        if code == "loss_code_wrong":
            self._code = ""
            self._show(Screen.CODE, _refusal(error), back_to=Screen.ID)
        elif code == "loss_code_expired":
            self._show(Screen.CODE_EXPIRED, back_to=Screen.ID)
        elif code == "request_not_allowed":
            self._show(Screen.REFUSED, _refusal(error))
        else:  # not heard: the same key makes a second try safe
            self._show(Screen.CONFIRM, _refusal(error), remember=False)

    def _done(self) -> None:
        filed = self._now()
        self._slip = Slip(
            self._context,
            loss_receipt(
                LossContent(
                    tracking_number=self._tracking,
                    formal=False,
                    card_number_masked=self._card_masked,
                    holder_name=self._holder,
                    filed=filed,
                    status_url=card_request_url(self._context, self._tracking),
                    kiosk_id=kiosk_id(self._context),
                )
            ),
        )
        self._forget()
        self._show(Screen.SENT, remember=False)

    # --- screens ---------------------------------------------------------------------------

    def view(self) -> Content:
        screen = self._screens.current
        report = msg("lost_card.report.heading")
        if screen is Screen.MENU:
            return Content(
                msg("lost_card.heading"),
                msg("lost_card.hint.menu"),
                numbered(
                    [
                        ("lost_card.menu.sign_in", "lost_card.menu.sign_in.ex", self.open_sign_in),
                        ("lost_card.menu.report", "lost_card.menu.report.ex", self.open_report),
                    ]
                ),
                columns=1,
            )
        if screen is Screen.SIGN_IN:
            # Held to the scanner, or its digits typed on this keypad.
            hint = msg("lost_card.sign_in.hint")
            return self._typed(msg("lost_card.menu.sign_in"), hint, self.ecode_typed, ECODE_DIGITS)
        if screen is Screen.WAY:
            return Content(
                report,
                msg("lost_card.hint.way"),
                numbered(
                    [
                        ("lost_card.way.id", "lost_card.way.id.ex", lambda: self.choose_way("id")),
                        (
                            "lost_card.way.ecode",
                            "lost_card.way.ecode.ex",
                            lambda: self.choose_way("ecode"),
                        ),
                    ]
                ),
                columns=1,
            )
        if screen is Screen.ECODE:
            hint = msg("lost_card.ecode.hint")
            return self._typed(report, hint, self.ecode_typed, ECODE_DIGITS)
        if screen in (Screen.LOOKING, Screen.SENDING_CODE):
            return Content(report, msg("catalog.loading"))
        if screen is Screen.ID:
            return self._typed(report, msg("lost_card.id.hint"), self.id_entered, ID_LENGTH)
        if screen is Screen.CODE:
            minutes = max(1, round((self._code_expires - self._context.clock()) / 60))
            hint = msg("lost_card.code.hint", minutes=minutes)
            return self._typed(report, hint, self.code_entered, self._digits)
        if screen is Screen.CODE_EXPIRED:
            return Content(
                report,
                msg("lost_card.code.expired"),
                numbered(
                    [
                        ("lost_card.code.again", None, self.new_code),
                        ("card_life.cancel", None, self.cancel),
                    ]
                ),
                columns=1,
            )
        if screen is Screen.CONFIRM:
            return self._confirm_view()
        if screen is Screen.SENDING:
            return Content(report, msg("complaints.sending"))
        if screen is Screen.SENT:
            assert self._slip is not None
            return sent_view(
                msg("card_life.kind.loss_report"),
                self._slip,
                self._tracking,
                self._receipt_state,
                self._context,
            )
        status = [Panel(msg(STATUS_TEXT[self._status]), ())] if self._status else []
        return Content(
            report,
            self._error or msg("error.generic"),
            [Choice("1", msg("task.done"), None, self._context.finish)],
            panels=status,
        )

    def _typed(
        self, heading: Message, hint: Message, submit: Callable[[str], None], digits: int
    ) -> DigitEntry:
        """A number typed on the keypad; why the last one was refused stands in the hint's
        place until the next is typed."""
        return DigitEntry(heading, self._error or hint, submit=submit, max_digits=digits)

    def _confirm_view(self) -> Content:
        if self._way == "ecode":
            whose = msg("card_status.number", number=self._card_masked)
        else:
            whose = msg("lost_card.summary.id", id=mask_id_number(self._id), private=("id",))
        return summary_view(
            Panel(msg("card_life.loss.temporary"), (whose,)),
            "card_life.effect.temporary",
            self._error or msg("card_life.hint.confirm"),
            ("card_life.confirm", self.confirm),
            ("card_life.cancel", self.cancel),
        )
