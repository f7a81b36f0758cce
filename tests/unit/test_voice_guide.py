"""The voice guide's queue, in the manner of accessible voting machines: what is spoken, in what
order and language, when it is cut off, and what must never be said aloud (requirements 1-5, 8,
16, 17). A recording engine and a fake player stand in for sound; nothing here needs Qt."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers.imports import loaded_by

from kiosk.accessibility import voice
from kiosk.accessibility.voice import (
    RATE_STEPS,
    VOLUME_STEPS,
    Spoken,
    ThreadWorker,
    VoiceGuide,
)
from kiosk.devices.speech.cache import PromptCache
from kiosk.devices.speech.interface import EngineCapabilities
from kiosk.devices.speech.simulated import RecordingEngine, RecordingPlayer
from kiosk.domain.messages import msg
from kiosk.i18n import Translations

NAME = "张秀兰"
ROOT = Path(__file__).resolve().parents[2]


class ManualWorker:
    """Holds jobs until the test runs them: shows what happens to speech still being made."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[[], Any], Callable[[Any], None]]] = []

    def submit(self, job, done) -> None:
        self.jobs.append((job, done))

    def run_all(self) -> None:
        while self.jobs:
            job, done = self.jobs.pop(0)
            done(job())

    def run_without_delivering(self) -> list[Callable[[], None]]:
        """The jobs finish on the worker; their results are still on the way to the caller."""
        in_flight = []
        while self.jobs:
            job, done = self.jobs.pop(0)
            result = job()
            in_flight.append(lambda done=done, result=result: done(result))
        return in_flight


class DirectEngine(RecordingEngine):
    """An engine that speaks by itself, as Qt's system voices do."""

    @property
    def capabilities(self) -> EngineCapabilities:
        return EngineCapabilities(frozenset({"zh_CN", "en"}), makes_audio=False, offline=True)


@pytest.fixture(scope="module")
def translations(tmp_path_factory: pytest.TempPathFactory) -> Translations:
    return Translations(tmp_path_factory.mktemp("catalogs"))


@pytest.fixture
def engine() -> RecordingEngine:
    return RecordingEngine()


@pytest.fixture
def player() -> RecordingPlayer:
    return RecordingPlayer()


@pytest.fixture
def guide(translations, engine, player) -> VoiceGuide:
    return VoiceGuide(translations, engine, player)


def greeting(name: str = NAME):
    return msg("home.heading", name=name, private=("name",))


def zh(translations: Translations, message) -> str:
    return translations.get("zh_CN").text(message)


def en(translations: Translations, message) -> str:
    return translations.get("en").text(message)


# --- what is spoken, in order and language ------------------------------------------------


def test_a_screen_is_spoken_in_order_in_the_language_on_screen(guide, engine, player, translations):
    items = [msg("attract.heading"), msg("attract.hint")]
    said = guide.screen_opened(items)

    expected = [zh(translations, m) for m in items]
    assert [u.text for u in said] == expected
    assert engine.texts == expected
    assert {c.language for c in engine.calls} == {"zh_CN"}
    assert player.queued_ids == ["attract.heading", "attract.hint"]


def test_switching_language_cuts_off_and_the_next_screen_speaks_english(
    guide, engine, player, translations
):
    guide.screen_opened([msg("attract.heading")])
    guide.set_language("en")
    assert player.queue == [], "speech in the old language stops at once"

    guide.screen_opened([msg("attract.heading"), msg("pin.error.wrong", tries=2)])
    assert engine.calls[-2].language == engine.calls[-1].language == "en"
    assert engine.texts[-2:] == [
        en(translations, msg("attract.heading")),
        en(translations, msg("pin.error.wrong", tries=2)),
    ]


def test_an_unknown_language_is_refused_and_the_guide_keeps_speaking_the_old_one(guide, engine):
    with pytest.raises(Exception, match="xx"):
        guide.set_language("xx")
    assert guide.language == "zh_CN"
    guide.screen_opened([msg("attract.heading")])
    assert engine.calls[-1].language == "zh_CN"


# --- cut off: new screen, action, focus, stop ---------------------------------------------


