"""The voice guide (Art. 10): what the kiosk says, when, how fast, how loud, and what it must not
say aloud. Qt-free: the window calls it, an engine and a player do the sound.

Policy, by accessibility requirement:
- 1, 3: what is said is the screen's own messages (message ids with params), translated into
  the language on screen; text and speech share one id, so they cannot drift apart.
- 2: a new screen, a user action, a focus move or stop() cuts off whatever is playing and
  drops whatever was still being made; repeat() says the last screen again.
- 4, 17: 7 rate steps from 0.5x to 2x and 6 volume steps, back to the defaults for each session.
- 5: through the loudspeaker no message holding personal data is spoken: its public
  alternative is, or it is left out and one notice says why. A PIN digit is never spoken, with
  a headset either: the PIN methods take a count, never a digit.
- 6: the audio-only mode (the window blanks the screen) switches voice mode on.
- 8: plugging a headset in switches voice mode on.

Threading: every method is called on one thread (the UI thread). Fixed prompts found in the
prompt cache go to the player at once, inside the call; anything to be made goes to the
injected Worker, and reaches the player through the worker's `done` callback, which the worker
delivers on the caller's thread. InlineWorker makes it all synchronous, for tests.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

from kiosk.devices.speech.cache import PromptCache
from kiosk.devices.speech.interface import (
    AudioPlayer,
    Clip,
    SpeechEngine,
    SpeechError,
    Utterance,
)
from kiosk.domain.messages import N_, Message, msg
from kiosk.i18n import DEFAULT_LANGUAGE, LANGUAGES

log = logging.getLogger(__name__)
T = TypeVar("T")

# Requirement 4: at least 5 steps from 0.5x to 2x of the engine's normal rate.
RATE_STEPS: tuple[float, ...] = (0.5, 0.65, 0.8, 1.0, 1.25, 1.6, 2.0)
NORMAL_RATE_STEP = 3
# Requirement 20: the elderly mode (长辈模式) speaks more slowly.
ELDERLY_RATE_STEP = 2
# Requirement 4: at least 5 volume steps; the default leaves room to go louder in a noisy hall.
VOLUME_STEPS: tuple[float, ...] = (0.2, 0.35, 0.5, 0.65, 0.8, 1.0)
DEFAULT_VOLUME_STEP = 3

PIN_DIGIT_ENTERED = N_("voice.pin.digit_entered")
PIN_DIGIT_DELETED = N_("voice.pin.digit_deleted")
PIN_CLEARED = N_("voice.pin.cleared")
PRIVATE_WITHHELD = N_("voice.private_withheld")
HEADSET_CONNECTED = N_("voice.headset.connected")
HEADSET_DISCONNECTED = N_("voice.headset.disconnected")
RATE_STEP = N_("voice.rate.step")
RATE_FASTEST = N_("voice.rate.fastest")
RATE_SLOWEST = N_("voice.rate.slowest")
VOLUME_STEP = N_("voice.volume.step")
VOLUME_LOUDEST = N_("voice.volume.loudest")
VOLUME_QUIETEST = N_("voice.volume.quietest")
# A PIN is at most 12 digits (ISO 9564); a larger "count" is a bug that might be the PIN itself.
# A PIN has at most 12 digits; the keypad's longest entry is an 18-character ID number.
_MAX_PIN_LENGTH = 18


@dataclass(frozen=True)
class Spoken:
    """A message and what the loudspeaker says in its place when it holds personal data.

    Spoken(msg("home.heading", name=..., private=("name",)), on_loudspeaker=msg("home.hello"))
    says the name in a headset and only the greeting aloud (requirement 5).
    """

    message: Message
    on_loudspeaker: Message | None = None


Speakable = Message | Spoken


class TextSource(Protocol):
    """kiosk.i18n.Translator fits."""

    def text(self, message: Message | str) -> str: ...


class Catalogs(Protocol):
    """kiosk.i18n.Translations fits."""

    def get(self, language: str) -> TextSource: ...


class Worker(Protocol):
    """Runs a job off the caller's thread, then calls done(result) back on the caller's thread,
    in the order the jobs were submitted."""

    def submit(self, job: Callable[[], T], done: Callable[[T], None]) -> None: ...


class InlineWorker:
    """Runs each job at once, inside submit(): deterministic, for tests and tools."""

    def submit(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        done(job())


class ThreadWorker:
    """One background thread, first in first out; `post` hands each `done` back to the owner's
    thread (in the kiosk: kiosk.ui.bridge.QtDispatcher.post). One thread keeps the clips of a
    screen in order; synthesis of a short prompt takes about 20 ms, so one is enough."""

    def __init__(self, post: Callable[[Callable[[], None]], None], name: str = "speech") -> None:
        self._post = post
        self._name = name
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], Callable[[Any], None]] | None] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, job: Callable[[], T], done: Callable[[T], None]) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
        self._jobs.put((job, done))

    def _run(self) -> None:
        while (item := self._jobs.get()) is not None:
            job, done = item
            try:
                result = job()
            except Exception:
                log.exception("a speech job failed")
                continue
            self._post(partial(done, result))

    def close(self, timeout_s: float = 2.0) -> None:
        self._jobs.put(None)
        if self._thread is not None:
            self._thread.join(timeout_s)


class VoiceGuide:
    """Speaks the kiosk's screens and actions through an engine and a player.

    `cache` keeps fixed prompts as audio (with an engine that makes audio); `worker` makes the
    rest, InlineWorker when not given. `voice_mode` is the kiosk's default: whether screens
    speak on their own when they open (requirement 2).
    """

    def __init__(
        self,
        catalogs: Catalogs,
        engine: SpeechEngine,
        player: AudioPlayer,
        *,
        cache: PromptCache | None = None,
        worker: Worker | None = None,
        language: str = DEFAULT_LANGUAGE,
        voice_mode: bool = True,
        headset: bool = False,
        default_rate_step: int = NORMAL_RATE_STEP,
        default_volume_step: int = DEFAULT_VOLUME_STEP,
    ) -> None:
        if not 0 <= default_rate_step < len(RATE_STEPS):
            raise ValueError(f"default_rate_step must be 0 to {len(RATE_STEPS) - 1}")
        if not 0 <= default_volume_step < len(VOLUME_STEPS):
            raise ValueError(f"default_volume_step must be 0 to {len(VOLUME_STEPS) - 1}")
        self._catalogs = catalogs
        self._engine = engine
        self._player = player
        self._cache = cache
        self._worker: Worker = worker or InlineWorker()
        self._default_language = language
        self._default_voice_mode = voice_mode
        self._default_rate_step = default_rate_step
        self._default_volume_step = default_volume_step
        self._language = language
        self._texts = catalogs.get(language)
        self._voice_mode = voice_mode
        self._headset = headset
        self._rate_step = default_rate_step
        self._rate_chosen = False
        self._elderly = False
        self._volume_step = default_volume_step
        self._screen: tuple[Speakable, ...] = ()
        # Bumped by every cut-off; a clip made for an older generation is dropped, not played.
        self._generation = 0
        self._failure: str | None = None
        self._player.set_volume(self.volume)

    # --- state the window may show -------------------------------------------------------

    @property
    def language(self) -> str:
        return self._language

    @property
    def voice_mode(self) -> bool:
        return self._voice_mode

    @property
    def headset(self) -> bool:
        return self._headset

    @property
    def rate(self) -> float:
        return RATE_STEPS[self._rate_step]

    @property
    def rate_step(self) -> int:
        return self._rate_step

    @property
    def volume(self) -> float:
        return VOLUME_STEPS[self._volume_step]

    @property
    def volume_step(self) -> int:
        return self._volume_step

    # --- what the window calls ------------------------------------------------------------

    def screen_opened(self, items: Sequence[Speakable]) -> tuple[Utterance, ...]:
        """A new screen: cuts off the last one's speech and, in voice mode, says this one's
        items in order. Returns what is being said (nothing outside voice mode)."""
        self._screen = tuple(items)
        self._cut_off()
        return self._say(self._screen) if self._voice_mode else ()

    def action(self, *items: Speakable) -> tuple[Utterance, ...]:
        """Feedback on what the user just did (a choice made, an error, the inactivity warning):
        cuts off what is playing and says these. The screen to repeat stays the same."""
        self._cut_off()
        return self._say(items) if self._voice_mode else ()

    def focus_moved(self, item: Speakable) -> tuple[Utterance, ...]:
        """The keypad moved to another option: that option is said, and nothing else."""
        return self.action(item)

    def pin_digit_entered(self, count: int) -> tuple[Utterance, ...]:
        """Says how many digits are in, never which (requirement 5, ADA 707.4)."""
        return self.action(msg(PIN_DIGIT_ENTERED, count=self._pin_count(count)))

    def pin_digit_deleted(self, count: int) -> tuple[Utterance, ...]:
        """A digit was taken back; `count` digits are left."""
        return self.action(msg(PIN_DIGIT_DELETED, count=self._pin_count(count)))

    def pin_cleared(self) -> tuple[Utterance, ...]:
        return self.action(msg(PIN_CLEARED))

    def repeat(self) -> tuple[Utterance, ...]:
        """The help/repeat key: says the screen again from its start. Asking to hear is asking
        for voice mode, so it is switched on (requirement 7, 8)."""
        self._voice_mode = True
        self._cut_off()
        return self._say(self._screen)

    def stop(self) -> None:
        self._cut_off()

    def louder(self) -> bool:
        return self._step_volume(+1)

    def quieter(self) -> bool:
        return self._step_volume(-1)

    def faster(self) -> bool:
        return self._step_rate(+1)

    def slower(self) -> bool:
        return self._step_rate(-1)

    def set_private(self, headset: bool) -> None:
        """A headset was plugged in (True) or out. With it, personal data may be spoken; the
        change is announced and the screen said again for the new listener. Plugging it in
        switches voice mode on (requirement 8)."""
        if headset == self._headset:
            return
        self._headset = headset
        if headset:
            self._voice_mode = True
        self._cut_off()
        if self._voice_mode:
            notice = msg(HEADSET_CONNECTED if headset else HEADSET_DISCONNECTED)
            self._say((notice, *self._screen))

    def set_language(self, language: str) -> None:
        """Speech follows the language on screen (requirement 3). Cuts off what was playing in
        the old language; the window calls screen_opened() again once it has re-rendered."""
        if language == self._language:
            return
        self._texts = self._catalogs.get(language)
        self._language = language
        self._cut_off()

    def set_voice_mode(self, on: bool) -> None:
        if on == self._voice_mode:
            return
        self._voice_mode = on
        self._cut_off()
        if on:
            self._say(self._screen)

    def voice_on_with(self, *items: Speakable) -> tuple[Utterance, ...]:
        """Voice mode on, saying these items and then the screen: how the audio-only mode
        (requirement 6) tells a resident the screen went dark, and what is on it."""
        self._voice_mode = True
        self._cut_off()
        return self._say((*items, *self._screen))

    def set_elderly(self, on: bool) -> None:
        """The elderly mode speaks one step slower, unless the resident chose a rate."""
        self._elderly = on
        if not self._rate_chosen:
            self._rate_step = ELDERLY_RATE_STEP if on else self._default_rate_step

    def reset_for_new_session(self) -> None:
        """Requirement 17: the next resident gets the defaults, and nothing of the last one's
        screen (it may hold their name) stays in memory. The headset stays as it is plugged."""
        self._cut_off()
        self._screen = ()
        self._rate_step = self._default_rate_step
        self._rate_chosen = False
        self._elderly = False
        self._volume_step = self._default_volume_step
        self._player.set_volume(self.volume)
        self._voice_mode = self._default_voice_mode
        if self._language != self._default_language:
            self._texts = self._catalogs.get(self._default_language)
            self._language = self._default_language

    def prewarm(
        self, message_ids: Iterable[str], languages: Iterable[str] = LANGUAGES
    ) -> threading.Thread | None:
        """Makes the audio of these fixed prompts in every language on a background thread,
        at the default rate, so that screens speak at once. None when nothing is cached (no
        cache, or an engine that speaks by itself)."""
        if self._cache is None or not self._engine.capabilities.makes_audio:
            return None
        ids = list(message_ids)
        items = []
        for language in languages:
            texts = self._catalogs.get(language)
            for message_id in ids:
                text = texts.text(message_id)
                # Untranslated ids come back as themselves; templates need their params.
                if text and text != message_id and "{" not in text:
                    items.append((text, language))
        return self._cache.warm_in_background(items, RATE_STEPS[self._default_rate_step])

    # --- policy ---------------------------------------------------------------------------

    def utterances(self, items: Iterable[Speakable]) -> tuple[Utterance, ...]:
        """What these items say for the current listener, language and rate, without saying it
        (the accessibility audit lists this for every screen)."""
        result: list[Utterance] = []
        withheld = False
        for item in items:
            message = self._for_listener(item)
            if message is None:
                if not withheld:
                    # Said once, where the first withheld item was, so the resident knows there
                    # is more and how to hear it.
                    result.append(self._utterance(msg(PRIVATE_WITHHELD)))
                    withheld = True
                continue
            utterance = self._utterance(message)
            if utterance.text:
                result.append(utterance)
        return tuple(result)

    def _for_listener(self, item: Speakable) -> Message | None:
        if isinstance(item, Spoken):
            message, public = item.message, item.on_loudspeaker
        else:
            message, public = item, None
        if self._headset or not message.has_personal_data:
            return message
        if public is not None and not public.has_personal_data:
            return public
        return None

    def _utterance(self, message: Message) -> Utterance:
        return Utterance(
            message_id=message.id,
            text=self._texts.text(message).strip(),
            language=self._language,
            rate=self.rate,
            # Only a message without params is the same for everyone, so safe to keep on disk.
            cacheable=not message.params,
        )

    @staticmethod
    def _pin_count(count: int) -> int:
        if isinstance(count, bool) or not isinstance(count, int):
            raise TypeError("a PIN is announced by its count of digits, never its digits")
        if not 0 <= count <= _MAX_PIN_LENGTH:
            raise ValueError(f"a PIN has 0 to {_MAX_PIN_LENGTH} digits")
        return count

    def _step_rate(self, delta: int) -> bool:
        step = self._rate_step + delta
        if not 0 <= step < len(RATE_STEPS):
            self.action(msg(RATE_FASTEST if delta > 0 else RATE_SLOWEST))
            return False
        self._rate_step = step
        self._rate_chosen = True
        # Said at the new rate, so the resident hears what they chose.
        self.action(msg(RATE_STEP, step=step + 1, steps=len(RATE_STEPS)))
        return True

    def _step_volume(self, delta: int) -> bool:
        step = self._volume_step + delta
        if not 0 <= step < len(VOLUME_STEPS):
            self.action(msg(VOLUME_LOUDEST if delta > 0 else VOLUME_QUIETEST))
            return False
        self._volume_step = step
        self._player.set_volume(self.volume)
        self.action(msg(VOLUME_STEP, step=step + 1, steps=len(VOLUME_STEPS)))
        return True

    # --- the queue ------------------------------------------------------------------------

    def _cut_off(self) -> None:
        self._generation += 1
        self._player.stop()

    def _say(self, items: Iterable[Speakable]) -> tuple[Utterance, ...]:
        utterances = self.utterances(items)
        generation = self._generation
        behind_worker = False
        for utterance in utterances:
            # Once one utterance waits for the worker, the rest queue behind it: the worker
            # keeps submission order, the player would not.
            clip = None if behind_worker else self._ready_clip(utterance)
            if clip is not None:
                self._player.enqueue(clip)
                continue
            behind_worker = True
            self._worker.submit(
                partial(self._make_clip, utterance, generation),
                partial(self._deliver, generation),
            )
        return utterances

    def _ready_clip(self, utterance: Utterance) -> Clip | None:
        if not self._engine.capabilities.makes_audio:
            return Clip(utterance)
        if utterance.cacheable and self._cache is not None:
            wav = self._cache.get(utterance.text, utterance.language, utterance.rate)
            if wav is not None:
                return Clip(utterance, wav)
        return None

    def _make_clip(self, utterance: Utterance, generation: int) -> Clip | None:
        """On the worker's thread."""
        if generation != self._generation:
            return None
        started = time.perf_counter()
        try:
            if utterance.cacheable and self._cache is not None:
                wav = self._cache.get_or_make(utterance.text, utterance.language, utterance.rate)
            else:
                wav = self._engine.synthesize(utterance.text, utterance.language, utterance.rate)
        except SpeechError as error:
            reason = f"{type(error).__name__}: {error}"
            if reason != self._failure:
                # Once per kind of failure, not per prompt; the id says which prompt it hit.
                log.warning("no speech for %s: %s", utterance.message_id, reason)
                self._failure = reason
            return None
        self._failure = None
        log.debug(
            "made speech for %s in %.0f ms",
            utterance.message_id,
            1000 * (time.perf_counter() - started),
        )
        return Clip(utterance, wav)

    def _deliver(self, generation: int, clip: Clip | None) -> None:
        if clip is None or generation != self._generation:
            return
        self._player.enqueue(clip)
