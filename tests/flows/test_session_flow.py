"""The session flow alone, with no Qt: every branch of the thin path, on an injected clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest
from kiosk_fakes import (
    SESSION,
    SNAPSHOT,
    TODAY,
    Clock,
    FakeCard,
    FakePlatform,
    ManualRunner,
)

from kiosk.api_contract import Reason
from kiosk.domain.card import CardSnapshot
from kiosk.domain.errors import (
    CardMisread,
    CardNotInService,
    NotSocialSecurityCard,
    PinBlocked,
    PlatformRejected,
    PlatformUnavailable,
    WrongPin,
)
from kiosk.flows.session import SessionFlow, Step


@dataclass
class Rig:
    flow: SessionFlow
    card: FakeCard
    platform: FakePlatform
    runner: ManualRunner
    clock: Clock
    seen: list[Step]

    def insert_and_read(self, snapshot: CardSnapshot = SNAPSHOT) -> None:
        self.flow.card_inserted()
        on_done, _ = self.card.reads[-1]
        on_done(snapshot)

    def enter_pin(self, pin: str = "123456") -> None:
        self.flow.submit_pin(bytearray(pin.encode()))

    def pin_ok(self) -> None:
        _, on_done, _ = self.card.pins[-1]
        on_done(None)
        self.runner.finish_all()

    def to_home(self) -> None:
        self.insert_and_read()
        self.enter_pin()
        self.pin_ok()
        assert self.flow.step is Step.HOME


@pytest.fixture
def rig() -> Rig:
    card, platform, runner, clock = FakeCard(), FakePlatform(), ManualRunner(), Clock()
    flow = SessionFlow(
        card, platform, runner, clock, timeout_s=120, warning_s=30, today=lambda: TODAY
    )
    seen: list[Step] = []
    flow.add_listener(lambda f: seen.append(f.step))
    return Rig(flow, card, platform, runner, clock, seen)


def test_thin_path_from_card_to_catalog_and_out(rig: Rig) -> None:
    flow = rig.flow
    assert flow.step is Step.ATTRACT
    flow.card_inserted()
    assert flow.step is Step.READING
    rig.card.reads[-1][0](SNAPSHOT)
    assert flow.step is Step.PIN
    rig.enter_pin("123456")
    assert flow.step is Step.VERIFYING
    assert rig.card.pins[-1][0] == b"123456"
    rig.pin_ok()
    assert flow.step is Step.HOME
    assert rig.platform.opened == [(SNAPSHOT.card.identifier, SNAPSHOT.card.number)]
    assert flow.greeting_name == "王**"
    flow.open_catalog()
    assert flow.busy
    rig.runner.finish_all()
    assert flow.step is Step.CATALOG
    assert flow.catalog is not None and len(flow.catalog.categories) == 13
    flow.choose_category(6)
    assert flow.step is Step.CATEGORY
    assert flow.category is not None and flow.category.items[0].id == "bus"
    flow.back()
    assert flow.step is Step.CATALOG
    flow.back()
    assert flow.step is Step.HOME
    flow.logout()
    rig.runner.finish_all()
    assert flow.step is Step.TAKE_CARD
    assert rig.platform.closed == ["t-1"]
    assert flow.session is None and flow.snapshot is None
    flow.card_removed()
    assert flow.step is Step.ATTRACT


def test_the_catalog_is_loaded_once_per_session(rig: Rig) -> None:
    rig.to_home()
    rig.flow.open_catalog()
    rig.runner.finish_all()
    rig.flow.back()
    rig.flow.open_catalog()
    assert rig.flow.step is Step.CATALOG
    assert rig.platform.catalog_calls == 1


def test_the_pin_buffer_handed_over_is_wiped(rig: Rig) -> None:
    rig.insert_and_read()
    pin = bytearray(b"123456")
    rig.flow.submit_pin(pin)
    assert pin == bytearray(6)


@pytest.mark.parametrize("pin", ["12345", "1234567", "12a456", ""])
def test_a_pin_of_the_wrong_shape_never_reaches_the_card(rig: Rig, pin: str) -> None:
    rig.insert_and_read()
    buffer = bytearray(pin.encode())
    rig.flow.submit_pin(buffer)
    assert rig.card.pins == []
    assert rig.flow.step is Step.PIN
    assert rig.flow.pin_error is not None and rig.flow.pin_error.id == "pin.error.length"
    assert buffer == bytearray(len(pin))


def test_wrong_pin_counts_down_then_blocks(rig: Rig) -> None:
    rig.insert_and_read()
    rig.enter_pin("111111")
    rig.card.pins[-1][2](WrongPin(tries_left=3))
    assert rig.flow.step is Step.PIN
    assert rig.flow.pin_error is not None
    assert rig.flow.pin_error.id == "pin.error.wrong"
    assert rig.flow.pin_error.params == {"tries": 3}
    rig.enter_pin("222222")
    rig.card.pins[-1][2](WrongPin(tries_left=1))
    # Low on tries, the warning changes to say what happens next.
    assert rig.flow.pin_error.id == "pin.error.wrong_low"
    rig.enter_pin("333333")
    rig.card.pins[-1][2](PinBlocked())
    # What to do about it is a task of its own (tests/flows/test_card_problems.py).
    assert rig.flow.step is Step.TASK
    assert type(rig.flow.task).__name__ == "PinBlockedTask"
    assert rig.flow.session is None
    assert rig.platform.opened == []


@pytest.mark.parametrize(
    ("error", "message_id"),
    [
        (NotSocialSecurityCard(), "error.card.not_ssc"),
        (CardMisread(), "error.card.misread"),
    ],
)
def test_a_card_that_cannot_be_read_is_told_in_words(rig: Rig, error, message_id) -> None:
    rig.flow.card_inserted()
    rig.card.reads[-1][1](error)
    assert rig.flow.step is Step.NOTICE
    assert rig.flow.notice is not None and rig.flow.notice.id == message_id


def test_an_expired_card_still_asks_for_its_pin(rig: Rig) -> None:
    """The PIN proves the holder, who may then ask for the replacement (card_problems)."""
    expired = replace(SNAPSHOT, card=replace(SNAPSHOT.card, expires=dt.date(2026, 11, 26)))
    rig.insert_and_read(expired)
    assert rig.flow.step is Step.PIN
    assert rig.flow.snapshot is expired


# A lost card is offered lifting instead (tests/flows/test_session_without_card.py), an expired
# one its replacement (tests/flows/test_card_problems.py).
@pytest.mark.parametrize(("status", "message_id"), [("cancelled", "notice.card_cancelled")])
def test_a_card_out_of_service_is_named_by_its_status(rig: Rig, status, message_id) -> None:
    rig.platform.session = CardNotInService(status)
    rig.insert_and_read()
    rig.enter_pin()
    rig.pin_ok()
    assert rig.flow.step is Step.NOTICE
    assert rig.flow.notice is not None and rig.flow.notice.id == message_id
    assert not rig.flow.can_retry


def test_an_unknown_card_is_sent_to_the_counter(rig: Rig) -> None:
    # The code as the platform sends it (kiosk.api_contract), not as it was once spelt.
    rig.platform.session = PlatformRejected(Reason.CARD_UNKNOWN)
    rig.insert_and_read()
    rig.enter_pin()
    rig.pin_ok()
    assert rig.flow.notice is not None and rig.flow.notice.id == "notice.card_unknown"
    assert not rig.flow.can_retry  # trying again cannot help


def test_platform_down_at_login_offers_a_retry_without_the_pin_again(rig: Rig) -> None:
    rig.platform.session = PlatformUnavailable()
    rig.insert_and_read()
    rig.enter_pin()
    rig.pin_ok()
    assert rig.flow.step is Step.NOTICE
    assert rig.flow.notice is not None and rig.flow.notice.id == "error.platform.unavailable"
    assert rig.flow.can_retry
    rig.platform.session = SESSION
    rig.flow.retry()
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME
    assert len(rig.card.pins) == 1


def test_platform_down_for_the_catalog_keeps_the_session(rig: Rig) -> None:
    rig.platform.catalog_answer = PlatformUnavailable()
    rig.to_home()
    rig.flow.open_catalog()
    rig.runner.finish_all()
    assert rig.flow.step is Step.NOTICE and rig.flow.can_retry
    assert rig.flow.session is not None
    rig.flow.back()
    assert rig.flow.step is Step.HOME


@pytest.mark.parametrize("moment", ["reading", "pin", "verifying", "home", "catalog"])
def test_removing_the_card_ends_everything_at_any_point(rig: Rig, moment: str) -> None:
    flow = rig.flow
    flow.card_inserted()
    if moment != "reading":
        rig.card.reads[-1][0](SNAPSHOT)
    if moment in ("verifying", "home", "catalog"):
        rig.enter_pin()
    if moment in ("home", "catalog"):
        rig.pin_ok()
    if moment == "catalog":
        flow.open_catalog()
        rig.runner.finish_all()
    flow.card_removed()
    rig.runner.finish_all()
    assert flow.step is Step.ATTRACT
    assert flow.snapshot is None and flow.session is None and flow.catalog is None
    assert flow.greeting_name == ""
    if moment in ("home", "catalog"):
        assert rig.platform.closed == ["t-1"]


def test_answers_that_arrive_after_the_card_left_are_dropped(rig: Rig) -> None:
    rig.flow.card_inserted()
    late_read = rig.card.reads[-1][0]
    rig.flow.card_removed()
    late_read(SNAPSHOT)
    assert rig.flow.step is Step.ATTRACT
    assert rig.flow.snapshot is None


def test_a_late_session_answer_after_removal_opens_nothing(rig: Rig) -> None:
    rig.insert_and_read()
    rig.enter_pin()
    rig.card.pins[-1][1](None)  # PIN fine; the platform call is queued, not yet answered
    rig.flow.card_removed()
    rig.runner.finish_all()
    assert rig.flow.step is Step.ATTRACT
    assert rig.flow.session is None


def test_inactivity_warns_then_ends_the_session(rig: Rig) -> None:
    rig.to_home()
    rig.clock.now += 89
    rig.flow.tick()
    assert not rig.flow.warning_shown
    rig.clock.now += 2  # 29 s left: inside the 30 s warning
    rig.flow.tick()
    assert rig.flow.warning_shown
    rig.flow.activity()  # one press extends
    assert rig.flow.seconds_left() == pytest.approx(120)
    assert not rig.flow.warning_shown
    rig.clock.now += 120
    rig.flow.tick()
    rig.runner.finish_all()
    assert rig.flow.step is Step.TAKE_CARD
    assert rig.flow.notice is not None and rig.flow.notice.id == "notice.timed_out"
    assert rig.flow.session is None and rig.flow.snapshot is None
    assert rig.platform.closed == ["t-1"]


def test_the_elderly_mode_doubles_the_timeouts(rig: Rig) -> None:
    rig.flow.timeout_scale = 2.0
    rig.to_home()
    rig.clock.now += 200
    rig.flow.tick()
    assert rig.flow.step is Step.HOME
    assert rig.flow.seconds_left() == pytest.approx(40)
    assert rig.flow.warning_shown  # the warning is doubled too: 60 s


def test_no_timer_runs_on_the_attract_screen(rig: Rig) -> None:
    rig.clock.now += 10_000
    rig.flow.tick()
    assert rig.flow.step is Step.ATTRACT
    assert rig.flow.seconds_left() is None


def test_reader_availability_is_shown(rig: Rig) -> None:
    rig.flow.reader_changed(False, None)
    assert rig.flow.reader_available is False
    rig.flow.reader_changed(True, "Reader 0")
    assert rig.flow.reader_available is True
    assert rig.seen[-1] is Step.ATTRACT


def test_a_new_card_starts_a_new_session(rig: Rig) -> None:
    rig.to_home()
    rig.flow.card_inserted()
    rig.runner.finish_all()
    assert rig.flow.step is Step.READING
    assert rig.flow.session is None
    assert rig.platform.closed == ["t-1"]


class StubTask:
    """A task with two screens, recording what the session asks of it."""

    def __init__(self, context) -> None:
        self.context = context
        self.screen = 1
        self.closed = False

    def view(self):
        from kiosk.domain.messages import msg
        from kiosk.flows.view import Content

        return Content(msg("home.heading", name=""))

    def screen_key(self):
        return (self.screen,)

    def back(self) -> bool:
        if self.screen > 1:
            self.screen -= 1
            return True
        return False

    def close(self) -> None:
        self.closed = True


def test_a_task_starts_from_home_and_back_returns_there(rig: Rig) -> None:
    rig.to_home()
    tasks: list[StubTask] = []
    rig.flow.start_task(lambda context: tasks.append(StubTask(context)) or tasks[-1])
    assert rig.flow.step is Step.TASK
    task = tasks[0]
    assert task.context.session is rig.flow.session
    task.screen = 2
    rig.flow.back()
    assert rig.flow.step is Step.TASK and task.screen == 1
    rig.flow.back()
    assert rig.flow.step is Step.HOME and task.closed and rig.flow.task is None


def test_a_task_cannot_start_without_a_session(rig: Rig) -> None:
    rig.flow.start_task(StubTask)
    assert rig.flow.step is Step.ATTRACT and rig.flow.task is None


def test_the_card_leaving_closes_the_task_and_mutes_its_late_answers(rig: Rig) -> None:
    rig.to_home()
    rig.flow.start_task(StubTask)
    task = rig.flow.task
    assert isinstance(task, StubTask)
    seen_before = len(rig.seen)
    rig.flow.card_removed()
    assert task.closed and rig.flow.task is None and rig.flow.step is Step.ATTRACT
    changes = len(rig.seen)
    task.context.changed()  # an answer that arrives after the card left
    task.context.finish()
    assert len(rig.seen) == changes > seen_before
    assert rig.flow.step is Step.ATTRACT


@pytest.mark.parametrize("where", ["attract", "pin", "home"])
def test_staff_can_be_called_from_any_screen(rig: Rig, where: str) -> None:
    if where in ("pin", "home"):
        rig.insert_and_read()
    if where == "home":
        rig.enter_pin()
        rig.pin_ok()
    rig.flow.call_staff()
    assert rig.flow.staff_call == "sending"
    rig.runner.finish_all()
    assert rig.flow.staff_call == "called"
    assert rig.platform.assistance == [rig.flow.step.value]
    rig.clock.now += 181
    rig.flow.tick()
    assert rig.flow.staff_call is None


def test_a_call_that_does_not_reach_the_platform_says_so(rig: Rig) -> None:
    rig.platform.assistance_fails = PlatformUnavailable()
    rig.flow.call_staff()
    rig.runner.finish_all()
    assert rig.flow.staff_call == "failed"
