"""What the platform runner and the card service still owe the flow (`pending`): the signal the UI
tests wait on instead of a quiet screen, and the runner's listener after each answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from kiosk.devices.card.service import CardService
from kiosk.domain.errors import CardMisread, KioskError
from kiosk.ui.bridge import QtDispatcher, QtTaskRunner


@pytest.fixture
def runner(qapp) -> QtTaskRunner:
    made = QtTaskRunner(QtDispatcher())
    yield made
    made.shutdown()


def test_pending_counts_a_call_until_its_answer_has_reached_the_flow(qtbot, runner) -> None:
    release = threading.Event()
    seen: list[object] = []
    order: list[str] = []
    runner.add_finished_listener(lambda: order.append(f"finished, pending {runner.pending}"))

    def answer(value: int) -> None:
        order.append(f"answered, pending {runner.pending}")
        seen.append(value)

    runner.run(lambda: release.wait(10) and 42, answer, lambda error: seen.append(error))
    assert runner.pending == 1 and runner.finished == 0
    qtbot.wait(50)
    assert runner.pending == 1, "no answer yet: the job is still waiting"
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert seen == [42] and runner.finished == 1
    # The flow had its answer while the call still counted; the listener hears after.
    assert order == ["answered, pending 1", "finished, pending 0"]


def test_an_error_or_a_failing_handler_still_ends_the_call(qtbot, runner) -> None:
    errors: list[KioskError] = []

    def broken(_value: object) -> None:
        raise RuntimeError("a bug in a handler")

    def refuse() -> None:
        raise CardMisread()

    runner.run(refuse, lambda _value: None, errors.append)
    runner.run(lambda: 1, broken, errors.append)
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert [type(e) for e in errors] == [CardMisread]
    assert runner.finished == 2


def test_a_call_made_from_an_answer_keeps_the_count_above_zero(qtbot, runner) -> None:
    counts: list[int] = []
    release = threading.Event()

    def first(_value: object) -> None:
        runner.run(lambda: release.wait(10), lambda _v: None, lambda _e: None)

    runner.add_finished_listener(lambda: counts.append(runner.pending))
    runner.run(lambda: None, first, lambda _e: None)
    qtbot.waitUntil(lambda: runner.finished == 1, timeout=5000)
    assert runner.pending == 1 and counts == [1], "the second call was still out"
    release.set()
    qtbot.waitUntil(lambda: runner.pending == 0, timeout=5000)
    assert counts == [1, 0]


class _Reader:
    """A reader whose read waits for the test to let it answer."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def start(self, listener: object) -> None:
        pass

    def stop(self) -> None:
        pass

    def read(self) -> object:
        self.release.wait(10)
        raise CardMisread()


def test_the_card_service_counts_what_the_card_still_owes() -> None:
    posted: list[Callable[[], None]] = []
    service = CardService(posted.append)
    reader = _Reader()
    service.start(reader, object())  # type: ignore[arg-type]
    errors: list[object] = []
    try:
        service.read(lambda _snapshot: None, errors.append)
        assert service.pending == 1
        reader.release.set()
        for _ in range(500):
            if posted:
                break
            time.sleep(0.01)
        assert service.pending == 1, "answered on the worker, not yet handed to the flow"
        posted.pop()()
        assert service.pending == 0 and [type(e) for e in errors] == [CardMisread]
    finally:
        service.close()


def test_a_card_service_not_started_answers_and_counts_that_too() -> None:
    posted: list[Callable[[], None]] = []
    service = CardService(posted.append)
    errors: list[object] = []
    service.read(lambda _snapshot: None, errors.append)
    assert service.pending == 1
    posted.pop()()
    assert service.pending == 0 and len(errors) == 1
