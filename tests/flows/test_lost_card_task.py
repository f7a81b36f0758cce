"""The card-less task alone (Art. 2), no Qt: e-code sign-in, and a temporary loss report by
e-code or by ID number and a one-time code, through every branch, on an injected clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from helpers.rig import KioskRig

from kiosk.domain.card import CardStatus
from kiosk.domain.errors import PlatformRejected, PlatformUnavailable
from kiosk.domain.receipt import Columns, QrCode
from kiosk.domain.submission import OutboxState
from kiosk.flows.lost_card import (
    SIGNED_OUT,
    LostCardTask,
    check_character,
    complete_id_number,
    mask_id_number,
)
from kiosk.flows.task_kit import DigitEntry, QrPanel
from kiosk.testing.clock import ManualClock
from kiosk.testing.data import SESSION, card_view

LI_MING = "410105198807160014"
ENDS_IN_X = "11010519491231002X"
FILED = dt.datetime(2026, 11, 27, 10, 30, tzinfo=dt.UTC)


@dataclass
class Lost:
    rig: KioskRig
    clock: ManualClock
    task: LostCardTask
    signed_in: list[str] = field(default_factory=list)

    def view(self):
        return self.task.view()

    def hint(self) -> str:
        hint = self.task.view().hint
        assert hint is not None
        return hint.id

    def by_id_number(self) -> None:
        """From the menu to the report by ID number: its entry is shown."""
        assert self.view().choose("2")
        assert self.view().choose("1")

    def code_asked(self) -> None:
        """The report by Li Ming's ID number, whose code the platform was asked to send."""
        self.by_id_number()
        self.view().submit(LI_MING)  # type: ignore[attr-defined]
        self.rig.run()


def lost(**rig_args) -> Lost:
    rig = KioskRig(session=SIGNED_OUT, snapshot=None, **rig_args)
    rig.platform.ecode_session = SESSION
    signed_in: list[str] = []
    task = LostCardTask(rig.context(), signed_in.append, now=lambda: FILED)
    return Lost(rig, rig.clock, task, signed_in)


def test_the_keypad_enters_an_id_number_ending_in_x_as_its_first_17_digits() -> None:
    assert check_character(ENDS_IN_X[:17]) == "X"
    assert complete_id_number(ENDS_IN_X[:17]) == ENDS_IN_X
    assert complete_id_number(LI_MING) == LI_MING
    assert complete_id_number(LI_MING[:17]) == LI_MING
    assert complete_id_number(LI_MING[:17] + "5") is None  # a slip of the finger
    assert complete_id_number("12345") is None
    assert mask_id_number(LI_MING) == "4101**********0014"


def test_by_id_number_and_code_with_summary_confirm_and_slip() -> None:
    t = lost()
    assert [c.label.id for c in t.view().choices] == [
        "lost_card.menu.sign_in",
        "lost_card.menu.report",
    ]
    t.by_id_number()
    entry = t.view()
    assert isinstance(entry, DigitEntry) and entry.max_digits == 18 and entry.private
    entry.submit(ENDS_IN_X[:17])
    assert t.hint() == "catalog.loading"
    t.rig.run()
    assert t.rig.platform.loss_ids == [ENDS_IN_X]
    code = t.view()
    assert isinstance(code, DigitEntry) and code.max_digits == 6
    assert code.hint is not None and code.hint.params == {"minutes": 5}
    code.submit("12345")
    assert t.hint() == "lost_card.error.code_length"
    t.view().submit("123456")  # type: ignore[attr-defined]
    summary = t.view()
    assert summary.heading.id == "card_life.confirm_heading"
    whose = summary.panels[0].lines[0]
    assert whose.params == {"id": "1101**********002X"} and whose.has_personal_data
    assert summary.panels[1].lines[0].id == "card_life.effect.temporary"
    assert t.rig.platform.loss_codes == []  # nothing is filed before the resident confirms
    assert summary.choose("1")
    t.rig.run()
    ((sent_code, key),) = t.rig.platform.loss_codes
    assert sent_code == "123456" and len(key) == 32
    sent = t.view()
    assert sent.hint is not None and sent.hint.id == "submit.delivered"
    receipt = t.rig.printer.jobs[0].receipt  # type: ignore[union-attr]
    assert receipt.reference == "R-LOSS-0000-0001"
    rows = {b.left: b.right for b in receipt.blocks if isinstance(b, Columns)}
    assert rows["挂失类型"] == "临时挂失" and rows["持卡人"] == "李*"
    assert rows["社会保障卡号"] == "B0*****22"
    qr = next(b for b in receipt.blocks if isinstance(b, QrCode))
    assert qr.payload == "https://platform.test/v1/card/requests/R-LOSS-0000-0001"
    kept = {name: value for name, value in vars(t.task).items() if name != "_context"}
    assert ENDS_IN_X not in repr(kept)  # forgotten once filed
    assert sent.choose("1")
    assert t.rig.finished