def test_a_new_screen_clears_the_queue_of_the_last(guide, player):
    guide.screen_opened([msg("attract.heading"), msg("attract.hint")])
    player.finish_current()  # the heading was heard; the hint is still queued
    guide.screen_opened([msg("reading.heading")])

    stops = [i for i, e in enumerate(player.events) if e.kind == "stop"]
    assert stops, "the player was told to stop"
    after_last_stop = [e.clip.utterance.message_id for e in player.events[stops[-1] :] if e.clip]
    assert after_last_stop == ["reading.heading"]
    assert player.queued_ids == ["reading.heading"]


def test_speech_still_being_made_for_an_old_screen_is_never_played(translations, engine, player):
    worker = ManualWorker()
    guide = VoiceGuide(translations, engine, player, worker=worker)
    guide.screen_opened([msg("attract.heading"), msg("attract.hint")])
    assert player.queue == [] and len(worker.jobs) == 2

    guide.screen_opened([msg("reading.heading")])
    worker.run_all()

    assert player.queued_ids == ["reading.heading"]
    # The stale jobs did not even run the engine: cut off means no wasted synthesis either.
    assert engine.texts == [zh(translations, msg("reading.heading"))]


def test_a_clip_finished_just_before_the_cut_off_and_delivered_after_it_is_dropped(
    translations, engine, player
):
    worker = ManualWorker()
    guide = VoiceGuide(translations, engine, player, worker=worker)
    guide.screen_opened([msg("catalog.hint", count=4)])
    in_flight = worker.run_without_delivering()
    assert len(engine.calls) == 1, "the clip was made"
    guide.action(msg("footer.back"))
    for deliver in in_flight:
        deliver()
    worker.run_all()
    assert player.queued_ids == ["footer.back"]


def test_a_user_action_cuts_off_the_screen_and_repeat_says_the_screen_again(
    guide, player, translations
):
    guide.screen_opened([msg("pin.heading"), msg("pin.hint")])
    guide.action(msg("pin.error.length", digits=6))
    assert player.queued_ids == ["pin.error.length"]

    said = guide.repeat()
    assert [u.message_id for u in said] == ["pin.heading", "pin.hint"]
    assert player.queued_ids == ["pin.heading", "pin.hint"]


def test_moving_focus_clears_the_queue_and_says_only_the_focused_option(guide, player):
    guide.screen_opened([msg("home.hint")])
    guide.focus_moved(msg("home.choice.services"))
    guide.focus_moved(msg("home.choice.finish"))
    assert player.queued_ids == ["home.choice.finish"]


def test_stop_silences_everything_including_speech_not_yet_made(translations, engine, player):
    worker = ManualWorker()
    guide = VoiceGuide(translations, engine, player, worker=worker)
    guide.screen_opened([msg("catalog.hint", count=9)])
    guide.stop()
    worker.run_all()
    assert player.queue == []
    assert engine.calls == []


# --- privacy: personal data and PINs (requirement 5) --------------------------------------


def test_personal_data_is_not_spoken_on_the_loudspeaker(guide, engine, player, translations):
    said = guide.screen_opened([greeting(), msg("home.hint")])

    assert all(NAME not in text for text in engine.texts)
    assert [u.message_id for u in said] == [voice.PRIVATE_WITHHELD, "home.hint"]
    assert player.queued_ids == [voice.PRIVATE_WITHHELD, "home.hint"]


def test_on_the_loudspeaker_the_public_alternative_is_spoken_instead(guide, engine):
    public = msg("home.hint")
    said = guide.screen_opened([Spoken(greeting(), on_loudspeaker=public)])
    assert [u.message_id for u in said] == ["home.hint"]
    assert all(NAME not in text for text in engine.texts)


def test_a_public_alternative_holding_personal_data_is_withheld_too(guide, engine):
    said = guide.screen_opened([Spoken(greeting(), on_loudspeaker=greeting("李四"))])
    assert [u.message_id for u in said] == [voice.PRIVATE_WITHHELD]
    assert all(NAME not in t and "李四" not in t for t in engine.texts)


