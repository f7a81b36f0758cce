"""A blocked PIN reset at the counter through both windows, against the real reference platform
and the real card protocol on a virtual chip with the demo PSAM: by keypad and by touch, in
Chinese and in English. The resident's PIN goes only to the chip."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from window_rig import KEYS, tap

from kiosk.accessibility.profile import Profile
from kiosk.assembly.counter import Counter, build_counter
from kiosk.backend.client import PlatformClient
from kiosk.counter.flow import CounterStep
from kiosk.devices.card.profile import load_demo_profiles
from kiosk.devices.card.secure_access import SimulatedPsam
from kiosk.devices.card.simulated import SimulatedCardReader
from kiosk.domain.errors import CardError
from kiosk.flows.card_problems import PinBlockedTask, PinResetTask
from kiosk.flows.session import Step
from kiosk.i18n import Translations
from kiosk.server.embedded import EmbeddedServer
from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
from kiosk.ui.fonts import load_fonts

WAIT_MS = 15_000
DEMO_A_ID = "410102195203120027"
NEW_PIN = "975310"
BLOCKED_HINT = {"zh_CN": "请把身份证交给工作人员核对", "en": "give your identity card to the"}
WRITTEN = {"zh_CN": "新密码已写入卡片", "en": "The new PIN is on the card"}
PIN_RESET_BUTTON = {"zh_CN": "7 密码重置", "en": "7 PIN reset"}


class ChipSlot:
    """The customer window's reader: demo card A on a virtual chip, with the demo PSAM."""

    def __init__(self) -> None:
        self.profile = load_demo_profiles()["demo_a"]
        self.reader = SimulatedCardReader(pin_reset=SimulatedPsam())
        self.reader.insert(self.profile)

    def _do(self, job: Any, on_done: Any, on_error: Any) -> None:
        try:
            result = job()
        except CardError as error:
            on_error(error)
        else:
            on_done(result)

    def read(self, on_done: Any, on_error: Any) -> None:
        self._do(self.reader.read, on_done, on_error)

    def verify_pin(self, pin: bytearray, on_done: Any, on_error: Any) -> None:
        self._do(lambda: self.reader.verify_pin(pin), on_done, on_error)

    def change_pin(self, old: bytearray, new: bytearray, on_done: Any, on_error: Any) -> None:
        self._do(lambda: self.reader.change_pin(old, new), on_done, on_error)

    def reset_pin(self, new: bytearray, on_done: Any, on_error: Any) -> None:
        self._do(lambda: self.reader.reset_pin(new), on_done, on_error)


@pytest.fixture
def slot() -> ChipSlot:
    return ChipSlot()


@pytest.fixture
def counter(qtbot, server: EmbeddedServer, tmp_path: Path, slot: ChipSlot) -> Iterator[Counter]:
    client = PlatformClient(server.url, server.kiosk_id, server.kiosk_key, cache_dir=tmp_path)
    runner = QtTaskRunner(QtDispatcher())
    built = build_counter(
        platform=client,
        card=slot,
        runner=runner,
        translations=Translations(tmp_path / "t"),
        font_family=load_fonts(),
        profile=Profile(),
        dpi=96.0,
        debounce_s=0.0,
        watch_presses=False,
    )
    for window in (built.customer_window, built.console):
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
    yield built
    built.counter.sign_out()
    runner.shutdown()


def shown(window: QWidget) -> str:
    parts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    parts += [w.text() for w in window.findChildren(QAbstractButton) if w.isVisible()]
    return "\n".join(parts)


def _key(qtbot, window: QWidget, key: Qt.Key) -> None:
    """A key as the window's keypad gives it: to what has the focus in that window (two windows
    are open, so not the application's focus)."""
    qtbot.keyClick(window.focusWidget() or window, key)


def _pin(qtbot, counter: Counter, digits: str, by: str) -> None:
    window = counter.customer_window
    if by == "keypad":
        for digit in digits:
            _key(qtbot, window, KEYS[digit])
        _key(qtbot, window, Qt.Key.Key_Return)
        return
    pad = window.pin_screen.pad
    assert pad is not None
    for digit in digits:
        qtbot.mouseClick(pad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.buttons["confirm"], Qt.MouseButton.LeftButton)


def _choose(qtbot, counter: Counter, digit: str, by: str) -> None:
    window = counter.customer_window
    if by == "keypad":
        _key(qtbot, window, KEYS[digit])
    else:
        tap(qtbot, window, digit)


@pytest.mark.parametrize("by", ["keypad", "touch"])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_blocked_pin_is_reset_at_the_counter(
    qtbot, counter: Counter, slot: ChipSlot, language: str, by: str
) -> None:
    session, console, flow = counter.session, counter.console, counter.counter
    customer = counter.customer_window
    if language == "en":
        customer.toggle_language()
        console.activateWindow()
        qtbot.keyClick(console, Qt.Key.Key_F2)
        assert console.language == "en"
    session.card_inserted()
    qtbot.waitUntil(lambda: session.step is Step.PIN, timeout=WAIT_MS)
    for _ in range(slot.profile.pin_tries_left):
        _pin(qtbot, counter, "000000", by)
    qtbot.waitUntil(lambda: isinstance(session.task, PinBlockedTask), timeout=WAIT_MS)
    assert BLOCKED_HINT[language] in shown(customer)

    # Staff: sign in, 7 (PIN reset), the identity card's number, Enter.
    flow.sign_in("demo-counter", "demo-counter-pass")
    qtbot.waitUntil(lambda: flow.step is CounterStep.PURPOSES, timeout=WAIT_MS)
    console.activateWindow()
    if by == "keypad":
        _key(qtbot, console, Qt.Key.Key_7)
    else:
        (button,) = [
            b
            for b in console.findChildren(QAbstractButton)
            if b.isVisible() and b.accessibleName() == PIN_RESET_BUTTON[language]
        ]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert flow.step is CounterStep.ID_CHECK
    assert console.focusWidget() is console.id_number
    qtbot.keyClicks(console.id_number, DEMO_A_ID)
    qtbot.keyClick(console.id_number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.step is CounterStep.RESETTING, timeout=WAIT_MS)
    assert console.id_number.text() == ""  # not kept
    assert "王秀英" not in shown(console) and DEMO_A_ID not in shown(console)

    # The resident: the new PIN twice on the customer window's pad, then confirm.
    qtbot.waitUntil(lambda: isinstance(session.task, PinResetTask), timeout=WAIT_MS)
    _pin(qtbot, counter, NEW_PIN, by)
    _pin(qtbot, counter, NEW_PIN, by)
    assert NEW_PIN not in shown(customer)
    _choose(qtbot, counter, "1", by)
    qtbot.waitUntil(lambda: flow.step is CounterStep.NOTICE, timeout=WAIT_MS)
    assert WRITTEN[language] in shown(console)
    assert slot.reader._card is not None
    assert slot.reader._card.pin_tries_left == slot.profile.pin_tries_max

    # and signs in with it
    _choose(qtbot, counter, "1", by)
    qtbot.waitUntil(lambda: session.step is Step.PIN, timeout=WAIT_MS)
    _pin(qtbot, counter, NEW_PIN, by)
    qtbot.waitUntil(lambda: session.step is Step.HOME, timeout=WAIT_MS)
