"""The service key, the service PIN and lock-down, through the kiosk window (pytest-qt)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from kiosk_fakes import SNAPSHOT, Clock, FakeCard, FakePlatform, ManualRunner
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from window_rig import make_window, press, show_window, type_digits

from kiosk.assembly.hall import attach_service_menu
from kiosk.domain.admin_pin import hash_pin
from kiosk.flows.service_menu import MenuState, ServiceMenu
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.ui.window import KioskWindow

PIN = "24681357"
STORED = hash_pin(PIN, iterations=10_000)


@dataclass
class Kiosk:
    window: KioskWindow
    flow: SessionFlow
    card: FakeCard
    menu: ServiceMenu
    exits: list[bool]

    def press(self, qtbot, *keys: Qt.Key) -> None:
        press(qtbot, self.window, *keys)

    def type_digits(self, qtbot, digits: str) -> None:
        type_digits(qtbot, self.window, digits)

    def texts(self) -> list[str]:
        QApplication.processEvents()
        return [
            w.text()
            for w in self.window.findChildren(QWidget)
            if w.isVisible() and isinstance(w, QLabel | QPushButton) and w.text()
        ]


@pytest.fixture
def kiosk(qtbot, tmp_path: Path) -> Iterator[Kiosk]:
    card, platform, runner, clock = FakeCard(), FakePlatform(), ManualRunner(), Clock()
    flow = SessionFlow(card, platform, runner, clock, timeout_s=120, warning_s=30)
    window = make_window(flow, Translations(tmp_path), monotonic=clock)
    exits: list[bool] = []

    def exit_kiosk() -> None:
        exits.append(True)
        window.close_from_service_menu()

    menu = attach_service_menu(window, STORED, exit_kiosk, None, clock)
    show_window(qtbot, window)
    yield Kiosk(window, flow, card, menu, exits)


def test_the_service_key_asks_for_the_pin_and_opens_the_menu(kiosk: Kiosk, qtbot) -> None:
    kiosk.press(qtbot, Qt.Key.Key_F12)
    assert kiosk.menu.state is MenuState.PIN
    assert "请输入维护密码" in kiosk.texts()
    kiosk.type_digits(qtbot, PIN)
    # Typed digits show as dots, never as themselves.
    assert not any(PIN[:4] in text for text in kiosk.texts())
    kiosk.press(qtbot, Qt.Key.Key_Return)
    assert kiosk.menu.state is MenuState.MENU
    assert {"设备状态", "返回居民服务", "退出自助机程序"} <= set(kiosk.texts())
    kiosk.press(qtbot, Qt.Key.Key_1)
    assert kiosk.menu.state is MenuState.HEALTH
    kiosk.press(qtbot, Qt.Key.Key_Backspace)
    assert kiosk.menu.state is MenuState.MENU
    kiosk.press(qtbot, Qt.Key.Key_Escape)
    assert not kiosk.menu.is_open
    assert "请插入社保卡" in kiosk.texts()


def test_a_wrong_pin_says_how_many_tries_are_left(kiosk: Kiosk, qtbot) -> None:
    kiosk.press(qtbot, Qt.Key.Key_F12)
    kiosk.type_digits(qtbot, "11111111")
    kiosk.press(qtbot, Qt.Key.Key_Return)
    assert kiosk.menu.state is MenuState.PIN
    assert any("还可以试2次" in text for text in kiosk.texts())


def test_the_service_key_does_nothing_while_a_resident_is_served(kiosk: Kiosk, qtbot) -> None:
    kiosk.flow.card_inserted()
    kiosk.card.reads[-1][0](SNAPSHOT)
    assert kiosk.flow.step is Step.PIN
    kiosk.press(qtbot, Qt.Key.Key_F12)
    assert not kiosk.menu.is_open
    assert kiosk.flow.step is Step.PIN


def test_a_locked_down_window_closes_only_from_the_service_menu(kiosk: Kiosk, qtbot) -> None:
    kiosk.window.lock_down()
    kiosk.window.close()  # what Alt+F4 or the window manager's close button asks
    assert kiosk.window.isVisible()
    kiosk.press(qtbot, Qt.Key.Key_F12)
    kiosk.type_digits(qtbot, PIN)
    kiosk.press(qtbot, Qt.Key.Key_Return)
    kiosk.press(qtbot, Qt.Key.Key_3)  # close the kiosk program
    assert kiosk.menu.state is MenuState.CONFIRM_EXIT
    kiosk.press(qtbot, Qt.Key.Key_1)
    assert kiosk.exits == [True]
    assert not kiosk.window.isVisible()
