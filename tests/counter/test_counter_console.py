"""The counter's two windows, by keyboard, against the real reference platform (EmbeddedServer):
the staff console signs in, asks, and shows what the resident allowed on the customer window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from counter_rig import DemoCard
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.accessibility.profile import Profile
from kiosk.assembly.counter import Counter, build_counter
from kiosk.backend.client import PlatformClient
from kiosk.counter.flow import CounterStep
from kiosk.flows.session import Step
from kiosk.i18n import Translations
from kiosk.server.embedded import EmbeddedServer
from kiosk.ui.bridge import QtDispatcher, QtTaskRunner
from kiosk.ui.fonts import load_fonts

WAIT_MS = 15_000


class CardSlot:
    """The customer window's reader with demo card A in it."""

    def __init__(self) -> None:
        self.card = DemoCard("demo_a")

    def read(self, on_done, on_error) -> None:
        self.card.read(on_done, on_error)

    def verify_pin(self, pin, on_done, on_error) -> None:
        self.card.verify_pin(pin, on_done, on_error)


@pytest.fixture
def counter(qtbot, server: EmbeddedServer, tmp_path: Path) -> Iterator[Counter]:
    client = PlatformClient(server.url, server.kiosk_id, server.kiosk_key, cache_dir=tmp_path)
    dispatcher = QtDispatcher()
    runner = QtTaskRunner(dispatcher)
    built = build_counter(
        platform=client,
        card=CardSlot(),
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


def key(qtbot, window: QWidget, code: Qt.Key) -> None:
    """A key as a keyboard gives it: to whatever has the focus in that window."""
    target = window.focusWidget() or window
    qtbot.keyClick(target, code)


def shown(window: QWidget) -> str:
    parts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    parts += [w.text() for w in window.findChildren(QAbstractButton) if w.isVisible()]
    return "\n".join(parts)


def test_every_control_has_a_name_in_both_languages(qtbot, counter: Counter) -> None:
    console = counter.console
    assert console.username.accessibleName() == "工号"
    assert console.password.accessibleName() == "密码"
    assert console.sign_in_button.accessibleName() == "登录"
    key(qtbot, console, Qt.Key.Key_F2)
    assert console.language == "en"
    assert console.username.accessibleName() == "Staff id"
    assert console.password.accessibleName() == "Password"
    assert console.windowTitle() == "Counter service (staff)"
    counter.counter.sign_in("demo-counter", "demo-counter-pass")
    qtbot.waitUntil(lambda: counter.counter.step is CounterStep.PURPOSES, timeout=WAIT_MS)
    buttons = [b for b in console.findChildren(QAbstractButton) if b.isVisible()]
    assert buttons and all(b.accessibleName() for b in buttons)
    names = [b.accessibleName() for b in buttons]
    assert "1 Card loss and status" in names and "9 Sign out" in names


def test_a_resident_served_by_keyboard_alone(qtbot, counter: Counter) -> None:
    console, customer, flow = counter.console, counter.customer_window, counter.counter
    # Sign in: type, Tab, type, Enter.
    console.activateWindow()
    console.username.setFocus()
    qtbot.keyClicks(console.username, "demo-counter")
    key(qtbot, console, Qt.Key.Key_Tab)
    assert console.focusWidget() is console.password
    qtbot.keyClicks(console.password, "demo-counter-pass")
    key(qtbot, console, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: flow.step is CounterStep.PURPOSES, timeout=WAIT_MS)
    assert console.password.text() == ""  # the password is not kept
    assert "挂失办理" in shown(console)

    # The resident signs in on the customer window with card and PIN.
    counter.session.card_inserted()
    counter.session.submit_pin(bytearray(b"123456"))
    qtbot.waitUntil(lambda: counter.session.step is Step.HOME, timeout=WAIT_MS)

    key(qtbot, console, Qt.Key.Key_1)  # 挂失办理
    qtbot.waitUntil(lambda: "同意" in shown(customer), timeout=WAIT_MS)
    asking = shown(customer)
    assert "工作人员请求查看您的信息" in asking and "挂失办理" in asking
    assert "演示柜员（工号 demo-counter）" in asking
    assert "身份证号（部分隐藏）" in asking
    assert "王秀英" not in shown(console)  # nothing before the resident answers

    key(qtbot, customer, Qt.Key.Key_1)  # 同意
    qtbot.waitUntil(lambda: flow.step is CounterStep.RESULT, timeout=WAIT_MS)
    result = shown(console)
    assert "姓名：王秀英" in result and "4101**********0027" in result
    assert "已记入审计日志" in result
    assert "正常使用" in result  # the card's status
    qtbot.waitUntil(lambda: "您已同意" in shown(customer), timeout=WAIT_MS)

    key(qtbot, console, Qt.Key.Key_Escape)  # back to the services
    assert flow.step is CounterStep.PURPOSES and "王秀英" not in shown(console)
    key(qtbot, console, Qt.Key.Key_9)  # sign out
    assert flow.step is CounterStep.LOGIN and flow.staff is None
