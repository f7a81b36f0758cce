"""Speech through Qt's QTextToSpeech: the system's own voices on Windows (SAPI/WinRT) and macOS.

Qt's Python binding offers no way to take the audio out of QTextToSpeech, so this engine makes
none: synthesize() refuses, and its player says each utterance's text itself. Prompts are then
not cached, which costs nothing: system engines start speaking at once.

Not for Linux by default: Qt's speech-dispatcher engine has no zh_CN voice, can hang without a
sound device and once crashed at exit (shared/DESIGN.md, "Voice"). QtTextToSpeech is imported on
first use; create and use both classes on the Qt main thread.
"""

from __future__ import annotations

import logging
import math
from collections import deque
from typing import Any

from kiosk.devices.speech.interface import Clip, EngineCapabilities, SynthesisUnsupported

log = logging.getLogger(__name__)


def qt_rate(rate: float) -> float:
    """QTextToSpeech's rate is -1 (slowest) to 1 (fastest), 0 normal: 0.5x -> -1, 2x -> 1."""
    return max(-1.0, min(1.0, math.log2(rate))) if rate > 0 else 0.0


class QtSpeechEngine:
    """SpeechEngine over QTextToSpeech (`engine` names a Qt TTS plugin; None = the default)."""

    def __init__(self, engine: str | None = None) -> None:
        self._engine_name = engine
        self._tts: Any = None

    def tts(self) -> Any:
        if self._tts is None:
            from PySide6.QtTextToSpeech import QTextToSpeech

            self._tts = QTextToSpeech(self._engine_name) if self._engine_name else QTextToSpeech()
        return self._tts

    @property
    def name(self) -> str:
        return f"qt-{self._engine_name or 'default'}"

    @property
    def capabilities(self) -> EngineCapabilities:
        return EngineCapabilities(languages=self._languages(), makes_audio=False, offline=True)

    def _languages(self) -> frozenset[str]:
        from PySide6.QtCore import QLocale

        found = {locale.language() for locale in self.tts().availableLocales()}
        codes = set()
        if QLocale.Language.Chinese in found:
            codes.add("zh_CN")
        if QLocale.Language.English in found:
            codes.add("en")
        return frozenset(codes)

    def voice_tag(self, language: str) -> str:
        return f"{self.name} {language}"

    def warm_up(self) -> None:
        # QTextToSpeech belongs to the main thread; it is made on first use there.
        pass

    def synthesize(self, text: str, language: str, rate: float) -> bytes:
        raise SynthesisUnsupported("Qt's text to speech speaks by itself: use its player()")

    def player(self) -> QtSpeechPlayer:
        return QtSpeechPlayer(self)


class QtSpeechPlayer:
    """AudioPlayer that says each clip's text through the engine's QTextToSpeech, in order."""

    def __init__(self, engine: QtSpeechEngine) -> None:
        self._engine = engine
        self._queue: deque[Clip] = deque()
        self._volume = 1.0
        self._connected = False
        self._speaking = False
        self._unsupported: set[str] = set()
        self.spoken: int = 0

    def _tts(self) -> Any:
        tts = self._engine.tts()
        if not self._connected:
            tts.stateChanged.connect(self._state_changed)
            tts.errorOccurred.connect(self._failed)
            self._connected = True
        return tts

    def enqueue(self, clip: Clip) -> None:
        self._queue.append(clip)
        if not self._speaking:
            self._next()

    def stop(self) -> None:
        self._queue.clear()
        if self._speaking:
            from PySide6.QtTextToSpeech import QTextToSpeech

            # Cleared first: the engine may report "ready" inside stop(), which is no end of
            # an utterance to count or to move on from.
            self._speaking = False
            self._tts().stop(QTextToSpeech.BoundaryHint.Immediate)

    def set_volume(self, level: float) -> None:
        self._volume = max(0.0, min(1.0, level))
        if self._engine._tts is not None:
            self._engine._tts.setVolume(self._volume)

    def close(self) -> None:
        self.stop()

    def _select_language(self, tts: Any, language: str) -> bool:
        from PySide6.QtCore import QLocale

        wanted = QLocale(language)
        if tts.locale().language() != wanted.language():
            tts.setLocale(wanted)
        # Qt falls back to another locale without a word when it has no voice for this one.
        if tts.locale().language() == wanted.language():
            return True
        if language not in self._unsupported:
            self._unsupported.add(language)
            log.warning("the system's speech has no voice for %s: not spoken", language)
        return False

    def _next(self) -> None:
        self._speaking = False
        tts = self._tts()
        while self._queue:
            clip = self._queue.popleft()
            utterance = clip.utterance
            if not self._select_language(tts, utterance.language):
                continue
            tts.setRate(qt_rate(utterance.rate))
            tts.setVolume(self._volume)
            self._speaking = True
            tts.say(utterance.text)
            return

    def _state_changed(self, state: Any) -> None:
        from PySide6.QtTextToSpeech import QTextToSpeech

        if state == QTextToSpeech.State.Ready and self._speaking:
            self.spoken += 1
            self._next()
        elif state == QTextToSpeech.State.Error:
            self._failed(None, "")

    def _failed(self, reason: Any, _description: str) -> None:
        log.warning("system speech failed: %s", getattr(reason, "name", "error state"))
        self._queue.clear()
        self._speaking = False
