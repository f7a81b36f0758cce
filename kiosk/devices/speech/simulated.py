"""Speech without sound: engines and players that record, for the tests, the demo's dev panel and
the accessibility audit, and silent ones for a kiosk that has no voice.

The recording ones keep what they were given (text included) in memory for whoever asserts on
it; the kiosk itself never uses them, so no spoken personal data piles up in a running kiosk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.devices.speech.interface import (
    Clip,
    EngineCapabilities,
    LanguageNotSupported,
    SynthesisFailed,
)
from kiosk.devices.speech.wav import empty_wav

ALL_LANGUAGES = frozenset({"zh_CN", "en"})


@dataclass(frozen=True)
class SynthesisCall:
    text: str = field(repr=False)
    language: str
    rate: float


class RecordingEngine:
    """Records what it was asked to say, in order, with language and rate; makes empty WAVs.

    `failing` makes every call raise SynthesisFailed, as an engine that broke would.
    """

    def __init__(self, languages: frozenset[str] = ALL_LANGUAGES, *, failing: bool = False) -> None:
        self.calls: list[SynthesisCall] = []
        self.failing = failing
        self.warmed_up = False
        self._languages = languages

    @property
    def name(self) -> str:
        return "recording"

    @property
    def capabilities(self) -> EngineCapabilities:
        return EngineCapabilities(languages=self._languages, makes_audio=True, offline=True)

    def voice_tag(self, language: str) -> str:
        return f"recording {language}"

    def warm_up(self) -> None:
        self.warmed_up = True

    def synthesize(self, text: str, language: str, rate: float) -> bytes:
        if language not in self._languages:
            raise LanguageNotSupported(f"the recording engine has no {language}")
        if self.failing:
            raise SynthesisFailed("the recording engine was told to fail")
        self.calls.append(SynthesisCall(text, language, rate))
        return empty_wav()

    @property
    def texts(self) -> list[str]:
        return [call.text for call in self.calls]


class NullEngine:
    """A kiosk without a voice (`kind = "none"`): says nothing and keeps nothing."""

    @property
    def name(self) -> str:
        return "none"

    @property
    def capabilities(self) -> EngineCapabilities:
        return EngineCapabilities(languages=ALL_LANGUAGES, makes_audio=True, offline=True)

    def voice_tag(self, language: str) -> str:
        return "none"

    def warm_up(self) -> None:
        pass

    def synthesize(self, text: str, language: str, rate: float) -> bytes:
        return empty_wav()


@dataclass(frozen=True)
class PlayerEvent:
    """("enqueue", clip), ("stop", None) or ("volume", level)."""

    kind: str
    clip: Clip | None = None
    volume: float | None = None


class RecordingPlayer:
    """A fake audio player: records which clips were queued, in what order, and every stop.

    Nothing plays, so a queued clip stays queued until stop() or finish_current(): tests decide
    when a clip has "ended", which keeps them free of timing.
    """

    def __init__(self) -> None:
        self.events: list[PlayerEvent] = []
        self.queue: list[Clip] = []
        self.finished: list[Clip] = []
        self.volume = 1.0
        self.closed = False

    def enqueue(self, clip: Clip) -> None:
        self.events.append(PlayerEvent("enqueue", clip))
        self.queue.append(clip)

    def stop(self) -> None:
        self.events.append(PlayerEvent("stop"))
        self.queue.clear()

    def set_volume(self, level: float) -> None:
        self.events.append(PlayerEvent("volume", volume=level))
        self.volume = level

    def close(self) -> None:
        self.queue.clear()
        self.closed = True

    def finish_current(self) -> Clip | None:
        """The clip at the head of the queue plays to its end."""
        if not self.queue:
            return None
        clip = self.queue.pop(0)
        self.finished.append(clip)
        return clip

    @property
    def queued_ids(self) -> list[str]:
        return [clip.utterance.message_id for clip in self.queue]

    @property
    def enqueued(self) -> list[Clip]:
        return [event.clip for event in self.events if event.clip is not None]


class NullPlayer:
    """Plays nothing: for a kiosk without a sound device or with speech switched off."""

    def enqueue(self, clip: Clip) -> None:
        pass

    def stop(self) -> None:
        pass

    def set_volume(self, level: float) -> None:
        pass

    def close(self) -> None:
        pass
