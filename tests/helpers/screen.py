"""What a window shows and what the voice says, read as a resident (or a screen reader) gets
them: from the visible widgets and the speech engine, never from the window's own state."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from kiosk.accessibility.voice import VoiceGuide
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.i18n import Translations


def shown_texts(window: QWidget, *, names: bool = False) -> list[str]:
    """Every text a visible label or button shows, and with `names` every accessible name."""
    QApplication.processEvents()  # widgets added to a layout show on the next event loop
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QPushButton):
            found.append(widget.text())
        if names:
            found.append(widget.accessibleName())
    return [text for text in found if text]


def spoken_texts(engine: RecordingEngine) -> list[str]:
    """Everything the speech engine was asked to say, in order."""
    return [call.text for call in engine.calls]


@dataclass
class Voice:
    """A voice guide that speaks into a recording engine and player, to read what it said."""

    guide: VoiceGuide
    engine: RecordingEngine
    player: RecordingPlayer


def recorded_voice(translations: Translations, *, voice_mode: bool = True) -> Voice:
    engine, player = RecordingEngine(), RecordingPlayer()
    return Voice(VoiceGuide(translations, engine, player, voice_mode=voice_mode), engine, player)
