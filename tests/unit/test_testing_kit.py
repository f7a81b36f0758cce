"""The test kit's stand-ins behave as the ports they stand for (mypy checks their shape in
kiosk/testing/conformance.py; this checks what they do)."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import PinBlocked, PlatformUnavailable, WrongPin
from kiosk.domain.submission import OutboxState
from kiosk.testing.card import InstantCard, RecordingCard
from kiosk.testing.conformance import stand_ins
from kiosk.testing.data import SNAPSHOT
from kiosk.testing.platform import FakePlatform
from kiosk.testing.printing import FakeOutbox
from kiosk.testing.runner import InlineRunner, ManualRunner


def test_there_is_one_stand_in_for_each_port() -> None:
    assert set(stand_ins()) == {
        "runners",
        "cards",
        "clocks",
        "platform",
        "printer",
        "a4printer",
        "outbox",
    }


def test_the_cards_wipe_the_pin_they_are_handed() -> None:
    pin = bytearray(b"123456")
    RecordingCard().verify_pin(pin, lambda _: None, lambda _: None)
    assert pin == bytearray(6)
    answers: list[object] = []
    card = InstantCard(SNAPSHOT, pin="123456")
    for typed in (b"123456", b"111111"):
        card.verify_pin(bytearray(typed), answers.append, answers.append)
    card.blocked = True
    card.verify_pin(bytearray(b"123456"), answers.append, answers.append)
    assert answers[0] is None
    assert isinstance(answers[1], WrongPin) and isinstance(answers[2], PinBlocked)


def test_a_held_job_runs_when_told_and_its_error_reaches_on_error() -> None:
    runner, done, failed = ManualRunner(), [], []
    platform = FakePlatform(errors={"catalog": PlatformUnavailable()})
    runner.run(platform.catalog, done.append, failed.append)
    runner.run(lambda: 2, done.append, failed.append)
    assert done == failed == []
    runner.finish_all()
    assert done == [2] and isinstance(failed[0], PlatformUnavailable)
    assert platform.calls == ["catalog"]
    with pytest.raises(ZeroDivisionError):  # only the platform's errors are answers
        InlineRunner().run(lambda: 1 / 0, done.append, failed.append)


def test_the_outbox_numbers_what_is_filed_and_answers_in_its_state() -> None:
    outbox = FakeOutbox()
    outbox.state = OutboxState.QUEUED
    first = outbox.submit("complaint", {"text": "排队"}, token="t-1")
    second = outbox.submit("reissue", {})
    assert (first.tracking_number, second.tracking_number) == (
        "C-TEST-0000-0001",
        "R-TEST-0000-0002",
    )
    assert first.state is OutboxState.QUEUED
    assert outbox.items[0] == ("complaint", {"text": "排队"}, "t-1")
