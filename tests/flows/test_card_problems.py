"""An expired card asks for its replacement; a blocked PIN is explained, and reset at a counter.

The session flow and the tasks of kiosk.flows.card_problems alone, no Qt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from kiosk_fakes import SNAPSHOT, TODAY, Clock, FakeCard, FakePlatform, ManualRunner
from task_fakes import FakePrinter, choose, ids

from kiosk.domain.errors import CardNotInService, CardRemoved, PinBlocked, SecureAccessRequired
from kiosk.domain.receipt import Columns, Text
from kiosk.domain.submission import OutboxState, SubmissionReceipt
from kiosk.flows.card_problems import ExpiredCardTask, PinBlockedTask, PinResetTask
from kiosk.flows.session import SessionFlow, Step
from kiosk.flows.view import PinEntry

EXPIRED = replace(SNAPSHOT, card=replace(SNAPSHOT.card, expires=dt.date(2026, 11, 26)))


@dataclass
class RecordingOutbox:
    state: OutboxState = OutboxState.DELIVERED
    items: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    reserved: list[str] = field(default_factory=list)

    def submit(self, kind: str, body: dict[str, Any], **kw: Any) -> SubmissionReceipt:
        self.items.append((kind, dict(body), kw))
        return SubmissionReceipt("R-EXPD-0000-0001", self.state)

    def reserve(self, token: str) -> None:
        self.reserved.append(token)


@dataclass
class Rig:
    flow: SessionFlow
    card: FakeCard
    platform: FakePlatform
    runner: ManualRunner
    outbox: RecordingOutbox
    printer: FakePrinter

    def content(self):
        assert self.flow.task is not None
        return self.flow.task.view()

    def read(self, snapshot=SNAPSHOT) -> None:
        self.flow.card_inserted()
        self.card.reads[-1][0](snapshot)

    def pin(self, digits: str = "123456") -> None:
        self.flow.submit_pin(bytearray(digits.encode()))


@pytest.fixture
def rig() -> Rig:
    card, platform, runner = FakeCard(), FakePlatform(), ManualRunner()
    outbox, printer = RecordingOutbox(), FakePrinter()
    flow = SessionFlow(
        card, platform, runner, Clock(), today=lambda: TODAY, printer=printer, outbox=outbox
    )
    return Rig(flow, card, platform, runner, outbox, printer)


# --- the expired card ------------------------------------------------------------------------


def _expired_after_pin(rig: Rig) -> None:
    rig.platform.session = CardNotInService("expired")
    rig.read(EXPIRED)
    assert rig.flow.step is Step.PIN
    rig.pin()
    rig.card.pins[-1][1](None)
    rig.runner.finish_all()


def test_an_expired_card_offers_its_replacement_after_the_pin_and_nothing_else(rig: Rig) -> None:
    _expired_after_pin(rig)
    assert rig.flow.step is Step.TASK and isinstance(rig.flow.task, ExpiredCardTask)
    assert rig.flow.session is None  # nothing that needs a valid card can open
    offer = rig.content()
    assert offer.heading.id == "card_problems.expired.heading"
    assert [c.label.id for c in offer.choices] == [
        "card_problems.expired.ask",
        "card_problems.expired.not_now",
    ]
    assert offer.panels[0].lines[1].id == "card_problems.expired.on"
    choose(offer, "1")
    choose(rig.content(), "2")  # the second hall
    summary = rig.content()
    assert summary.heading.id == "card_life.confirm_heading"
    assert [line.id for line in summary.panels[0].lines] == [
        "card_status.number",
        "card_life.reason.expired",
        "card_life.pickup_at.jinshui",
    ]
    assert rig.outbox.items == []  # nothing before the resident confirms
    choose(summary, "1")
    rig.runner.finish_all()
    ((kind, body, kw),) = rig.outbox.items
    assert kind == "replacement"
    assert body == {"reason": "expired", "pickup": "jinshui-district-hall"}
    # In a session acting on the card's life only, opened after the PIN and closed again.
    assert kw["token"] == "card-life" and rig.platform.closed[-1] == "card-life"
    sent = rig.content()
    assert sent.hint is not None and sent.hint.id == "submit.delivered"
    (job,) = rig.printer.jobs
    assert job.receipt.title == "社会保障卡换领新卡回执"
    assert Columns("换领原因", "卡片到期") in job.receipt.blocks
    choose(sent, "1")  # done
    assert rig.flow.step is Step.TAKE_CARD and rig.flow.task is None


def test_the_replacement_can_be_cancelled_and_back_walks_the_steps(rig: Rig) -> None:
    _expired_after_pin(rig)
    choose(rig.content(), "1")
    choose(rig.content(), "1")
    rig.flow.back()
    assert rig.content().heading.id == "card_life.kind.replacement"  # the halls again
    choose(rig.content(), "3")
    choose(rig.content(), "2")  # cancel
    assert rig.content().heading.id == "card_problems.expired.heading"
    choose(rig.content(), "2")  # not now
    assert rig.flow.step is Step.TAKE_CARD
    assert rig.outbox.items == []


def test_home_ends_it_as_it_ends_any_task_before_sign_in(rig: Rig) -> None:
    _expired_after_pin(rig)
    choose(rig.content(), "1")
    rig.flow.home()
    assert rig.flow.step is Step.TAKE_CARD and rig.flow.task is None


def test_a_replacement_already_under_way_is_said(rig: Rig) -> None:
    rig.outbox.state = OutboxState.REJECTED
    _expired_after_pin(rig)
    choose(rig.content(), "1")
    choose(rig.content(), "1")
    choose(rig.content(), "1")
    rig.runner.finish_all()
    assert rig.content().hint.id == "card_problems.expired.refused"
    assert rig.printer.jobs == []


def test_a_chip_date_in_the_past_with_a_card_the_platform_serves_goes_home(rig: Rig) -> None:
    rig.read(EXPIRED)
    rig.pin()
    rig.card.pins[-1][1](None)
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME


# --- the blocked PIN at a kiosk --------------------------------------------------------------


def _blocked(rig: Rig) -> None:
    rig.read()
    rig.pin("000000")
    rig.card.pins[-1][2](PinBlocked())


def test_a_blocked_pin_says_what_to_bring_and_prints_it(rig: Rig) -> None:
    _blocked(rig)
    assert rig.flow.step is Step.TASK and isinstance(rig.flow.task, PinBlockedTask)
    screen = rig.content()
    said = ids(screen)
    assert "card_problems.blocked.hint" in said
    assert "card_problems.blocked.bring.id_card" in said
    assert [c.label.id for c in screen.choices] == [
        "card_problems.blocked.print",
        "card_problems.finish",
    ]
    choose(screen, "1")
    rig.runner.finish_all()
    (job,) = rig.printer.jobs
    assert job.receipt.title == "社会保障卡密码锁定办理须知"
    texts = [b.text for b in job.receipt.blocks if isinstance(b, Text)]
    assert any("居民身份证" in text for text in texts)
    # no name on it, the number masked
    assert SNAPSHOT.holder is not None
    assert SNAPSHOT.holder.name not in str(job.receipt)
    assert SNAPSHOT.card.number not in str(job.receipt)
    printed = rig.content()
    assert printed.panels[0].title.id == "slip.printed"
    choose(printed, "1")
    assert rig.flow.step is Step.TAKE_CARD


def test_paper_out_keeps_the_list_on_screen_and_offers_to_print_again(rig: Rig) -> None:
    rig.printer.paper_out = True
    _blocked(rig)
    choose(rig.content(), "1")
    rig.runner.finish_all()
    screen = rig.content()
    assert screen.panels[0].title.id == "card_problems.blocked.bring"
    assert screen.panels[0].lines[0].id == "error.printer.paper_out"
    assert screen.panels[0].lines[2].id == "card_problems.blocked.bring.id_card"
    assert [c.label.id for c in screen.choices] == ["slip.print_again", "card_problems.finish"]
    rig.printer.paper_out = False
    choose(screen, "1")
    rig.runner.finish_all()
    assert len(rig.printer.jobs) == 1


# --- the blocked PIN at a counter ------------------------------------------------------------


def test_at_a_counter_the_blocked_pin_waits_for_staff_then_takes_a_new_pin(rig: Rig) -> None:
    rig.flow.at_counter = True
    _blocked(rig)
    waiting = rig.content()
    assert waiting.hint is not None and waiting.hint.id == "card_problems.blocked.counter_hint"
    assert rig.flow.card_for_pin_reset() is SNAPSHOT
    reported: list[bool] = []
    assert rig.flow.start_pin_reset(reported.append)
    assert isinstance(rig.flow.task, PinResetTask)
    first = rig.content()
    assert isinstance(first, PinEntry) and first.hint.id == "card_problems.reset.new"
    first.submit(bytearray(b"111111"))  # one digit six times: refused
    assert rig.content().hint.id == "card_problems.reset.error.simple"
    rig.content().submit(bytearray(b"135790"))
    rig.content().submit(bytearray(b"135799"))  # not the same twice
    assert rig.content().hint.id == "card_life.pin.error.mismatch"
    rig.content().submit(bytearray(b"135790"))
    again = rig.content()
    again.submit(bytearray(b"135790"))
    summary = rig.content()
    assert summary.panels[1].lines[0].id == "card_problems.reset.effect"
    assert rig.card.resets == []  # nothing on the chip before the resident confirms
    choose(summary, "1")
    ((new, on_done, _),) = rig.card.resets
    assert new == b"135790"
    assert rig.content().hint.id == "card_life.pin.working"
    on_done(None)
    rig.runner.finish_all()
    assert reported == [True]
    done = rig.content()
    assert done.hint.id == "card_problems.reset.done"
    assert rig.printer.jobs[0].receipt.title == "社会保障卡密码重置回执"
    assert "135790" not in str(rig.printer.jobs[0].receipt)
    choose(done, "1")  # sign in with the new PIN
    assert rig.flow.step is Step.PIN and rig.flow.task is None
    rig.pin("135790")
    rig.card.pins[-1][1](None)
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME
    assert reported == [True]


def test_a_chip_that_refuses_the_new_pin_is_reported_and_said(rig: Rig) -> None:
    rig.flow.at_counter = True
    _blocked(rig)
    reported: list[bool] = []
    rig.flow.start_pin_reset(reported.append)
    rig.content().submit(bytearray(b"246813"))
    rig.content().submit(bytearray(b"246813"))
    choose(rig.content(), "1")
    rig.card.resets[-1][2](SecureAccessRequired("6988"))
    assert reported == [False]
    assert rig.content().hint.id == "error.card.secure_access"
    choose(rig.content(), "1")
    assert rig.flow.step is Step.TAKE_CARD


def test_a_card_pulled_or_a_cancel_reports_nothing_written(rig: Rig) -> None:
    rig.flow.at_counter = True
    _blocked(rig)
    reported: list[bool] = []
    rig.flow.start_pin_reset(reported.append)
    rig.content().submit(bytearray(b"246813"))
    rig.flow.card_removed()
    assert reported == [False]
    assert rig.flow.card_for_pin_reset() is None
    assert not rig.flow.start_pin_reset(reported.append)
    # and a cancel on the summary
    _blocked(rig)
    later: list[bool] = []
    rig.flow.start_pin_reset(later.append)
    rig.content().submit(bytearray(b"246813"))
    rig.content().submit(bytearray(b"246813"))
    choose(rig.content(), "2")
    assert later == [False] and rig.card.resets == []


def test_no_reset_while_someone_is_signed_in(rig: Rig) -> None:
    rig.read()
    rig.pin()
    rig.card.pins[-1][1](None)
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME
    assert rig.flow.card_for_pin_reset() is None
    assert not rig.flow.start_pin_reset(lambda _: None)


def test_a_card_error_on_the_chip_is_a_card_error(rig: Rig) -> None:
    rig.flow.at_counter = True
    _blocked(rig)
    reported: list[bool] = []
    rig.flow.start_pin_reset(reported.append)
    rig.content().submit(bytearray(b"246813"))
    rig.content().submit(bytearray(b"246813"))
    choose(rig.content(), "1")
    rig.card.resets[-1][2](CardRemoved())
    assert reported == [False]
    assert rig.content().hint.id == "error.card.removed"
