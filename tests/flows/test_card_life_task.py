"""The card's life alone: loss report, lifting, reissue, replacement, progress, a new PIN."""

from __future__ import annotations

from dataclasses import replace

from helpers.rig import KioskRig

from kiosk.domain.card import CardStatus
from kiosk.domain.errors import WrongPin
from kiosk.flows.card_life import CardLifeTask
from kiosk.flows.task_kit import PinEntry
from kiosk.testing.data import card_view, reissue_request


def start(rig: KioskRig) -> CardLifeTask:
    task = CardLifeTask(rig.context())
    rig.run()
    return task


def labels(task: CardLifeTask) -> list[str]:
    return [c.label.id for c in task.view().choices]


def test_the_menu_offers_only_what_the_cards_state_allows() -> None:
    assert labels(start(KioskRig())) == [
        "card_life.menu.loss",
        "card_life.menu.replacement",
        "card_life.menu.pin",
    ]
    lost = KioskRig(snapshot=None)
    lost.platform.card_answer = card_view(CardStatus.TEMPORARILY_LOST, (reissue_request(),))
    assert labels(start(lost)) == [
        "card_life.menu.lift",
        "card_life.menu.reissue",
        "card_life.menu.progress",
    ]
    assert start(KioskRig()).view().panels[0].title.id == "card_status.status.normal"


def test_a_temporary_loss_report_is_confirmed_sent_and_printed() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("1")
    assert task.view().choose("1")  # temporary
    confirm = task.view()
    assert confirm.heading.id == "card_life.confirm_heading"
    assert confirm.panels[1].lines[0].id == "card_life.effect.temporary"
    assert rig.outbox.items == []
    assert confirm.choose("1")
    rig.run()
    assert rig.outbox.items == [("loss_report", {"kind": "temporary"}, "t-1")]
    sent = task.view()
    assert sent.hint is not None and sent.hint.id == "submit.delivered"
    assert sent.panels[0].title.id == "slip.printed"
    receipt = rig.printer.jobs[0].receipt  # type: ignore[union-attr]
    assert receipt.title == "社会保障卡挂失回执" and receipt.reference == "R-TEST-0000-0001"
    assert "card" in rig.platform.calls[1:]  # the card is asked again: its state changed


def test_cancel_sends_nothing() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("1")
    assert task.view().choose("2")  # formal
    assert task.view().choose("2")  # cancel
    assert rig.outbox.items == [] and task.view().heading.id == "card_life.heading"
    assert task.view().choose("1")
    assert task.view().choose("2")
    assert task.back() and rig.outbox.items == []


def test_reissue_and_replacement_carry_the_pickup_hall_and_reason() -> None:
    rig = KioskRig(snapshot=None)
    rig.platform.card_answer = card_view(CardStatus.LOST)
    task = start(rig)
    assert task.view().choose("1")  # reissue
    assert task.view().choose("2")  # Jinshui
    assert "card_life.pickup_at.jinshui" in [m.id for m in task.view().spoken()]
    assert task.view().choose("1")
    rig.run()
    assert rig.outbox.items[-1] == ("reissue", {"pickup": "jinshui-district-hall"}, "t-1")
    assert rig.printer.jobs[-1].receipt.title == "社会保障卡补领新卡回执"  # type: ignore[union-attr]
    rig2 = KioskRig()
    task2 = start(rig2)
    assert task2.view().choose("2")  # replacement
    assert task2.view().choose("1")  # damaged
    assert task2.view().choose("1")  # city hall
    assert task2.back() and task2.view().heading.id == "card_life.heading"  # back cancels
    assert rig2.outbox.items == []
    assert task2.view().choose("2")
    assert task2.view().choose("1")
    assert task2.view().choose("1")
    assert task2.view().choose("1")
    rig2.run()
    assert rig2.outbox.items == [
        ("replacement", {"reason": "damaged", "pickup": "zhengzhou-city-hall"}, "t-1")
    ]


def test_lifting_and_progress_in_words() -> None:
    rig = KioskRig(snapshot=None)
    rig.platform.card_answer = card_view(CardStatus.TEMPORARILY_LOST, (reissue_request(),))
    task = start(rig)
    assert task.view().choose("3")
    progress = [m.id for m in task.view().spoken()]
    assert "card_life.step.reviewed" in progress and "card_life.next.in_production" in progress
    task.back()
    assert task.view().choose("1")
    assert task.view().panels[1].lines[0].id == "card_life.effect.lifting"
    assert task.view().choose("1")
    rig.run()
    assert rig.outbox.items == [("loss_lifting", {}, "t-1")]


