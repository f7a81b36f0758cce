"""The audio-only mode (requirement 6): the screen blanked for privacy, speech and keypad on."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.rig import KioskRig
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from window_rig import open_window, press, said

from kiosk.accessibility.voice import VoiceGuide
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.flows.session import Step
from kiosk.i18n import Translations
from kiosk.ui.window import KioskWindow


def make_window(qtbot, tmp_path: Path, *, speech: bool) -> tuple[KioskWindow, RecordingPlayer]:
    translations = Translations(tmp_path)
    player = RecordingPlayer()
    guide = (
        VoiceGuide(translations, RecordingEngine(), player, voice_mode=False) if speech else None
    )
    flow = KioskRig(printer=None, outbox=None).flow
    return open_window(qtbot, flow, translations, guide=guide), player


@pytest.fixture
def voiced(qtbot, tmp_path: Path) -> tuple[KioskWindow, RecordingPlayer]:
    return make_window(qtbot, tmp_path, speech=True)


def test_the_screen_key_blanks_the_screen_and_says_so_then_the_screen(voiced, qtbot) -> None:
    window, player = voiced
    press(qtbot, window, Qt.Key.Key_F3)
    assert window.audio_only
    # Voice guidance comes on with it: a dark screen must speak.
    assert window.guide is not None and window.guide.voice_mode
    spoken = said(player)
    assert spoken[:3] == ["voice.screen_off", "attract.heading", "attract.hint"]
    image = window.grab().toImage()
    for x, y in ((10, 10), (window.width() // 2, window.height() // 2), (window.width() - 5, 5)):
        assert image.pixelColor(x, y) == QColor("#000000")


def test_the_keypad_works_the_dark_screen_and_touch_does_not(voiced, qtbot) -> None:
    window, player = voiced
    press(qtbot, window, Qt.Key.Key_F3)
    said(player)
    # A hand on the dark glass presses nothing it cannot see...
    center = window.rect().center()
    tile = window.choice_screen.tiles[0]
    qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=tile.mapTo(window, QPoint(5, 5)))
    qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=center)
    assert not window.profile.elderly
    # ...but the keypad chooses as before, and the choice is said.
    press(qtbot, window, Qt.Key.Key_1)
    assert window.profile.elderly
    assert window.audio_only
    assert "attract.heading" in said(player)


def test_the_screen_key_again_lights_the_screen(voiced, qtbot) -> None:
    window, player = voiced
    press(qtbot, window, Qt.Key.Key_F3)
    said(player)
    press(qtbot, window, Qt.Key.Key_F3)
    assert not window.audio_only
    assert said(player) == ["voice.screen_on"]
    image = window.grab().toImage()
    assert image.pixelColor(window.width() // 2, window.height() // 2) != QColor("#000000")


def test_switching_voice_off_lights_the_screen(voiced, qtbot) -> None:
    window, _player = voiced
    press(qtbot, window, Qt.Key.Key_F3)
    window.toggle_voice()  # the attract screen's choice 3, or the header's switch
    assert window.guide is not None and not window.guide.voice_mode
    assert not window.audio_only


def test_the_next_resident_gets_a_lit_screen(voiced, qtbot) -> None:
    window, _player = voiced
    window.flow.card_inserted()
    press(qtbot, window, Qt.Key.Key_F3)
    assert window.audio_only
    window.flow.card_removed()
    assert window.flow.step is Step.ATTRACT
    assert not window.audio_only  # requirement 17: settings back to the default
    image = window.grab().toImage()
    assert image.pixelColor(window.width() // 2, window.height() // 2) != QColor("#000000")


def test_no_dark_screen_without_a_voice(qtbot, tmp_path: Path) -> None:
    window, _player = make_window(qtbot, tmp_path, speech=False)
    press(qtbot, window, Qt.Key.Key_F3)
    assert not window.audio_only


def test_moving_the_focus_says_the_footer_button_it_lands_on(voiced, qtbot) -> None:
    window, player = voiced
    press(qtbot, window, Qt.Key.Key_Asterisk)  # voice on
    said(player)
    staff = window.footer.staff_button
    for _ in range(30):
        if QApplication.focusWidget() is staff:
            break
        press(qtbot, window, Qt.Key.Key_Down)
        assert said(player), "a focus move said nothing"
    press(qtbot, window, Qt.Key.Key_Up)
    press(qtbot, window, Qt.Key.Key_Down)
    assert said(player)[-1:] == ["footer.call_staff"]
