"""The on-screen keyboard in the kiosk window: typed by touch and by the keypad alone, in Chinese
and English, with accessible names on every key, keys of at least 12.7 mm, and what the voice
guide says for each press (recorded, as in test_voice_window.py), never the private text on a
loudspeaker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.rig import KioskRig
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from window_rig import KEYS, Listened, keypad_type, open_window, walk_to

from kiosk.accessibility.profile import Profile
from kiosk.accessibility.theme import MIN_TARGET_MM
from kiosk.accessibility.voice import VoiceGuide
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.flows.complaints import ComplaintsTask
from kiosk.flows.services import ServiceSearchTask
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.testing.runner import ManualRunner
from kiosk.ui.window import KioskWindow


@dataclass
class Rig(Listened):
    window: KioskWindow
    flow: SessionFlow
    runner: ManualRunner
    engine: RecordingEngine
    player: RecordingPlayer
    guide: VoiceGuide

    def tap(self, qtbot, button: QPushButton) -> None:
        assert button.isVisible()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def keyboard_buttons(self) -> list[QPushButton]:
        return [
            b for b in self.window.body.keyboard_screen.findChildren(QPushButton) if b.isVisible()
        ]

    def walk_to(self, qtbot, target: QPushButton) -> None:
        walk_to(qtbot, self.window, target)

    def keypad_type(self, qtbot, text: str) -> None:
        keypad_type(qtbot, self.window, text)


def make_rig(qtbot, tmp_path: Path, language: str = "zh_CN") -> Rig:
    translations = Translations(tmp_path)
    kiosk = KioskRig(printer=None, outbox=None, timeout_s=600)
    flow, runner = kiosk.flow, kiosk.runner
    engine, player = RecordingEngine(), RecordingPlayer()
    guide = VoiceGuide(translations, engine, player, voice_mode=True)
    window = open_window(qtbot, flow, translations, monotonic=kiosk.clock, guide=guide)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    # Set after construction: only a change of profile tells the flow its language.
    window.set_default_profile(Profile(language=language))
    kiosk.present_card()
    assert flow.step is Step.HOME
    rig = Rig(window, flow, runner, engine, player, guide)
    rig.said()
    return rig


@pytest.fixture
def rig(qtbot, tmp_path: Path) -> Rig:
    return make_rig(qtbot, tmp_path)


def open_search_keyboard(rig: Rig, qtbot) -> None:
    rig.flow.start_task(ServiceSearchTask)
    rig.runner.finish_all()  # the catalog
    rig.said()
    rig.press(qtbot, KEYS["4"])  # type to search
    assert rig.window.stack.currentWidget() is rig.window.body.keyboard_screen


def test_touch_types_pinyin_and_takes_a_candidate(rig: Rig, qtbot) -> None:
    open_search_keyboard(rig, qtbot)
    screen = rig.window.body.keyboard_screen
    opened = rig.said()
    assert opened[:2] == ["services.typing.heading", "services.typing.hint"]
    assert "text_entry.keypad" in opened
    for letter in "gongjiao":
        rig.tap(qtbot, screen.key_buttons[letter])
    assert screen.composing.text() == "gongjiao"
    first = screen.candidate_buttons[0]
    assert first.text() == "1 公交" and first.accessibleName() == "按 1：公交"
    said = rig.said()
    # Each press said its letter and the candidates, cut off by the next press.
    assert said.count("text_entry.said.key") == 8 and "text_entry.candidate" in said
    assert "公交" in " ".join(rig.texts())
    rig.tap(qtbot, first)
    assert screen.field.text().startswith("公交") and not screen.composing.isVisible()
    assert rig.said()[0] == "text_entry.said.chosen"
    rig.tap(qtbot, screen.control_buttons["done"])
    assert rig.window.stack.currentWidget() is rig.window.choice_screen
    assert rig.window.content.heading.params == {"query": "公交", "count": 1}


def test_the_keypad_alone_types_chooses_and_submits(rig: Rig, qtbot) -> None:
    open_search_keyboard(rig, qtbot)
    screen = rig.window.body.keyboard_screen
    rig.keypad_type(qtbot, "ditie")
    assert screen.composing.text() == "ditie"
    rig.press(qtbot, KEYS["1"])  # the first candidate
    assert screen.field.text().startswith("地铁")
    rig.keypad_type(qtbot, "zhan")
    rig.press(qtbot, KEYS["0"])  # the candidates' next page
    assert screen.more_button is not None and screen.more_button.isVisible()
    assert "text_entry.page" in rig.said()
    rig.press(qtbot, Qt.Key.Key_Backspace)  # a letter of "zhan"
    assert screen.composing.text() == "zha"
    rig.press(qtbot, Qt.Key.Key_Backspace, Qt.Key.Key_Backspace, Qt.Key.Key_Backspace)
    assert not screen.composing.isVisible() and screen.field.text().startswith("地铁")
    # Enter presses the focused key; on 完成 it searches.
    rig.walk_to(qtbot, screen.control_buttons["done"])
    rig.press(qtbot, Qt.Key.Key_Return)
    assert rig.window.content.heading.params["query"] == "地铁"
    rig.press(qtbot, Qt.Key.Key_Backspace)  # back to the keyboard, the search still there
    assert rig.window.stack.currentWidget() is screen and screen.field.text().startswith("地铁")
    rig.press(qtbot, Qt.Key.Key_Backspace, Qt.Key.Key_Backspace)
    rig.press(qtbot, Qt.Key.Key_Backspace)  # nothing left to delete: back to the menu
    assert rig.window.stack.currentWidget() is rig.window.choice_screen


def test_the_repeat_key_says_what_is_typed_now(rig: Rig, qtbot) -> None:
    open_search_keyboard(rig, qtbot)
    rig.keypad_type(qtbot, "wo")
    rig.press(qtbot, KEYS["1"])
    rig.said()
    rig.press(qtbot, Qt.Key.Key_Asterisk)
    said = rig.said()
    assert said[0] == "services.typing.heading" and "text_entry.text" in said
    assert rig.texts()[-len(said) :].count("内容：我") == 1  # a search is not private


def test_english_keys_and_a_usb_keyboard(qtbot, tmp_path: Path) -> None:
    rig = make_rig(qtbot, tmp_path, language="en")
    open_search_keyboard(rig, qtbot)
    screen = rig.window.body.keyboard_screen
    assert screen.key_buttons["b"].accessibleName() == "Letter b"
    assert screen.key_buttons["7"].accessibleName() == "Digit 7"
    assert screen.control_buttons["switch"].accessibleName() == "Switch to Pinyin"
    assert screen.control_buttons["done"].accessibleName() == "Done"
    rig.said()
    for key in (Qt.Key.Key_B, Qt.Key.Key_U, Qt.Key.Key_S):
        rig.press(qtbot, key)
    assert screen.field.text() == "bus▏"
    assert rig.said()[:2] == ["text_entry.said.key", "text_entry.count"]
    rig.tap(qtbot, screen.control_buttons["switch"])
    assert screen.control_buttons["switch"].accessibleName() == "Switch to Letters"
    assert rig.said() == ["text_entry.layout.pinyin"]
    rig.press(qtbot, Qt.Key.Key_Return)  # the focus is on the switch key: pressed again
    rig.walk_to(qtbot, screen.control_buttons["done"])
    rig.press(qtbot, Qt.Key.Key_Return)
    assert rig.window.content.heading.params == {"query": "bus", "count": 1}


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("elderly", [False, True])
def test_every_key_is_named_large_and_reachable(
    qtbot, tmp_path: Path, language: str, elderly: bool
) -> None:
    rig = make_rig(qtbot, tmp_path, language=language)
    if elderly:
        rig.window.toggle_elderly()
    open_search_keyboard(rig, qtbot)
    rig.keypad_type(qtbot, "ab") if language == "en" else rig.keypad_type(qtbot, "sh")
    buttons = rig.keyboard_buttons()
    assert len(buttons) > 30
    per_mm = rig.window.theme.px_per_mm
    for button in buttons:
        assert button.accessibleName().strip(), button.text()
        assert min(button.width(), button.height()) / per_mm >= MIN_TARGET_MM - 0.05
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    names = {b.accessibleName() for b in buttons}
    assert ("字母 a" in names) == (language == "zh_CN")
    assert ("Letter a" in names) == (language == "en")
    # The whole window still fits the screen.
    assert rig.window.layout().totalMinimumSize().height() <= 1080


def test_private_text_is_read_back_only_in_a_headset(rig: Rig, qtbot) -> None:
    rig.flow.start_task(ComplaintsTask)
    rig.press(qtbot, KEYS["1"], KEYS["4"])  # a complaint about the service
    rig.runner.finish_all()  # the catalog
    rig.press(qtbot, KEYS["1"])  # no particular place
    rig.press(qtbot, KEYS["3"])  # in my own words
    screen = rig.window.body.keyboard_screen
    assert rig.window.stack.currentWidget() is screen
    for letter in "wangxiansheng":
        rig.tap(qtbot, screen.key_buttons[letter])
    rig.press(qtbot, KEYS["1"])
    typed = screen.field.text().rstrip("▏")
    assert typed
    rig.engine.calls.clear()
    rig.press(qtbot, Qt.Key.Key_Asterisk)
    loud = rig.texts()
    assert not any(typed in text for text in loud)
    assert any("个人信息不用扬声器朗读" in text for text in loud)
    rig.guide.set_private(True)
    rig.engine.calls.clear()
    rig.press(qtbot, Qt.Key.Key_Asterisk)
    assert any(typed in text for text in rig.texts())
    # Done goes on to the contact, and the review shows the text as typed.
    rig.tap(qtbot, screen.control_buttons["done"])
    assert rig.window.content.heading.id == "complaints.heading"
    rig.press(qtbot, KEYS["1"])
    for digit in "13900001234":
        rig.press(qtbot, KEYS[digit])
    rig.press(qtbot, Qt.Key.Key_Return)
    review = rig.window.content
    assert review.panels[1].lines[0].params["text"] == typed


def test_the_session_end_forgets_the_text(rig: Rig, qtbot) -> None:
    open_search_keyboard(rig, qtbot)
    rig.keypad_type(qtbot, "a")
    rig.flow.logout()
    rig.runner.finish_all()
    rig.flow.card_removed()
    assert rig.flow.step is Step.ATTRACT
    assert rig.window.body.keyboard_screen.editor is None
    assert rig.window.body.keyboard_screen.field.text() == ""