def test_the_withheld_notice_is_said_once_per_screen(guide):
    said = guide.screen_opened([greeting(), msg("home.hint"), greeting("李四")])
    assert [u.message_id for u in said] == [voice.PRIVATE_WITHHELD, "home.hint"]


def test_with_a_headset_personal_data_is_spoken(guide, engine, translations):
    guide.set_private(True)
    said = guide.screen_opened([greeting(), msg("home.hint")])
    assert [u.message_id for u in said] == ["home.heading", "home.hint"]
    assert any(NAME in text for text in engine.texts)
    assert zh(translations, greeting()) in engine.texts


def test_unplugging_the_headset_cuts_the_name_off_and_says_the_screen_without_it(
    guide, engine, player
):
    guide.set_private(True)
    guide.screen_opened([greeting(), msg("home.hint")])
    calls_before = len(engine.calls)
    guide.set_private(False)

    assert player.queued_ids == [voice.HEADSET_DISCONNECTED, voice.PRIVATE_WITHHELD, "home.hint"]
    assert all(NAME not in c.text for c in engine.calls[calls_before:])


PIN = "987090"  # digits that no count of a six-digit PIN (1 to 6) can be mistaken for


@pytest.mark.parametrize("headset", [False, True])
def test_a_pin_digit_is_never_spoken_only_how_many(guide, engine, player, headset):
    guide.set_private(headset)
    guide.screen_opened([msg("pin.heading"), msg("pin.hint")])
    entered = ""
    for digit in PIN[:4]:
        entered += digit
        guide.pin_digit_entered(len(entered))
    entered = entered[:-1]
    guide.pin_digit_deleted(len(entered))
    for digit in PIN[3:]:
        entered += digit
        guide.pin_digit_entered(len(entered))
    assert entered == PIN

    spoken = "".join(engine.texts)
    assert not set(PIN) & set(spoken), "no digit of the PIN was spoken"
    pin_messages = [
        e.clip.utterance.message_id
        for e in player.events
        if e.clip and e.clip.utterance.message_id.startswith("voice.pin.")
    ]
    assert (
        pin_messages
        == [voice.PIN_DIGIT_ENTERED] * 4 + [voice.PIN_DIGIT_DELETED] + [voice.PIN_DIGIT_ENTERED] * 3
    )
    # Each keypress cuts off the last count: a fast typist hears only the latest.
    assert player.queued_ids == [voice.PIN_DIGIT_ENTERED]


def test_the_pin_methods_refuse_anything_but_a_count(guide):
    with pytest.raises(TypeError):
        guide.pin_digit_entered("7")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        guide.pin_digit_entered(987090)


def test_personal_data_reaches_no_log_line_and_no_cache_file(
    translations, engine, player, tmp_path, caplog
):
    cache = PromptCache(engine, tmp_path / "speech")
    guide = VoiceGuide(translations, engine, player, cache=cache, headset=True)
    caplog.set_level(logging.DEBUG)
    guide.screen_opened([greeting(), msg("home.hint")])
    guide.pin_digit_entered(3)

    assert any(NAME in text for text in engine.texts), "the headset heard the name"
    assert all(NAME not in record.getMessage() for record in caplog.records)
    assert all(zh(translations, msg("home.hint")) not in r.getMessage() for r in caplog.records)
    # Only the fixed prompt went to disk; the greeting with the name was made in memory.
    assert sorted(p.name for p in cache.folder.iterdir()) == [
        cache.path(zh(translations, msg("home.hint")), "zh_CN", 1.0).name
    ]


# --- rate and volume (requirements 4, 17, 20) ---------------------------------------------


def test_rate_has_at_least_five_steps_from_half_to_double():
    assert len(RATE_STEPS) >= 5
    assert RATE_STEPS[0] == 0.5 and RATE_STEPS[-1] == 2.0
    assert list(RATE_STEPS) == sorted(set(RATE_STEPS))
    assert RATE_STEPS[voice.NORMAL_RATE_STEP] == 1.0


def test_volume_has_at_least_five_steps():
    assert len(VOLUME_STEPS) >= 5
    assert list(VOLUME_STEPS) == sorted(set(VOLUME_STEPS))
    assert VOLUME_STEPS[0] > 0 and VOLUME_STEPS[-1] == 1.0


