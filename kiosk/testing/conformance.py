"""The stand-ins stand for the flows' ports: mypy checks each against its Protocol here, so a
port that changes shape fails the type check until its stand-in follows."""

from __future__ import annotations

from kiosk.flows.ports import A4Printer, CardPort, Clock, Outbox, Platform, Printer, TaskRunner
from kiosk.testing.card import InstantCard, RecordingCard
from kiosk.testing.clock import ManualClock, TickingClock
from kiosk.testing.data import SNAPSHOT
from kiosk.testing.platform import FakePlatform
from kiosk.testing.printing import FakeA4Printer, FakeOutbox, FakePrinter
from kiosk.testing.runner import InlineRunner, ManualRunner


def stand_ins() -> dict[str, object]:
    """One of each, typed as the port it stands in for."""
    runners: tuple[TaskRunner, ...] = (InlineRunner(), ManualRunner())
    cards: tuple[CardPort, ...] = (RecordingCard(), InstantCard(SNAPSHOT))
    clocks: tuple[Clock, ...] = (ManualClock(), TickingClock())
    platform: Platform = FakePlatform()
    printer: Printer = FakePrinter()
    a4printer: A4Printer = FakeA4Printer()
    outbox: Outbox = FakeOutbox()
    return {
        "runners": runners,
        "cards": cards,
        "clocks": clocks,
        "platform": platform,
        "printer": printer,
        "a4printer": a4printer,
        "outbox": outbox,
    }
