"""The kiosk window through pytest-qt: the thin path by touch and by keypad, against stand-ins.

The end-to-end version, against the real reference server, is tests/e2e/test_thin_path_e2e.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.rig import KioskRig
from helpers.screen import shown_texts
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication, QPushButton
from window_rig import DIGITS, make_window, open_window, press

from kiosk.accessibility.profile import Profile
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.testing.card import RecordingCard
from kiosk.testing.clock import ManualClock
from kiosk.testing.data import SNAPSHOT
from kiosk.testing.platform import FakePlatform
from kiosk.testing.runner import ManualRunner
from kiosk.ui.fonts import FAMILY
from kiosk.ui.window import KioskWindow


@dataclass
class Kiosk:
    window: KioskWindow
    flow: SessionFlow
    card: RecordingCard
    platform: FakePlatform
    runner: ManualRunner
    clock: ManualClock

    def texts(self) -> list[str]:
        """Every text a visible widget shows or names: what a resident (or a reader) gets."""
        return shown_texts(self.window, names=True)

    def press(self, qtbot, *keys: Qt.Key) -> None:
        press(qtbot, self.window, *keys)

    def insert_card(self) -> None:
        self.flow.card_inserted()
        self.card.reads[-1][0](SNAPSHOT)

    def accept_pin(self) -> None:
        self.card.pins[-1][1](None)
        self.runner.finish_all()


def make_kiosk(qtbot, tmp_path: Path, debounce_s: float = 0.0) -> Kiosk:
    rig = KioskRig(printer=None, outbox=None)
    window = open_window(
        qtbot, rig.flow, Translations(tmp_path), monotonic=rig.clock, debounce_s=debounce_s
    )
    return Kiosk(window, rig.flow, rig.card, rig.platform, rig.runner, rig.clock)


@pytest.fixture
def kiosk(qtbot, tmp_path: Path) -> Kiosk:
    # Without a debounce (presses in a test come faster than any hand); it has its own tests below.
    return make_kiosk(qtbot, tmp_path)


@pytest.fixture
def unsteady(qtbot, tmp_path: Path) -> Kiosk:
    """A kiosk with a debounce a test's presses can fall within."""
    return make_kiosk(qtbot, tmp_path, debounce_s=0.25)


def test_the_attract_screen_invites_in_chinese(kiosk: Kiosk) -> None:
    texts = kiosk.texts()
    assert "请插入社保卡" in texts
    assert "郑州市居民服务一卡通" in texts
    assert "长辈模式" in texts and "English" in texts
    # Nothing of a session is offered before there is one.
    for button in (
        kiosk.window.footer.back_button,
        kiosk.window.footer.home_button,
        kiosk.window.footer.finish_button,
    ):
        assert not button.isVisible()


def test_every_text_is_drawn_in_the_bundled_simplified_chinese_face(kiosk: Kiosk) -> None:
    # Selected by name: otherwise Noto Sans CJK falls back to its Japanese glyph forms.
    for widget in (kiosk.window.header.title, kiosk.window.choice_screen.heading):
        assert QFontInfo(widget.font()).family() == FAMILY
    assert QFontInfo(kiosk.window.choice_screen.tiles[0].label.font()).bold()


def test_the_language_switch_changes_every_text_and_back(kiosk: Kiosk, qtbot) -> None:
    qtbot.mouseClick(kiosk.window.header.language_button, Qt.MouseButton.LeftButton)
    texts = kiosk.texts()
    assert "Please insert your social security card" in texts
    assert "中文" in texts
    assert not any("请插入" in t for t in texts)
    qtbot.mouseClick(kiosk.window.header.language_button, Qt.MouseButton.LeftButton)
    assert "请插入社保卡" in kiosk.texts()


def test_the_elderly_mode_is_offered_on_the_first_screen_by_keypad(kiosk: Kiosk, qtbot) -> None:
    body_px = kiosk.window.theme.body_px
    kiosk.press(qtbot, Qt.Key.Key_1)
    assert kiosk.window.profile.elderly
    assert kiosk.window.theme.body_px > body_px
    assert kiosk.flow.timeout_scale == 2.0
    assert "退出长辈模式" in kiosk.texts()