def test_faster_and_slower_walk_every_step_and_speech_uses_the_new_rate(guide, engine):
    rates = [guide.rate]
    while guide.faster():
        rates.append(guide.rate)
    assert rates == list(RATE_STEPS[voice.NORMAL_RATE_STEP :])
    assert engine.calls[-1].rate == RATE_STEPS[-1]
    assert engine.calls[-1].text == zh_text_of(guide, msg(voice.RATE_FASTEST))

    while guide.slower():
        pass
    assert guide.rate == RATE_STEPS[0]
    guide.screen_opened([msg("attract.heading")])
    assert engine.calls[-1].rate == 0.5


def zh_text_of(guide: VoiceGuide, message) -> str:
    return guide.utterances([message])[0].text


def test_the_new_rate_is_announced_at_that_rate(guide, engine, translations):
    guide.faster()
    call = engine.calls[-1]
    step = voice.NORMAL_RATE_STEP + 1
    assert call.rate == RATE_STEPS[step]
    assert call.text == zh(translations, msg(voice.RATE_STEP, step=step + 1, steps=len(RATE_STEPS)))


def test_louder_and_quieter_set_the_player_volume_through_every_step(guide, player):
    volumes = [player.volume]
    while guide.louder():
        volumes.append(player.volume)
    assert volumes == list(VOLUME_STEPS[voice.DEFAULT_VOLUME_STEP :])
    assert player.queued_ids == [voice.VOLUME_LOUDEST]
    while guide.quieter():
        pass
    assert player.volume == VOLUME_STEPS[0]
    assert player.queued_ids == [voice.VOLUME_QUIETEST]


def test_a_new_session_resets_rate_volume_language_and_forgets_the_screen(guide, engine, player):
    guide.set_private(True)
    guide.screen_opened([greeting()])
    guide.faster()
    guide.faster()
    guide.quieter()
    guide.set_language("en")
    guide.set_voice_mode(False)

    guide.reset_for_new_session()

    assert guide.rate == 1.0 and guide.rate_step == voice.NORMAL_RATE_STEP
    assert guide.volume == player.volume == VOLUME_STEPS[voice.DEFAULT_VOLUME_STEP]
    assert guide.language == "zh_CN"
    assert guide.voice_mode is True
    assert player.queue == []
    calls = len(engine.calls)
    assert guide.repeat() == (), "the last resident's screen (with their name) is gone"
    assert len(engine.calls) == calls


def test_elderly_mode_speaks_slower_unless_the_resident_chose_a_rate(guide):
    guide.set_elderly(True)
    assert guide.rate < 1.0
    guide.set_elderly(False)
    assert guide.rate == 1.0
    guide.faster()
    chosen = guide.rate
    guide.set_elderly(True)
    assert guide.rate == chosen
    guide.reset_for_new_session()
    assert guide.rate == 1.0


# --- voice mode and the headset (requirements 2, 8) ---------------------------------------


def test_outside_voice_mode_screens_are_silent_until_repeat_asks(translations, engine, player):
    guide = VoiceGuide(translations, engine, player, voice_mode=False)
    assert guide.screen_opened([msg("attract.heading")]) == ()
    assert engine.calls == [] and player.queue == []

    said = guide.repeat()
    assert [u.message_id for u in said] == ["attract.heading"]
    assert guide.voice_mode is True


def test_plugging_a_headset_in_switches_voice_mode_on_and_says_the_screen(
    translations, engine, player
):
    guide = VoiceGuide(translations, engine, player, voice_mode=False)
    guide.screen_opened([greeting(), msg("home.hint")])
    guide.set_private(True)
    assert guide.voice_mode
    assert player.queued_ids == [voice.HEADSET_CONNECTED, "home.heading", "home.hint"]


# --- the prompt cache, the worker and failures --------------------------------------------


