"""What the rest of the kiosk may know about speech: engines make audio, players sound it.

An engine turns one utterance into a WAV (or, for a system engine that speaks by itself, into
nothing: its own player says the text). A player queues clips and plays them in order; stop()
cuts off the current clip and empties the queue, because a new screen or a user action must
silence what is playing (accessibility requirement 2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.devices.speech.wav import wav_duration


class SpeechError(Exception):
    """Speech could not be made. Messages name the engine and the reason, never the text."""


class EngineUnavailable(SpeechError):
    """The engine is not installed or cannot start on this machine."""


class LanguageNotSupported(SpeechError):
    pass


class SynthesisFailed(SpeechError):
    pass


class SynthesisUnsupported(SpeechError):
    """The engine speaks by itself through its own player and makes no audio to hand over."""


@dataclass(frozen=True)
class EngineCapabilities:
    # Kiosk language codes ("zh_CN", "en") the engine has a voice for.
    languages: frozenset[str]
    # True: synthesize() returns WAV bytes (cacheable, playable by any AudioPlayer).
    # False: the engine speaks text itself through the player it provides.
    makes_audio: bool
    # Needs no network: a kiosk in a service hall must speak with the platform down.
    offline: bool


@dataclass(frozen=True)
class Utterance:
    """One message, translated, to be spoken at a rate.

    The text is left out of repr() so that an utterance put in a log line by mistake does not
    carry personal data with it; the message id says which prompt it was.
    """

    message_id: str
    text: str = field(repr=False)
    language: str
    rate: float = 1.0
    # A fixed prompt (no parameters, so no personal data) may be kept as audio on disk.
    cacheable: bool = False


@dataclass(frozen=True)
class Clip:
    """An utterance made ready to play: its WAV, or None when a direct engine says the text."""

    utterance: Utterance
    wav: bytes | None = field(default=None, repr=False)

    @property
    def duration_s(self) -> float:
        return wav_duration(self.wav) if self.wav else 0.0


class SpeechEngine(Protocol):
    """Turns text into speech in one of its languages.

    synthesize() blocks (a subprocess, a system call) and is safe to call from any thread; the
    voice guide calls it on its worker thread.
    """

    @property
    def name(self) -> str: ...

    @property
    def capabilities(self) -> EngineCapabilities: ...

    def voice_tag(self, language: str) -> str:
        """Names the voice that would speak this language (engine version included): part of
        the cache key, so audio made by another voice or version is never replayed."""
        ...

    def warm_up(self) -> None:
        """Loads now what the first synthesis would load (dictionaries, the version), so that
        no resident waits for it. Called on a background thread by PromptCache.warm()."""
        ...

    def synthesize(self, text: str, language: str, rate: float) -> bytes:
        """A complete WAV of `text` spoken at `rate` times the engine's normal rate.

        Raises LanguageNotSupported, SynthesisFailed, EngineUnavailable or, for engines that
        speak by themselves, SynthesisUnsupported.
        """
        ...


class AudioPlayer(Protocol):
    """Plays clips one after another. Called on one thread only (the UI thread in the kiosk).

    Playback problems (no sound device, a broken clip) never raise: the player degrades to
    silence and says so once in the log.
    """

    def enqueue(self, clip: Clip) -> None: ...

    def stop(self) -> None:
        """Cuts off the clip playing and forgets the queued ones."""
        ...

    def set_volume(self, level: float) -> None:
        """0.0 (silent) to 1.0 (the device's full volume)."""
        ...

    def close(self) -> None: ...


# A headset plugged in (True) or out (False); called on the detector's own thread.
HeadsetListener = Callable[[bool], None]


class HeadsetDetector(Protocol):
    """Whether a headset is in the kiosk's audio jack, as the sound system reports it: with
    one, speech may say the resident's own data (requirement 5, Art. 13)."""

    @property
    def name(self) -> str: ...

    def start(self, listener: HeadsetListener) -> None:
        """Reports the state soon after starting, then each change."""
        ...

    def stop(self) -> None: ...

    def read_now(self) -> bool | None:
        """The state now (blocking): True plugged, False not, None when it cannot be told."""
        ...
