"""The privacy notice (Art. 13) in the session flow alone, without Qt: before the first personal
data of every way in, accepted with one press, once per session, and declined without a trace."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from kiosk_fakes import SNAPSHOT, TODAY, Clock, FakeCard, FakePlatform, ManualRunner

from kiosk.domain.errors import CardNotInService
from kiosk.domain.privacy import COMPLAINT_CONTACT_DAYS, SESSION_RECORD_DAYS
from kiosk.flows.lost_card import LostCardTask
from kiosk.flows.privacy import privacy_notice
from kiosk.flows.session import SessionFlow, Step


@dataclass
class Rig:
    flow: SessionFlow
    card: FakeCard
    platform: FakePlatform
    runner: ManualRunner
    clock: Clock

    def insert_and_read(self) -> None:
        self.flow.card_inserted()
        self.card.reads[-1][0](SNAPSHOT)

    def press(self, digit: str) -> None:
        """A choice of the notice as its screen offers it."""
        content = privacy_notice(self.flow)
        next(c for c in content.choices if c.digit == digit).action()


@pytest.fixture
def rig() -> Rig:
    card, platform, runner, clock = FakeCard(), FakePlatform(), ManualRunner(), Clock()
    flow = SessionFlow(
        card,
        platform,
        runner,
        clock,
        timeout_s=120,
        warning_s=30,
        today=lambda: TODAY,
        privacy_notice=True,
    )
    return Rig(flow, card, platform, runner, clock)


def test_the_notice_says_what_is_read_what_for_and_how_long_it_is_kept(rig: Rig) -> None:
    rig.insert_and_read()
    assert rig.flow.step is Step.PRIVACY
    content = privacy_notice(rig.flow)
    said = [m.id for m in content.spoken()]
    for part in ("read", "purpose", "kept"):
        assert f"notice.privacy.{part}.title" in said and f"notice.privacy.{part}" in said
    kept = next(line for p in content.panels for line in p.lines if line.id.endswith("kept"))
    assert kept.params == {"days": SESSION_RECORD_DAYS, "contact_days": COMPLAINT_CONTACT_DAYS}
    assert [c.label.id for c in content.choices] == [
        "notice.privacy.accept",
        "notice.privacy.decline",
    ]


def test_with_the_card_it_comes_before_the_pin_and_once_per_session(rig: Rig) -> None:
    rig.insert_and_read()
    assert rig.flow.step is Step.PRIVACY
    rig.flow.submit_pin(bytearray(b"123456"))  # a PIN typed over the notice goes nowhere
    assert rig.card.pins == []
    rig.flow.home()  # nor does home skip it
    assert rig.flow.step is Step.PRIVACY
    rig.press("1")
    assert rig.flow.step is Step.PIN and rig.flow.privacy_accepted
    rig.flow.submit_pin(bytearray(b"123456"))
    rig.card.pins[-1][1](None)
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME  # not asked again when the session opens
    # The next card is a new session: asked again.
    rig.flow.card_removed()
    rig.insert_and_read()
    assert rig.flow.step is Step.PRIVACY and not rig.flow.privacy_accepted


def test_declining_ends_before_anything_is_shown(rig: Rig) -> None:
    rig.insert_and_read()
    rig.press("2")
    assert rig.flow.step is Step.TAKE_CARD
    assert rig.flow.snapshot is None and rig.flow.session is None
    assert rig.platform.opened == []


def test_left_unanswered_it_times_out_like_any_session_screen(rig: Rig) -> None:
    rig.insert_and_read()
    rig.clock.now += 121
    rig.flow.tick()
    assert rig.flow.step is Step.TAKE_CARD and rig.flow.snapshot is None


def test_signed_in_by_e_code_it_comes_before_home(rig: Rig) -> None:
    rig.flow.sign_in_by_ecode("DEMO-ECODE")
    rig.runner.finish_all()
    assert rig.flow.step is Step.PRIVACY and rig.flow.session is not None
    rig.press("1")
    assert rig.flow.step is Step.HOME


def test_without_the_card_it_comes_before_the_id_number_and_holds_for_the_e_code(
    rig: Rig,
) -> None:
    rig.flow.start_without_card()
    assert rig.flow.step is Step.PRIVACY
    rig.press("1")
    assert rig.flow.step is Step.TASK and isinstance(rig.flow.task, LostCardTask)
    # Signing in by e-code from there is the same visit: not asked twice.
    rig.flow.sign_in_by_ecode("DEMO-ECODE")
    rig.runner.finish_all()
    assert rig.flow.step is Step.HOME


def test_a_lost_card_is_offered_lifting_only_after_the_notice(rig: Rig) -> None:
    rig.platform.session = CardNotInService("temporarily_lost")
    rig.insert_and_read()
    assert rig.flow.step is Step.PRIVACY
    rig.press("1")
    rig.flow.submit_pin(bytearray(b"123456"))
    rig.card.pins[-1][1](None)
    rig.runner.finish_all()
    assert rig.flow.step is Step.TASK  # the lifting task, the notice already read


def test_off_it_is_never_shown() -> None:
    card, runner = FakeCard(), ManualRunner()
    flow = SessionFlow(card, FakePlatform(), runner, Clock(), today=lambda: TODAY)
    flow.card_inserted()
    card.reads[-1][0](SNAPSHOT)
    assert flow.step is Step.PIN


def test_at_the_counter_staff_find_no_resident_until_the_notice_is_accepted(rig: Rig) -> None:
    from kiosk.counter.customer import SessionCustomer

    customer = SessionCustomer(rig.flow, rig.platform)
    rig.flow.sign_in_by_ecode("DEMO-ECODE")
    rig.runner.finish_all()
    assert rig.flow.session is not None and not customer.resident_present()
    rig.press("1")
    assert customer.resident_present()
