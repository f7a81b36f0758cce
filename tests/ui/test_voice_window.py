"""The kiosk window with the voice guide: what is said, when, in which language, and what never.

Speech is recorded (RecordingEngine and RecordingPlayer), in the manner of accessible voting
machines' tests: the queue's order, its cut-offs, and that no PIN digit is ever spoken.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.rig import KioskRig
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from window_rig import DIGITS, Listened, open_window

from kiosk.accessibility.voice import VoiceGuide
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.flows.session import SessionFlow, Step
from kiosk.i18n import Translations
from kiosk.testing.card import RecordingCard
from kiosk.testing.clock import ManualClock
from kiosk.testing.data import SNAPSHOT
from kiosk.testing.runner import ManualRunner
from kiosk.ui.window import KioskWindow


@dataclass
class Voiced(Listened):
    window: KioskWindow
    flow: SessionFlow
    card: RecordingCard
    runner: ManualRunner
    clock: ManualClock
    engine: RecordingEngine
    player: RecordingPlayer
    guide: VoiceGuide


@pytest.fixture
def voiced(qtbot, tmp_path: Path) -> Voiced:
    translations = Translations(tmp_path)
    rig = KioskRig(printer=None, outbox=None)
    engine, player = RecordingEngine(), RecordingPlayer()
    guide = VoiceGuide(translations, engine, player, voice_mode=False)
    window = open_window(qtbot, rig.flow, translations, monotonic=rig.clock, guide=guide)
    return Voiced(window, rig.flow, rig.card, rig.runner, rig.clock, engine, player, guide)


def test_silent_until_asked_then_the_screen_is_read_in_order(voiced: Voiced, qtbot) -> None:
    assert voiced.said() == []
    voiced.press(qtbot, Qt.Key.Key_Asterisk)  # help/repeat switches voice on
    assert voiced.guide.voice_mode
    said = voiced.said()
    assert said[:2] == ["attract.heading", "attract.hint"]
    assert said[2:5] == [
        "prompt.press_digit",
        "attract.choice.elderly",
        "attract.choice.elderly.examples",
    ]
    assert "请插入社保卡" in voiced.texts()


def test_holding_hash_on_the_attract_screen_switches_voice_on(voiced: Voiced) -> None:
    window = voiced.window
    focus = QApplication.focusWidget() or window

    def send(auto_repeat: bool) -> None:
        event = QKeyEvent(
            QEvent.Type.KeyPress,
            Qt.Key.Key_NumberSign,
            Qt.KeyboardModifier.NoModifier,
            "#",
            auto_repeat,
        )
        QApplication.sendEvent(focus, event)

    send(False)
    voiced.clock.now += 1.0
    send(True)
    assert not voiced.guide.voice_mode  # a press is not a hold
    voiced.clock.now += 1.2
    send(True)
    assert voiced.guide.voice_mode
    assert voiced.said()[0] == "attract.heading"


def test_a_new_screen_cuts_off_the_last_one(voiced: Voiced, qtbot) -> None:
    voiced.guide.set_voice_mode(True)
    voiced.said()
    voiced.flow.card_inserted()  # reading screen
    voiced.card.reads[-1][0](SNAPSHOT)  # then the PIN screen
    stops = [e for e in voiced.player.events if e.kind == "stop"]
    assert stops, "each new screen stops what was playing"
    assert voiced.player.queued_ids[:2] == ["pin.heading", "pin.hint"]


def test_pin_digits_are_counted_never_spoken(voiced: Voiced, qtbot, tmp_path) -> None:
    from kiosk.domain.messages import msg

    voiced.guide.set_voice_mode(True)
    voiced.flow.card_inserted()
    voiced.card.reads[-1][0](SNAPSHOT)
    voiced.said()
    voiced.engine.calls.clear()
    voiced.press(qtbot, *(DIGITS[int(d)] for d in "246810"))
    assert voiced.said() == ["voice.pin.digit_entered"] * 6
    voiced.press(qtbot, Qt.Key.Key_Backspace)
    assert voiced.said() == ["voice.pin.digit_deleted"]
    # What was spoken is the count of digits and nothing else: the typed digits never appear.
    zh = Translations(tmp_path).get("zh_CN")
    expected = [zh.text(msg("voice.pin.digit_entered", count=n)) for n in range(1, 7)]
    expected.append(zh.text(msg("voice.pin.digit_deleted", count=5)))
    assert voiced.texts() == expected


def test_speech_follows_the_language_on_screen(voiced: Voiced, qtbot) -> None:
    voiced.guide.set_voice_mode(True)
    voiced.engine.calls.clear()
    qtbot.mouseClick(voiced.window.header.language_button, Qt.MouseButton.LeftButton)
    assert voiced.guide.language == "en"
    assert voiced.engine.calls and {c.language for c in voiced.engine.calls} == {"en"}
    assert "Please insert your social security card" in voiced.texts()


def test_the_greeting_name_is_not_said_on_the_loudspeaker(voiced: Voiced, qtbot) -> None:
    voiced.guide.set_voice_mode(True)
    voiced.flow.card_inserted()
    voiced.card.reads[-1][0](SNAPSHOT)
    voiced.press(qtbot, *(DIGITS[int(d)] for d in "123456"), Qt.Key.Key_Return)
    voiced.card.pins[-1][1](None)
    voiced.runner.finish_all()
    assert voiced.flow.step is Step.HOME
    assert not any("王" in text for text in voiced.texts())
    voiced.guide.set_private(True)  # a headset: personal data may be spoken now
    assert any("王" in text for text in voiced.texts())


def test_rate_and_volume_keys_step_and_reset_with_the_session(voiced: Voiced, qtbot) -> None:
    rate, volume = voiced.guide.rate, voiced.guide.volume
    voiced.press(qtbot, Qt.Key.Key_F8, Qt.Key.Key_F6)
    assert voiced.guide.rate > rate and voiced.guide.volume > volume
    voiced.flow.card_inserted()
    voiced.flow.card_removed()  # the session ends: the next resident gets the defaults
    assert voiced.guide.rate == rate and voiced.guide.volume == volume
    assert not voiced.guide.voice_mode


def test_the_header_switch_turns_voice_on_and_off(voiced: Voiced, qtbot) -> None:
    button = voiced.window.header.voice_button
    assert button.isVisible() and button.text() == "语音播报"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert voiced.guide.voice_mode and button.text() == "关闭语音"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not voiced.guide.voice_mode


def test_calling_staff_is_shown_and_said(voiced: Voiced, qtbot) -> None:
    voiced.window.toggle_voice()
    voiced.said()
    assert voiced.window.footer.staff_button.isVisible()
    assert voiced.window.footer.staff_button.text() == "呼叫工作人员"
    voiced.press(qtbot, Qt.Key.Key_F2)
    assert voiced.said() == ["footer.call_staff.sending"]
    voiced.runner.finish_all()
    assert voiced.window.footer.staff_button.text() == "已呼叫，请稍候"
    assert voiced.said() == ["footer.call_staff.called"]
