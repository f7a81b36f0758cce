"""How the window draws a task's special screens: a PIN it asks for, a number typed on the
keypad, and a document shown as a QR code when the printer cannot print it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.rig import KioskRig
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from window_rig import DIGITS, open_window, press

from kiosk.domain.messages import msg
from kiosk.flows.task_kit import DigitEntry, PinEntry, QrPanel
from kiosk.flows.view import Content
from kiosk.i18n import Translations
from kiosk.ui.window import KioskWindow


class ScriptedTask:
    """Shows the screens a test gives it, and keeps what the keypad handed over."""

    def __init__(self, context) -> None:
        self.context = context
        self.screen = 0
        self.pins: list[bytes] = []
        self.numbers: list[str] = []

    def view(self) -> Content:
        if self.screen == 0:
            return PinEntry(msg("pin.heading"), msg("pin.hint"), submit=self._pin)
        if self.screen == 1:
            return DigitEntry(msg("home.heading", name=""), None, submit=self._number)
        return Content(
            msg("card_status.heading"),
            panels=(QrPanel(msg("card_status.status_title"), (), payload="https://verify/X1"),),
        )

    def _pin(self, pin: bytearray) -> None:
        self.pins.append(bytes(pin))
        pin[:] = bytes(len(pin))
        self.screen = 1
        self.context.changed()

    def _number(self, text: str) -> None:
        self.numbers.append(text)
        self.screen = 2
        self.context.changed()

    def screen_key(self) -> tuple[object, ...]:
        return (self.screen,)

    def back(self) -> bool:
        return False

    def close(self) -> None:
        pass


@pytest.fixture
def window(qtbot, tmp_path: Path):
    kiosk = KioskRig(printer=None, outbox=None)
    window = open_window(qtbot, kiosk.flow, Translations(tmp_path), monotonic=kiosk.clock)
    kiosk.to_home()
    return window


def test_pin_then_number_then_qr(window: KioskWindow, qtbot) -> None:
    tasks: list[ScriptedTask] = []
    window.flow.start_task(lambda context: tasks.append(ScriptedTask(context)) or tasks[-1])
    task = tasks[0]
    assert window.stack.currentWidget() is window.pin_screen
    press(qtbot, window, *(DIGITS[int(d)] for d in "654321"), Qt.Key.Key_Return)
    assert task.pins == [b"654321"]
    # The number screen shows what is typed (it is the resident's own phone number).
    assert window.stack.currentWidget() is window.pin_screen
    press(qtbot, window, *(DIGITS[int(d)] for d in "13800000000"))
    assert window.pin_screen.display.text() == "13800000000"
    press(qtbot, window, Qt.Key.Key_Backspace, DIGITS[1], Qt.Key.Key_Return)
    assert task.numbers == ["13800000001"]
    assert window.stack.currentWidget() is window.choice_screen
    # A screen with no choices keeps the focus on its body, not on a header switch.
    assert QApplication.focusWidget() is window.choice_screen
    codes = [w for w in window.findChildren(QLabel) if w.objectName() == "qrCode"]
    assert len(codes) == 1 and not codes[0].pixmap().isNull()
    assert codes[0].pixmap().width() >= window.theme.mm(40)