def test_the_thin_path_by_keypad_alone(kiosk: Kiosk, qtbot) -> None:
    window, flow = kiosk.window, kiosk.flow
    kiosk.insert_card()
    assert flow.step is Step.PIN
    assert window.stack.currentWidget() is window.pin_screen
    kiosk.press(qtbot, *(DIGITS[int(d)] for d in "123456"))
    assert window.pin_screen.length == 6
    assert "已输入 6 位" in kiosk.texts()
    # The PIN itself is never on screen.
    assert not any("123456" in t for t in kiosk.texts())
    kiosk.press(qtbot, Qt.Key.Key_Return)
    assert kiosk.card.pins[-1][0] == b"123456"
    kiosk.accept_pin()
    assert flow.step is Step.HOME
    texts = kiosk.texts()
    assert "王**，您好。请选择要办理的事项" in texts
    assert not any("王秀英" in t for t in texts)
    kiosk.press(qtbot, Qt.Key.Key_1)
    kiosk.runner.finish_all()
    assert flow.step is Step.CATALOG
    assert len(window.choice_screen.tiles) == 6
    assert "第 1/3 页 · 按 0 看下一页" in kiosk.texts()
    kiosk.press(qtbot, Qt.Key.Key_0)
    assert "第 2/3 页 · 按 0 看下一页" in kiosk.texts()
    assert window.choice_screen.tiles[0].label.text() == "类别7"
    kiosk.press(qtbot, Qt.Key.Key_Backspace)  # back to the home screen
    assert flow.step is Step.HOME
    kiosk.press(qtbot, Qt.Key.Key_1)
    kiosk.press(qtbot, Qt.Key.Key_6)  # category 6: public transport in the stand-in catalog
    assert flow.step is Step.CATEGORY
    assert "乘坐公交车" in kiosk.texts()
    assert "在哪里用：全市公交线路" in kiosk.texts()
    kiosk.press(qtbot, Qt.Key.Key_Escape)  # home
    assert flow.step is Step.HOME
    kiosk.press(qtbot, Qt.Key.Key_3)  # the card's life: its status first
    kiosk.runner.finish_all()
    assert flow.step is Step.TASK
    assert any("正常使用" in t for t in kiosk.texts())
    kiosk.press(qtbot, Qt.Key.Key_Backspace)
    assert flow.step is Step.HOME
    kiosk.press(qtbot, Qt.Key.Key_6)  # finish
    kiosk.runner.finish_all()
    assert flow.step is Step.TAKE_CARD
    assert "请取走您的社保卡" in kiosk.texts()
    flow.card_removed()
    assert flow.step is Step.ATTRACT
    assert "请插入社保卡" in kiosk.texts()


def test_the_thin_path_by_touch(kiosk: Kiosk, qtbot) -> None:
    window = kiosk.window
    kiosk.insert_card()
    pad = window.pin_screen.pad
    assert pad is not None
    for digit in "246810":
        qtbot.mouseClick(pad.buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.buttons["confirm"], Qt.MouseButton.LeftButton)
    assert kiosk.card.pins[-1][0] == b"246810"
    kiosk.accept_pin()
    qtbot.mouseClick(window.choice_screen.tiles[0], Qt.MouseButton.LeftButton)
    kiosk.runner.finish_all()
    assert kiosk.flow.step is Step.CATALOG
    qtbot.mouseClick(window.footer.back_button, Qt.MouseButton.LeftButton)
    assert kiosk.flow.step is Step.HOME
    qtbot.mouseClick(window.footer.finish_button, Qt.MouseButton.LeftButton)
    assert kiosk.flow.step is Step.TAKE_CARD


def test_delete_and_a_wrong_pin_message(kiosk: Kiosk, qtbot) -> None:
    from kiosk.domain.errors import WrongPin

    kiosk.insert_card()
    kiosk.press(qtbot, *(DIGITS[int(d)] for d in "1234567"))
    assert kiosk.window.pin_screen.length == 6  # a seventh digit is not taken
    kiosk.press(qtbot, Qt.Key.Key_Backspace)
    assert kiosk.window.pin_screen.length == 5
    kiosk.press(qtbot, Qt.Key.Key_9, Qt.Key.Key_Return)
    assert kiosk.card.pins[-1][0] == b"123459"
    kiosk.card.pins[-1][2](WrongPin(tries_left=2))
    assert "密码不正确，只剩 2 次机会。再输错，密码将被锁定" in kiosk.texts()
    assert kiosk.window.pin_screen.length == 0


def test_switching_size_mid_pin_keeps_the_digits(kiosk: Kiosk, qtbot) -> None:
    kiosk.insert_card()
    kiosk.press(qtbot, Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3)
    qtbot.mouseClick(kiosk.window.header.elderly_button, Qt.MouseButton.LeftButton)
    assert kiosk.window.profile.elderly
    assert kiosk.window.pin_screen.length == 3
    qtbot.mouseClick(kiosk.window.header.language_button, Qt.MouseButton.LeftButton)
    assert kiosk.window.pin_screen.length == 3
    assert "3 digits entered" in kiosk.texts()


def test_the_elderly_mode_shows_at_most_four_choices(kiosk: Kiosk, qtbot) -> None:
    kiosk.insert_card()
    kiosk.press(qtbot, *(DIGITS[int(d)] for d in "123456"), Qt.Key.Key_Return)
    kiosk.accept_pin()
    kiosk.window.toggle_elderly()
    kiosk.flow.open_catalog()
    kiosk.runner.finish_all()
    assert len(kiosk.window.choice_screen.tiles) == 4
    assert "第 1/4 页 · 按 0 看下一页" in kiosk.texts()


