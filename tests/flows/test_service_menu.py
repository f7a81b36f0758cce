"""The staff's service menu, without Qt: PIN, lock-out, idle close, health and the exit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kiosk.domain.messages import Message
from kiosk.domain.receipt import PaperLevel, PrinterStatus
from kiosk.flows.health import HealthMonitor
from kiosk.flows.service_menu import (
    IDLE_S,
    LOCK_S,
    MAX_ATTEMPTS,
    MenuState,
    ServiceActions,
    ServiceMenu,
)
from kiosk.flows.view import PinEntry
from kiosk.testing.clock import ManualClock
from kiosk.testing.health import health_monitor
from kiosk.testing.runner import ManualRunner

GOOD = b"24681357"


class Kiosk:
    def __init__(self, *, can_exit: bool = True, health: HealthMonitor | None = None) -> None:
        self.clock = ManualClock()
        self.exits = 0
        self.redraws = 0
        self.pins_seen: list[bytes] = []
        self.menu = ServiceMenu(
            ServiceActions(
                check_pin=self.check,
                exit_kiosk=self.exit,
                changed=self.redraw,
                can_exit=can_exit,
            ),
            health,
            self.clock,
        )

    def check(self, pin: bytearray) -> bool:
        self.pins_seen.append(bytes(pin))
        return bytes(pin) == GOOD

    def exit(self) -> None:
        self.exits += 1

    def redraw(self) -> None:
        self.redraws += 1

    def type_pin(self, pin: bytes) -> bytearray:
        view = self.menu.view()
        assert isinstance(view, PinEntry)
        typed = bytearray(pin)
        view.submit(typed)
        return typed

    def labels(self) -> list[str]:
        return [c.label.id for c in self.menu.view().choices]


def test_the_right_pin_opens_the_menu_and_is_wiped() -> None:
    kiosk = Kiosk()
    kiosk.menu.open()
    assert kiosk.menu.state is MenuState.PIN
    typed = kiosk.type_pin(GOOD)
    assert typed == bytearray(len(GOOD)), "the PIN must not stay in memory"
    assert kiosk.menu.state is MenuState.MENU
    assert kiosk.labels() == ["service.menu.health", "service.leave", "service.menu.exit"]


def test_wrong_pins_count_down_then_lock_the_menu_for_a_while() -> None:
    kiosk = Kiosk()
    kiosk.menu.open()
    for left in range(MAX_ATTEMPTS - 1, 0, -1):
        kiosk.type_pin(b"11111111")
        hint = kiosk.menu.view().hint
        assert isinstance(hint, Message) and hint.id == "service.pin.wrong"
        assert hint.params["left"] == left
    kiosk.type_pin(b"11111111")
    assert kiosk.menu.state is MenuState.LOCKED
    # Closing and opening again does not reset the lock, nor does the right PIN get through.
    kiosk.menu.close()
    kiosk.menu.open()
    assert kiosk.menu.state is MenuState.LOCKED
    # Left on the locked screen, it goes back to the PIN when the time is up.
    kiosk.clock.now += 60
    kiosk.menu.tick()
    assert kiosk.menu.state is MenuState.LOCKED
    kiosk.menu.close()
    kiosk.clock.now += LOCK_S - 61
    kiosk.menu.open()
    assert kiosk.menu.state is MenuState.LOCKED
    kiosk.clock.now += 2
    kiosk.menu.tick()
    assert kiosk.menu.state is MenuState.PIN
    kiosk.type_pin(GOOD)
    assert kiosk.menu.state is MenuState.MENU


def test_an_idle_menu_closes_itself() -> None:
    kiosk = Kiosk()
    kiosk.menu.open()
    kiosk.type_pin(GOOD)
    kiosk.clock.now += IDLE_S - 1
    kiosk.menu.tick()
    assert kiosk.menu.is_open
    kiosk.clock.now += 1
    kiosk.menu.tick()
    assert not kiosk.menu.is_open


def test_the_exit_asks_first_and_can_be_declined() -> None:
    kiosk = Kiosk()
    kiosk.menu.open()
    kiosk.type_pin(GOOD)
    kiosk.menu.view().choices[2].action()
    assert kiosk.menu.state is MenuState.CONFIRM_EXIT
    assert kiosk.labels() == ["service.exit.confirm", "service.exit.cancel"]
    kiosk.menu.view().choices[1].action()
    assert kiosk.menu.state is MenuState.MENU and kiosk.exits == 0
    kiosk.menu.view().choices[2].action()
    kiosk.menu.view().choices[0].action()
    assert kiosk.exits == 1 and not kiosk.menu.is_open


def test_without_an_exit_the_menu_offers_none() -> None:
    kiosk = Kiosk(can_exit=False)
    kiosk.menu.open()
    kiosk.type_pin(GOOD)
    assert "service.menu.exit" not in kiosk.labels()


def test_back_climbs_one_level_and_leaves_from_the_top() -> None:
    kiosk = Kiosk()
    kiosk.menu.open()
    kiosk.type_pin(GOOD)
    kiosk.menu.show_health()
    kiosk.menu.back()
    assert kiosk.menu.state is MenuState.MENU
    kiosk.menu.back()
    assert not kiosk.menu.is_open


class Platform:
    def __init__(self) -> None:
        self.beats: list[dict[str, Any]] = []

    def heartbeat(self, **body: Any) -> int:
        self.beats.append(body)
        return 45


def test_the_health_screen_shows_the_monitors_latest_look() -> None:
    runner, platform = ManualRunner(), Platform()
    monitor = health_monitor(
        runner,
        ManualClock(),
        platform=platform,
        outbox_pending=2,
        wall_clock=lambda: dt.datetime(2026, 11, 27, 9, 30, 5),
    )
    kiosk = Kiosk(health=monitor)
    kiosk.menu.open()
    kiosk.type_pin(GOOD)
    kiosk.menu.show_health()
    before = [line.id for p in kiosk.menu.view().panels for line in p.lines]
    assert "service.health.heartbeat_never" in before
    runner.finish_all()
    panels = {p.title.id: p.lines for p in kiosk.menu.view().panels}
    devices = [line.id for line in panels["service.health.devices"]]
    assert devices == ["service.reader.ok", "service.printer.absent"]
    link = panels["service.health.platform"]
    assert link[0].id == "service.platform.reachable"
    assert link[1].params == {"time": "09:30:05"}
    assert link[2].params == {"count": 2}
    assert platform.beats[0]["outbox_pending"] == 2


@pytest.mark.parametrize("state", list(MenuState))
def test_every_state_has_a_screen_with_a_heading(state: MenuState) -> None:
    kiosk = Kiosk()
    kiosk.menu.state = state
    assert kiosk.menu.view().heading.id.startswith("service.")


class LowPaperPrinter:
    def status(self) -> PrinterStatus:
        return PrinterStatus(answered=True, online=True, paper=PaperLevel.NEAR_END)


@pytest.mark.parametrize(
    ("plugged", "line"),
    [
        (True, "service.scanner.ok"),
        (False, "service.scanner.absent"),
        (None, "service.scanner.unknown"),
    ],
)
def test_the_paper_is_said_with_the_printer_and_the_scanner_has_its_line(plugged, line) -> None:
    runner, platform = ManualRunner(), Platform()
    monitor = health_monitor(
        runner,
        ManualClock(),
        platform=platform,
        printer=LowPaperPrinter(),
        outbox_pending=0,
        wall_clock=lambda: dt.datetime(2026, 11, 27, 9, 30, 5),
        scanner_available=lambda: plugged,
    )
    kiosk = Kiosk(health=monitor)
    kiosk.menu.open()
    kiosk.type_pin(GOOD)
    kiosk.menu.show_health()
    runner.finish_all()
    panels = {p.title.id: p.lines for p in kiosk.menu.view().panels}
    devices = [entry.id for entry in panels["service.health.devices"]]
    assert devices == ["service.reader.ok", "service.printer.paper_low", line]
    # The heartbeat names the scanner only once it is known to be there or not.
    sent = platform.beats[-1]["devices"]
    assert sent.get("scanner") == {True: "ok", False: "absent", None: None}[plugged]
