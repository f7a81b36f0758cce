"""Plays WAV clips through Qt Multimedia (QMediaPlayer and QAudioOutput), one after another.

Each clip is played from memory through a QBuffer, so a dynamic prompt's audio never touches the
disk. Qt Multimedia is imported on first use: it needs the system's libpulse0 on Linux, and a
kiosk without it must still start, silent. Without a sound device (a CI machine, a kiosk whose
speaker cable is out) the player drops clips and says so once in the log; it checks again for
a device when the next clip comes, so plugging a headset in brings speech back.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from kiosk.devices.speech.interface import Clip

log = logging.getLogger(__name__)


def _count_outputs() -> int:
    from PySide6.QtMultimedia import QMediaDevices

    return len(QMediaDevices.audioOutputs())


def choose_output(wanted: str, outputs: Sequence[tuple[str, str]]) -> int | None:
    """Which of the sound outputs, as (id, description) pairs, is the configured device:
    the one whose id is `wanted` (a PulseAudio/PipeWire sink name, an ALSA or Windows device
    id), else the first whose description contains it. None when none is."""
    for index, (device_id, _description) in enumerate(outputs):
        if device_id == wanted:
            return index
    for index, (_device_id, description) in enumerate(outputs):
        if wanted and wanted in description:
            return index
    return None


def _output_list() -> list[tuple[str, str]]:
    from PySide6.QtMultimedia import QMediaDevices

    return [
        (bytes(device.id().data()).decode(errors="replace"), device.description())
        for device in QMediaDevices.audioOutputs()
    ]


class QtAudioPlayer:
    """AudioPlayer over QMediaPlayer. Create and use it on the Qt main thread.

    `outputs` counts the sound devices (Qt's list by default); tests give their own. `device`
    names the sound device to speak through (`[speech] device`: its id or part of its
    description); "" is the system's default output.
    """

    def __init__(self, *, outputs: Callable[[], int] | None = None, device: str = "") -> None:
        self._outputs = outputs or _count_outputs
        self._device = device
        self._queue: deque[Clip] = deque()
        self._volume = 1.0
        self._media: Any = None  # QMediaPlayer, made on first use
        self._output: Any = None  # QAudioOutput
        self._buffer: Any = None  # QBuffer of the clip playing: kept alive while it plays
        self._current: Clip | None = None
        self._silent_reason: str | None = None
        self.played: int = 0  # clips played to their end, for the tests and the dev panel

    @property
    def playing(self) -> bool:
        return self._current is not None

    def enqueue(self, clip: Clip) -> None:
        if not clip.wav or clip.duration_s <= 0:
            return
        if not self._ready():
            return
        self._queue.append(clip)
        if self._current is None:
            self._next()

    def stop(self) -> None:
        self._queue.clear()
        self._current = None
        if self._media is not None:
            # The buffer stays alive: Qt's decoder may still be reading it on its own thread.
            # It is let go only once another source has replaced it (in _next or close).
            self._media.stop()

    def set_volume(self, level: float) -> None:
        self._volume = max(0.0, min(1.0, level))
        if self._output is not None:
            self._output.setVolume(self._volume)

    def close(self) -> None:
        self.stop()
        if self._media is not None:
            from PySide6.QtCore import QUrl

            self._media.setSource(QUrl())
            self._media.deleteLater()
            self._output.deleteLater()
        self._media = self._output = self._buffer = None

    def _silent(self, reason: str) -> None:
        if self._silent_reason != reason:
            # One line per change of state, never per clip: a kiosk without a speaker would
            # otherwise fill its log.
            log.warning("speech is silent: %s", reason)
            self._silent_reason = reason

    def _ready(self) -> bool:
        try:
            outputs = self._outputs()
        except ImportError as error:
            self._silent(f"Qt Multimedia does not load ({error.name or 'a library'} missing)")
            return False
        if outputs == 0:
            self._silent("no sound device")
            return False
        if self._device and self._media is None and not self._device_present():
            self._silent(f"the configured sound device {self._device!r} is not present")
            return False
        if self._media is None:
            try:
                self._make_media()
            except ImportError as error:
                self._silent(f"Qt Multimedia does not load ({error.name or 'a library'} missing)")
                return False
        if self._silent_reason is not None:
            log.info("speech has a sound device again")
            self._silent_reason = None
        return True

    def _device_present(self) -> bool:
        return choose_output(self._device, _output_list()) is not None

    def _make_media(self) -> None:
        from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

        self._output = QAudioOutput()
        if self._device:
            index = choose_output(self._device, _output_list())
            if index is not None:
                self._output.setDevice(QMediaDevices.audioOutputs()[index])
        self._output.setVolume(self._volume)
        self._media = QMediaPlayer()
        self._media.setAudioOutput(self._output)
        self._media.mediaStatusChanged.connect(self._status_changed)
        self._media.errorOccurred.connect(self._failed)

    def _next(self) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QUrl

        self._current = None
        if not self._queue:
            return
        clip = self._queue.popleft()
        buffer = QBuffer()
        buffer.setData(QByteArray(clip.wav or b""))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._current = clip
        # The URL only tells the decoder it is a WAV; nothing is read from it.
        self._media.setSourceDevice(buffer, QUrl("speech.wav"))
        # Only now, with the new source in place, may the last clip's buffer go.
        self._buffer = buffer
        self._media.play()

    def _status_changed(self, status: Any) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if self._current is None:
            return
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self.played += 1
            self._advance_later()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            log.warning(
                "a speech clip (%s) could not be decoded", self._current.utterance.message_id
            )
            self._advance_later()

    def _failed(self, error: Any, _description: str) -> None:
        # The description may quote the device, never the text; the error's name is enough.
        log.warning("speech playback failed: %s", getattr(error, "name", error))
        if self._current is not None:
            self._advance_later()

    def _advance_later(self) -> None:
        """The next clip starts from the event loop, not inside the player's own signal: a new
        source set from there deadlocks Qt's FFmpeg backend."""
        from PySide6.QtCore import QTimer

        ended = self._current
        if not self._queue:
            # Nothing follows: the player is idle now, not after one more turn of the event
            # loop, so `playing` never reports a clip that has already ended.
            self._current = None
            return
        QTimer.singleShot(0, lambda: self._advance_from(ended))

    def _advance_from(self, ended: Clip | None) -> None:
        # stop() in between (current is None) or another clip already started: nothing to do.
        if ended is not None and self._current is ended:
            self._next()