def test_a_new_pin_goes_to_the_chip_and_every_pin_is_wiped() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("3")
    entry = task.view()
    assert isinstance(entry, PinEntry)
    short = bytearray(b"12")
    entry.submit(short)
    assert short == bytearray(2) and task.view().hint is not None
    old, new, again = bytearray(b"123456"), bytearray(b"654321"), bytearray(b"654321")
    task.view().submit(old)  # type: ignore[attr-defined]
    task.view().submit(new)  # type: ignore[attr-defined]
    task.view().submit(again)  # type: ignore[attr-defined]
    assert again == bytearray(6)
    summary = task.view()  # a summary first: nothing is on the chip yet
    assert summary.heading.id == "card_life.confirm_heading" and rig.card.changes == []
    assert summary.panels[1].lines[0].id == "card_life.effect.pin"
    assert summary.choose("1")
    sent_old, sent_new, on_done, _ = rig.card.changes[0]
    assert (sent_old, sent_new) == (b"123456", b"654321")
    on_done(None)
    assert old == bytearray(6) and new == bytearray(6)
    assert task.view().hint is not None and task.view().hint.id == "card_life.pin.done"
    rig.run()
    receipt = rig.printer.jobs[0].receipt  # type: ignore[union-attr]
    assert receipt.title == "社会保障卡密码修改回执"
    assert "654321" not in repr(receipt) and "123456" not in repr(receipt)
    assert task.view().panels[0].title.id == "slip.printed"


def test_a_pin_change_can_be_cancelled_at_its_summary_and_paper_out_is_said() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("3")
    old, new, again = bytearray(b"123456"), bytearray(b"654321"), bytearray(b"654321")
    for pin in (old, new, again):
        task.view().submit(pin)  # type: ignore[attr-defined]
    assert task.view().choose("2")  # cancel: nothing written, every PIN wiped
    assert rig.card.changes == [] and old == bytearray(6) and new == bytearray(6)
    assert task.view().hint is not None and task.view().hint.id == "card_life.hint.menu"
    assert rig.printer is not None
    rig.printer.paper_out = True
    assert task.view().choose("3")
    for digits in (b"123456", b"654321", b"654321"):
        task.view().submit(bytearray(digits))  # type: ignore[attr-defined]
    assert task.view().choose("1")
    rig.card.changes[0][2](None)
    rig.run()
    done = task.view()
    assert done.panels[0].title.id == "card_life.pin.slip"
    assert done.panels[0].lines[0].id == "error.printer.paper_out"
    assert [c.label.id for c in done.choices] == ["slip.print_again", "task.done"]
    rig.printer.paper_out = False
    assert done.choose("1")
    rig.run()
    assert task.view().panels[0].title.id == "slip.printed"


def test_pin_mismatch_and_a_wrong_old_pin_are_said() -> None:
    rig = KioskRig()
    task = start(rig)
    assert task.view().choose("3")
    task.view().submit(bytearray(b"123456"))  # type: ignore[attr-defined]
    task.view().submit(bytearray(b"654321"))  # type: ignore[attr-defined]
    task.view().submit(bytearray(b"111111"))  # type: ignore[attr-defined]
    assert task.view().hint is not None and task.view().hint.id == "card_life.pin.error.mismatch"
    task.view().submit(bytearray(b"654321"))  # type: ignore[attr-defined]
    task.view().submit(bytearray(b"654321"))  # type: ignore[attr-defined]
    assert task.view().choose("1")
    rig.card.changes[0][3](WrongPin(tries_left=2))
    assert task.view().hint is not None and task.view().hint.id == "error.pin.wrong"
    task.close()


def test_without_an_outbox_the_summary_says_the_platform_is_unavailable() -> None:
    rig = KioskRig()
    task = CardLifeTask(replace(rig.context(), outbox=None))
    rig.run()
    assert task.view().choose("1")  # report the card lost
    assert task.view().choose("1")  # temporary
    assert task.view().choose("1")  # confirm
    summary = task.view()
    assert summary.heading.id == "card_life.confirm_heading"
    assert summary.hint is not None and summary.hint.id == "error.platform.unavailable"
    assert rig.outbox.items == []
    assert task.back() and task.view().heading.id == "card_life.heading"  # nothing was sent
