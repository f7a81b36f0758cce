"""The one place that decides which speech engine and player the kiosk uses.

"auto" picks espeak-ng on Linux (offline Mandarin; Qt's speech-dispatcher engine has no zh_CN
and can hang) and Qt's system voices on Windows and macOS. A missing engine never stops the
kiosk: it runs silent, with one log line, and the screen still shows everything.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.devices.speech.cache import PromptCache
from kiosk.devices.speech.interface import AudioPlayer, EngineUnavailable, SpeechEngine
from kiosk.devices.speech.simulated import NullEngine, NullPlayer, RecordingEngine, RecordingPlayer

log = logging.getLogger(__name__)

ENGINE_KINDS = ("auto", "espeak-ng", "qt", "recording", "none")


@dataclass
class Speech:
    engine: SpeechEngine
    player: AudioPlayer
    # None when the engine makes no audio to keep (Qt's system voices, none).
    cache: PromptCache | None


def make_speech(
    kind: str = "auto",
    *,
    cache_folder: Path | None = None,
    espeak_program: str | None = None,
    qt_engine: str | None = None,
    device: str = "",
) -> Speech:
    """An engine with its player and prompt cache. Cheap: nothing Qt is created until first
    use, so this may run before the QApplication exists."""
    if kind not in ENGINE_KINDS:
        raise ValueError(f"unknown speech engine {kind!r}; known: {', '.join(ENGINE_KINDS)}")
    if kind == "auto":
        kind = "espeak-ng" if sys.platform.startswith("linux") else "qt"
    if kind == "espeak-ng":
        from kiosk.devices.speech.espeak import EspeakNgEngine
        from kiosk.devices.speech.qt_player import QtAudioPlayer

        try:
            engine = EspeakNgEngine(espeak_program)
        except EngineUnavailable as error:
            log.warning("speech is off: %s", error)
            return Speech(NullEngine(), NullPlayer(), None)
        return Speech(engine, QtAudioPlayer(device=device), PromptCache(engine, cache_folder))
    if kind == "qt":
        from kiosk.devices.speech.qt_speech import QtSpeechEngine

        qt = QtSpeechEngine(qt_engine)
        return Speech(qt, qt.player(), None)
    if kind == "recording":
        recording = RecordingEngine()
        return Speech(recording, RecordingPlayer(), None)
    return Speech(NullEngine(), NullPlayer(), None)