def test_cached_fixed_prompts_start_at_once_and_dynamic_ones_keep_their_place(
    translations, engine, player, tmp_path
):
    cache = PromptCache(engine, tmp_path)
    worker = ManualWorker()
    guide = VoiceGuide(translations, engine, player, cache=cache, worker=worker)
    guide.prewarm(["catalog.heading", "category.hint"], languages=["zh_CN"]).join()
    warmed = len(engine.calls)
    assert warmed == 2

    guide.screen_opened(
        [msg("catalog.heading"), msg("catalog.hint", count=7), msg("category.hint")]
    )
    # The heading plays before any synthesis; the hint waits for the count, in its place.
    assert player.queued_ids == ["catalog.heading"]
    assert len(engine.calls) == warmed
    worker.run_all()
    assert player.queued_ids == ["catalog.heading", "catalog.hint", "category.hint"]
    assert len(engine.calls) == warmed + 1, "only the dynamic prompt was made"


def test_prewarm_skips_templates_and_unknown_ids_and_covers_both_languages(
    translations, engine, player, tmp_path
):
    guide = VoiceGuide(translations, engine, player, cache=PromptCache(engine, tmp_path))
    guide.prewarm(["attract.heading", "catalog.hint", "no.such.id"]).join()
    assert sorted((c.language, c.text) for c in engine.calls) == sorted(
        [
            ("zh_CN", zh(translations, msg("attract.heading"))),
            ("en", en(translations, msg("attract.heading"))),
        ]
    )


def test_an_engine_that_speaks_by_itself_gets_text_clips_without_synthesis(translations, player):
    engine = DirectEngine()
    guide = VoiceGuide(translations, engine, player, worker=ManualWorker())
    guide.screen_opened([msg("attract.heading"), msg("catalog.hint", count=3)])
    assert player.queued_ids == ["attract.heading", "catalog.hint"]
    assert all(clip.wav is None for clip in player.queue)
    assert engine.calls == []
    assert guide.prewarm(["attract.heading"]) is None


def test_a_failing_engine_leaves_the_kiosk_silent_with_one_log_line(translations, player, caplog):
    engine = RecordingEngine(failing=True)
    guide = VoiceGuide(translations, engine, player)
    with caplog.at_level(logging.WARNING):
        guide.screen_opened([msg("attract.heading"), msg("attract.hint")])
        guide.screen_opened([msg("reading.heading")])
    assert player.queue == []
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "attract.heading" in warnings[0].getMessage()


def test_a_language_without_a_voice_is_skipped_not_crashed(translations, player):
    engine = RecordingEngine(languages=frozenset({"zh_CN"}))
    guide = VoiceGuide(translations, engine, player)
    guide.set_language("en")
    guide.screen_opened([msg("attract.heading")])
    assert player.queue == []


def test_the_thread_worker_keeps_order_and_hands_results_back_on_the_callers_thread(
    translations, engine, player
):
    posted: list[Callable[[], None]] = []
    lock = threading.Lock()

    def post(fn: Callable[[], None]) -> None:
        with lock:
            posted.append(fn)

    worker = ThreadWorker(post)
    guide = VoiceGuide(translations, engine, player, worker=worker)
    try:
        guide.screen_opened([msg("attract.heading"), msg("attract.hint"), msg("pin.heading")])
        worker.submit(lambda: None, lambda _: None)  # a marker: all before it are done
        for _ in range(500):
            with lock:
                if len(posted) == 4:
                    break
            threading.Event().wait(0.01)
        assert player.queue == [], "nothing reaches the player off the caller's thread"
        with lock:
            callbacks = list(posted)
        for callback in callbacks:
            callback()
    finally:
        worker.close()
    assert player.queued_ids == ["attract.heading", "attract.hint", "pin.heading"]
    assert {t.name for t in threading.enumerate()}.isdisjoint({"speech"})


def test_rate_and_volume_defaults_are_checked(translations, engine, player):
    with pytest.raises(ValueError):
        VoiceGuide(translations, engine, player, default_rate_step=len(RATE_STEPS))
    with pytest.raises(ValueError):
        VoiceGuide(translations, engine, player, default_volume_step=-1)


def test_the_guide_and_its_engines_load_no_qt() -> None:
    code = (
        "import kiosk.accessibility.voice, kiosk.devices.speech.espeak,"
        " kiosk.devices.speech.factory"
    )
    assert loaded_by(code, ["PySide6"]) == []