def test_a_wrong_id_number_is_said_and_nothing_is_sent() -> None:
    t = lost()
    t.by_id_number()
    t.view().submit(LI_MING[:17] + "9")  # type: ignore[attr-defined]
    assert t.hint() == "lost_card.error.id"
    assert t.rig.runner.jobs == []


def test_the_code_expires_on_the_kiosks_clock_and_a_new_one_is_sent() -> None:
    t = lost()
    t.code_asked()
    t.clock.now += 301
    t.view().submit("123456")  # type: ignore[attr-defined]
    assert t.hint() == "lost_card.code.expired"
    assert [c.label.id for c in t.view().choices] == ["lost_card.code.again", "card_life.cancel"]
    assert t.view().choose("1")
    t.rig.run()
    assert t.rig.platform.loss_ids == [LI_MING, LI_MING]
    t.view().submit("654321")  # type: ignore[attr-defined]
    t.clock.now += 300  # it runs out while the summary is read
    assert t.view().choose("1")
    assert t.hint() == "lost_card.code.expired" and t.rig.platform.loss_codes == []
    assert t.view().choose("1")
    t.rig.run()
    t.view().submit("654321")  # type: ignore[attr-defined]
    assert t.view().choose("1")
    t.rig.run()
    assert t.rig.platform.loss_codes[0][0] == "654321"


@pytest.mark.parametrize(
    ("error", "screen_hint"),
    [
        (PlatformRejected("loss_code_wrong"), "lost_card.error.code_wrong"),
        (PlatformRejected("loss_code_expired"), "lost_card.code.expired"),
        (PlatformRejected("request_not_allowed"), "lost_card.error.not_allowed"),
        (PlatformUnavailable(), "error.platform.unavailable"),
    ],
)
def test_each_refusal_of_the_code_is_said(error, screen_hint: str) -> None:
    t = lost()
    t.rig.platform.errors["report_loss_by_code"] = error
    t.code_asked()
    t.view().submit("111111")  # type: ignore[attr-defined]
    assert t.view().choose("1")
    t.rig.run()
    assert t.hint() == screen_hint
    if isinstance(error, PlatformUnavailable):
        # Not heard: still on the summary, and a second try uses the same key.
        del t.rig.platform.errors["report_loss_by_code"]
        assert t.view().heading.id == "card_life.confirm_heading"
        assert t.view().choose("1")
        t.rig.run()
        keys = {key for _, key in t.rig.platform.loss_codes}
        assert len(t.rig.platform.loss_codes) == 2 and len(keys) == 1


def test_too_many_codes_asked_for_is_said_on_the_id_screen() -> None:
    t = lost()
    t.rig.platform.errors["request_loss_code"] = PlatformRejected("too_many_requests")
    t.code_asked()
    assert isinstance(t.view(), DigitEntry) and t.hint() == "lost_card.error.too_many"
    assert t.task.back() and t.view().heading.id == "lost_card.report.heading"


def test_by_e_code_with_summary_confirm_slip_and_the_session_closed() -> None:
    t = lost()
    assert t.view().choose("2")
    assert t.view().choose("2")  # by e-code
    assert t.hint() == "lost_card.ecode.hint"
    assert t.task.ecode_scanned("DEMO-ECODE-B00000022")
    t.rig.run()
    assert t.rig.platform.ecodes == ["DEMO-ECODE-B00000022"]
    summary = t.view()
    assert summary.panels[0].lines[0].params == {"number": "A0000****"}
    assert summary.choose("1")
    t.rig.run()
    assert t.rig.outbox.items == [("loss_report", {"kind": "temporary"}, "t-1")]
    assert t.view().hint is not None and t.view().hint.id == "submit.delivered"
    assert t.rig.printer.jobs[0].receipt.title == "社会保障卡挂失回执"  # type: ignore[union-attr]
    assert "close_session" in t.rig.platform.calls  # the e-code session ends with the report