def test_the_session_end_clears_the_screen_and_resets_the_profile(kiosk: Kiosk, qtbot) -> None:
    kiosk.insert_card()
    kiosk.window.toggle_language()
    kiosk.window.toggle_elderly()
    kiosk.press(qtbot, *(DIGITS[int(d)] for d in "123456"), Qt.Key.Key_Return)
    kiosk.accept_pin()
    assert any("Hello, 王**" in t for t in kiosk.texts())
    kiosk.flow.card_removed()
    assert kiosk.window.profile == Profile()
    texts = kiosk.texts()
    assert "请插入社保卡" in texts
    assert not any("王" in t for t in texts)
    assert kiosk.window.pin_screen.length == 0


def test_the_inactivity_warning_appears_and_a_press_extends(kiosk: Kiosk, qtbot) -> None:
    kiosk.insert_card()
    kiosk.press(qtbot, *(DIGITS[int(d)] for d in "123456"), Qt.Key.Key_Return)
    kiosk.accept_pin()
    assert not kiosk.window.footer.warning.isVisible()
    kiosk.clock.now += 100
    # The window looks at the time once a second, as the resident waits.
    qtbot.waitUntil(kiosk.window.footer.warning.isVisible, timeout=3000)
    assert "即将结束办理：还剩 20 秒。按任意键或触摸屏幕继续" in kiosk.texts()
    kiosk.press(qtbot, Qt.Key.Key_Shift)
    assert not kiosk.window.footer.warning.isVisible()
    assert "还剩 120 秒 · 按任意键延长" in kiosk.texts()


def test_every_visible_button_has_an_accessible_name(kiosk: Kiosk, qtbot) -> None:
    for step in ("attract", "pin", "home"):
        if step == "pin":
            kiosk.insert_card()
        if step == "home":
            kiosk.press(qtbot, *(DIGITS[int(d)] for d in "123456"), Qt.Key.Key_Return)
            kiosk.accept_pin()
        buttons = [b for b in kiosk.window.findChildren(QPushButton) if b.isVisible()]
        assert buttons
        for button in buttons:
            assert button.accessibleName(), (step, button.text())


def test_focus_moves_by_arrow_keys_and_enter_selects(kiosk: Kiosk, qtbot) -> None:
    tiles = kiosk.window.choice_screen.tiles
    assert QApplication.focusWidget() is tiles[0]
    kiosk.press(qtbot, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is tiles[1]
    kiosk.press(qtbot, Qt.Key.Key_Return)
    assert kiosk.window.profile.language == "en"


def test_a_double_press_on_a_tile_counts_once(unsteady: Kiosk, qtbot) -> None:
    kiosk = unsteady
    tile = kiosk.window.choice_screen.tiles[1]  # the language switch
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    kiosk.clock.now += 0.1
    qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert kiosk.window.profile.language == "en"  # the second press was an unsteady hand
    kiosk.clock.now += 0.5
    qtbot.mouseClick(kiosk.window.choice_screen.tiles[1], Qt.MouseButton.LeftButton)
    assert kiosk.window.profile.language == "zh_CN"


def test_a_repeated_key_within_the_debounce_is_one_digit(unsteady: Kiosk, qtbot) -> None:
    kiosk = unsteady
    kiosk.insert_card()
    kiosk.press(qtbot, Qt.Key.Key_7)
    kiosk.clock.now += 0.05
    kiosk.press(qtbot, Qt.Key.Key_7)
    assert kiosk.window.pin_screen.length == 1
    kiosk.clock.now += 0.3
    kiosk.press(qtbot, Qt.Key.Key_7)
    kiosk.clock.now += 0.01
    kiosk.press(qtbot, Qt.Key.Key_8)  # a different key is not a double press
    assert kiosk.window.pin_screen.length == 3


def test_the_window_keeps_the_focus_through_the_whole_path(kiosk: Kiosk, qtbot) -> None:
    """No widget may open as a window of its own on the way: the kiosk would lose the keypad."""
    kiosk.insert_card()
    kiosk.press(qtbot, *(DIGITS[int(d)] for d in "123456"), Qt.Key.Key_Return)
    kiosk.accept_pin()
    QApplication.processEvents()
    assert kiosk.window.isActiveWindow()
    assert QApplication.focusWidget() is kiosk.window.choice_screen.tiles[0]
    kiosk.press(qtbot, Qt.Key.Key_1)  # the keypad still reaches the kiosk
    kiosk.runner.finish_all()
    assert kiosk.flow.step is Step.CATALOG


def test_a_kiosk_that_starts_in_english_gives_its_tasks_english(qtbot, tmp_path: Path) -> None:
    flow = KioskRig(printer=None, outbox=None).flow
    window = make_window(flow, Translations(tmp_path), profile=Profile(language="en"))
    qtbot.addWidget(window)
    assert flow.language == "en"
