"""The session flow without a card in hand, and with a card reported lost (Art. 2), no Qt:
e-code sign-in from the attract screen, the card-less task, and lifting a loss report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from kiosk_fakes import (
    SESSION,
    SNAPSHOT,
    TODAY,
    Clock,
    FakeCard,
    FakePlatform,
    ManualRunner,
    present_card,
)
from task_fakes import FakePrinter, choose

from kiosk.domain.errors import CardNotInService, PlatformRejected, PlatformUnavailable
from kiosk.domain.submission import OutboxState, SubmissionReceipt
from kiosk.flows.found_card import LiftWithCardTask
from kiosk.flows.lost_card import LostCardTask
from kiosk.flows.session import SessionFlow, Step


@dataclass
class RecordingOutbox:
    state: OutboxState = OutboxState.DELIVERED
    items: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    reserved: list[str] = field(default_factory=list)

    def submit(self, kind: str, body: dict[str, Any], **kw: Any) -> SubmissionReceipt:
        self.items.append((kind, dict(body), kw))
        return SubmissionReceipt("R-LIFT-0000-0001", self.state)

    def reserve(self, token: str) -> None:
        self.reserved.append(token)


@dataclass
class Rig:
    flow: SessionFlow
    card: FakeCard
    platform: FakePlatform
    runner: ManualRunner
    clock: Clock
    outbox: RecordingOutbox
    printer: FakePrinter

    def content(self):
        assert self.flow.task is not None
        return self.flow.task.view()

    def lost_card_in(self, status: str) -> None:
        self.platform.session = CardNotInService(status)
        present_card(self.flow, self.card, self.runner)


@pytest.fixture
def rig() -> Rig:
    card, platform, runner, clock = FakeCard(), FakePlatform(), ManualRunner(), Clock()
    outbox, printer = RecordingOutbox(), FakePrinter()
    flow = SessionFlow(
        card,
        platform,
        runner,
        clock,
        timeout_s=120,
        warning_s=30,
        today=lambda: TODAY,
        printer=printer,
        outbox=outbox,
    )
    return Rig(flow, card, platform, runner, clock, outbox, printer)


def test_a_scan_on_the_attract_screen_signs_in_by_e_code(rig: Rig) -> None:
    rig.flow.ecode_scanned("DEMO-ECODE-A00000011")
    assert rig.flow.step is Step.VERIFYING
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME and rig.flow.session == SESSION
    assert rig.platform.ecodes == ["DEMO-ECODE-A00000011"] and rig.flow.snapshot is None
    # The outbox asks ahead for leave to deliver what this resident may file (Art. 16).
    assert rig.outbox.reserved == [SESSION.token]
    assert rig.flow.greeting_name == "王**"
    rig.flow.ecode_scanned("DEMO-ECODE-B00000022")  # at home a scan does nothing
    assert rig.platform.ecodes == ["DEMO-ECODE-A00000011"]
    rig.flow.logout()
    assert rig.flow.step is Step.ATTRACT  # no card to take


def test_a_bad_e_code_asks_for_it_again_saying_why(rig: Rig) -> None:
    rig.platform.ecode_session = PlatformRejected("ecode_invalid")
    rig.flow.ecode_scanned("EXPIRED-CODE")
    rig.runner.finish_all()
    assert rig.flow.step is Step.TASK and isinstance(rig.flow.task, LostCardTask)
    assert rig.content().hint is not None and rig.content().hint.id == "notice.ecode_invalid"
    rig.platform.ecode_session = PlatformUnavailable()
    rig.flow.ecode_scanned("ANOTHER-CODE")
    rig.runner.finish_all()
    assert rig.content().hint.id == "error.platform.unavailable"  # type: ignore[union-attr]
    rig.platform.ecode_session = SESSION
    rig.flow.ecode_scanned("GOOD-CODE")
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME


def test_the_card_less_task_starts_from_attract_and_leaves_by_back_or_cancel(rig: Rig) -> None:
    rig.flow.start_without_card()
    assert rig.flow.step is Step.TASK and isinstance(rig.flow.task, LostCardTask)
    assert rig.flow.session is None and rig.flow.seconds_left() == 120
    choose(rig.content(), "2")
    rig.flow.back()
    rig.flow.back()
    assert rig.flow.step is Step.ATTRACT and rig.flow.task is None
    rig.flow.start_without_card()
    choose(rig.content(), "2")
    rig.flow.home()  # the keypad's cancel key
    assert rig.flow.step is Step.ATTRACT


def test_sign_in_from_inside_the_task(rig: Rig) -> None:
    rig.flow.start_without_card()
    choose(rig.content(), "1")
    rig.flow.ecode_scanned("DEMO-ECODE-A00000011")
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME and rig.flow.task is None


def test_the_card_less_task_times_out_and_a_card_ends_it(rig: Rig) -> None:
    rig.flow.start_without_card()
    rig.clock.now += 121
    rig.flow.tick()
    assert rig.flow.step is Step.ATTRACT and rig.flow.task is None
    assert rig.flow.notice is not None and rig.flow.notice.id == "notice.timed_out"
    rig.flow.start_without_card()
    rig.flow.card_inserted()
    assert rig.flow.step is Step.READING and rig.flow.task is None


def test_a_lost_card_with_its_pin_is_offered_lifting_then_the_services(rig: Rig) -> None:
    rig.lost_card_in("temporarily_lost")
    assert rig.flow.step is Step.TASK and isinstance(rig.flow.task, LiftWithCardTask)
    summary = rig.content()
    assert summary.panels[0].title.id == "card_status.status.temporarily_lost"
    assert summary.panels[0].lines[0].params == {"number": "A0*****11"}
    assert summary.panels[1].lines[0].id == "card_life.effect.lifting"
    assert rig.outbox.items == []  # nothing before the resident confirms
    choose(summary, "1")
    rig.runner.finish_all()
    ((kind, body, kw),) = rig.outbox.items
    # Filed in a session that acts on the card's life only, opened for it after the PIN, and
    # closed again: never on the kiosk's word alone.
    assert kind == "loss_lifting" and body == {} and kw["token"] == "card-life"
    assert rig.platform.opened[-1] == (SNAPSHOT.card.identifier, SNAPSHOT.card.number)
    assert rig.platform.closed[-1] == "card-life"
    sent = rig.content()
    assert sent.hint is not None and sent.hint.id == "submit.delivered"
    assert rig.printer.jobs[0].receipt.title == "社会保障卡解除挂失回执"
    assert [c.label.id for c in sent.choices] == ["card_life.lift.continue", "task.done"]
    rig.platform.session = SESSION  # the platform has the card back in service
    choose(sent, "1")
    assert rig.flow.step is Step.VERIFYING
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME and rig.flow.task is None


def test_lifting_can_wait_and_the_card_is_taken(rig: Rig) -> None:
    rig.lost_card_in("temporarily_lost")
    choose(rig.content(), "2")  # not now
    assert rig.flow.step is Step.TAKE_CARD and rig.outbox.items == []


def test_a_queued_lifting_does_not_offer_the_services_yet(rig: Rig) -> None:
    rig.outbox.state = OutboxState.QUEUED
    rig.lost_card_in("temporarily_lost")
    choose(rig.content(), "1")
    rig.runner.finish_all()
    sent = rig.content()
    assert sent.hint is not None and sent.hint.id == "submit.queued"
    assert [c.label.id for c in sent.choices] == ["task.done"]
    choose(sent, "1")
    assert rig.flow.step is Step.TAKE_CARD


def test_a_formally_lost_card_is_not_offered_lifting(rig: Rig) -> None:
    # A formal report stops the card for good (kiosk.domain.card.ALLOWED): a new card instead.
    rig.lost_card_in("lost")
    assert rig.flow.step is Step.NOTICE and rig.flow.task is None
    assert rig.flow.notice is not None and rig.flow.notice.id == "notice.card_lost"
    assert rig.outbox.items == []


def test_a_refused_lifting_says_why(rig: Rig) -> None:
    rig.outbox.state = OutboxState.REJECTED
    rig.lost_card_in("temporarily_lost")
    choose(rig.content(), "1")
    rig.runner.finish_all()
    assert rig.content().hint is not None and rig.content().hint.id == "card_life.lift.refused"
    assert rig.printer.jobs == []


def test_a_cancelled_card_is_still_a_notice(rig: Rig) -> None:
    rig.lost_card_in("cancelled")
    assert rig.flow.step is Step.NOTICE
    assert rig.flow.notice is not None and rig.flow.notice.id == "notice.card_cancelled"