def test_an_e_code_for_a_card_already_stopped_needs_no_report() -> None:
    t = lost()
    t.rig.platform.card_answer = card_view(CardStatus.LOST)
    assert t.view().choose("2")
    assert t.view().choose("2")
    t.task.ecode_scanned("DEMO-ECODE-G00000077")
    t.rig.run()
    assert t.hint() == "lost_card.already"
    assert t.view().panels[0].title.id == "card_status.status.lost"
    assert t.view().choose("1")
    assert t.rig.finished and t.rig.outbox.items == []
    t.task.close()
    t.rig.run()
    assert "close_session" in t.rig.platform.calls


def test_a_bad_e_code_is_said_and_can_be_scanned_again() -> None:
    t = lost()
    t.rig.platform.errors["open_session_by_ecode"] = PlatformRejected("ecode_invalid")
    assert t.view().choose("2")
    assert t.view().choose("2")
    t.task.ecode_scanned("NOT-A-CODE")
    t.rig.run()
    assert t.hint() == "lost_card.error.ecode"
    assert t.task.ecode_scanned("NOT-A-CODE-EITHER")
    t.rig.run()
    # Back goes along the resident's path, past the wait for the platform's answer.
    assert t.task.back() and t.view().heading.id == "lost_card.report.heading"
    assert t.task.back() and t.view().heading.id == "lost_card.heading"


def test_queued_report_and_paper_out_give_the_qr_on_screen() -> None:
    t = lost()
    t.rig.outbox.state = OutboxState.QUEUED
    assert t.rig.printer is not None
    t.rig.printer.paper_out = True
    assert t.view().choose("2")
    assert t.view().choose("2")
    t.task.ecode_scanned("DEMO-ECODE-B00000022")
    t.rig.run()
    assert t.view().choose("1")
    t.rig.run()
    sent = t.view()
    assert sent.hint is not None and sent.hint.id == "submit.queued"
    assert isinstance(sent.panels[0], QrPanel)
    assert [c.label.id for c in sent.choices] == ["slip.print_again", "task.done"]
    t.rig.printer.paper_out = False
    assert sent.choose("1")
    t.rig.run()
    assert len(t.rig.printer.jobs) == 1


def test_sign_in_hands_the_scanned_code_to_the_session() -> None:
    t = lost()
    assert not t.task.ecode_scanned("DEMO-ECODE-A00000011")  # the menu does not take codes
    assert t.view().choose("1")
    assert t.hint() == "lost_card.sign_in.hint"
    assert t.task.ecode_scanned("DEMO-ECODE-A00000011")
    assert t.signed_in == ["DEMO-ECODE-A00000011"]


def test_the_e_code_digits_can_be_typed_instead_of_scanned() -> None:
    t = lost()
    assert t.view().choose("1")
    entry = t.view()
    assert isinstance(entry, DigitEntry) and entry.max_digits == 18 and entry.private
    entry.submit("8912345")
    assert t.hint() == "lost_card.error.ecode_digits" and t.signed_in == []
    t.view().submit("891666044862195980")  # type: ignore[attr-defined]
    assert t.signed_in == ["891666044862195980"]
    t = lost()
    assert t.view().choose("2")
    assert t.view().choose("2")  # report by e-code, typed
    t.view().submit("891666044862195980")  # type: ignore[attr-defined]
    t.rig.run()
    assert t.rig.platform.ecodes == ["891666044862195980"]
    assert t.view().heading.id == "card_life.confirm_heading"


def test_back_and_cancel_walk_out_without_sending() -> None:
    t = lost()
    t.code_asked()
    t.view().submit("123456")  # type: ignore[attr-defined]
    assert t.task.back() and t.view().heading.id == "lost_card.heading"  # cancel from summary
    assert t.view().choose("2")
    assert t.task.back() and t.task.back() is False
    assert t.view().choose("2")
    assert t.view().choose("1")
    assert t.task.back() and t.view().heading.id == "lost_card.report.heading"
    assert t.rig.platform.loss_codes == []
