"""Players: the Qt Multimedia player plays clips in order and cuts off on stop; without a sound
device or without Qt Multimedia it is silent with one log line; the Qt system-voice player says
text itself; the factory picks engine and player in one place and never fails a kiosk."""

from __future__ import annotations

import logging
import shutil

import pytest
from speech_audio import short_wav

from kiosk.devices.speech.factory import make_speech
from kiosk.devices.speech.interface import Clip, SynthesisUnsupported, Utterance
from kiosk.devices.speech.qt_player import QtAudioPlayer
from kiosk.devices.speech.qt_speech import QtSpeechEngine, qt_rate
from kiosk.devices.speech.simulated import NullEngine, NullPlayer, RecordingEngine, RecordingPlayer
from kiosk.devices.speech.wav import empty_wav

# What Qt Multimedia says about a machine without sound hardware (CI): not the kiosk's fault.
NO_SOUND_HARDWARE = (
    r"Couldn't (load|resolve)",
    r"PulseAudioService",
    r"No audio device detected",
    r"pipewire",
    r"Using Qt multimedia with FFmpeg",
)


def clip(message_id: str, wav: bytes | None, language: str = "en", text: str = "x") -> Clip:
    return Clip(Utterance(message_id, text, language), wav)


def test_without_a_sound_device_clips_are_dropped_with_one_log_line(caplog) -> None:
    player = QtAudioPlayer(outputs=lambda: 0)
    with caplog.at_level(logging.WARNING):
        for index in range(3):
            player.enqueue(clip(f"p{index}", short_wav()))
        player.set_volume(0.5)
        player.stop()
    assert not player.playing
    assert [r.getMessage() for r in caplog.records] == ["speech is silent: no sound device"]


def test_without_qt_multimedia_the_player_is_silent_not_broken(caplog) -> None:
    def missing() -> int:
        raise ImportError("libpulse.so.0: cannot open shared object file", name="libpulse")

    player = QtAudioPlayer(outputs=missing)
    with caplog.at_level(logging.WARNING):
        player.enqueue(clip("p", short_wav()))
        player.enqueue(clip("q", short_wav()))
    assert not player.playing
    assert len(caplog.records) == 1 and "libpulse" in caplog.records[0].getMessage()


@pytest.mark.qt_log_ignore(*NO_SOUND_HARDWARE)
def test_clips_play_in_order_to_their_end(qtbot) -> None:
    player = QtAudioPlayer(outputs=lambda: 1)
    player.set_volume(0.3)
    player.enqueue(clip("first", short_wav(0.15)))
    player.enqueue(clip("empty", empty_wav()))  # nothing to play: skipped, not stuck on
    player.enqueue(clip("second", short_wav(0.15)))
    assert player.playing
    qtbot.waitUntil(lambda: player.played == 2, timeout=5000)
    assert not player.playing
    player.close()


@pytest.mark.qt_log_ignore(*NO_SOUND_HARDWARE)
def test_stop_cuts_off_the_clip_and_forgets_the_queue(qtbot) -> None:
    player = QtAudioPlayer(outputs=lambda: 1)
    player.enqueue(clip("long", short_wav(3.0)))
    player.enqueue(clip("queued", short_wav(0.1)))
    player.stop()
    assert not player.playing
    qtbot.wait(300)
    assert player.played == 0
    player.enqueue(clip("after", short_wav(0.1)))
    qtbot.waitUntil(lambda: player.played == 1, timeout=5000)
    player.close()


def test_qt_rate_maps_half_to_double_onto_minus_one_to_one() -> None:
    assert (qt_rate(0.5), qt_rate(1.0), qt_rate(2.0)) == (-1.0, 0.0, 1.0)
    assert -1.0 < qt_rate(0.8) < 0.0 < qt_rate(1.25) < 1.0


def test_the_system_voice_engine_makes_no_audio_and_says_so() -> None:
    engine = QtSpeechEngine("mock")
    with pytest.raises(SynthesisUnsupported):
        engine.synthesize("hello", "en", 1.0)


# The first test of a process to start Qt Multimedia meets its probes, whatever ran before.
@pytest.mark.qt_log_ignore(*NO_SOUND_HARDWARE)
def test_the_system_voice_player_says_texts_in_order_and_skips_a_missing_language(
    qtbot, caplog
) -> None:
    # Qt's "mock" engine speaks English (with timers, no sound) and has no Chinese.
    engine = QtSpeechEngine("mock")
    assert engine.capabilities.languages == frozenset({"en"})
    assert not engine.capabilities.makes_audio
    player = engine.player()
    with caplog.at_level(logging.WARNING):
        player.enqueue(clip("a", None, "en", "one two"))
        player.enqueue(clip("b", None, "zh_CN", "请插入社保卡"))
        player.enqueue(clip("c", None, "en", "three"))
        qtbot.waitUntil(lambda: player.spoken == 2, timeout=10000)
    assert [r.getMessage() for r in caplog.records] == [
        "the system's speech has no voice for zh_CN: not spoken"
    ]
    player.enqueue(clip("d", None, "en", "a long sentence of many words to cut off"))
    player.stop()
    qtbot.wait(200)
    assert player.spoken == 2


def test_the_factory_gives_a_recording_pair_and_a_silent_pair() -> None:
    recording = make_speech("recording")
    assert isinstance(recording.engine, RecordingEngine)
    assert isinstance(recording.player, RecordingPlayer)
    silent = make_speech("none")
    assert isinstance(silent.engine, NullEngine) and isinstance(silent.player, NullPlayer)
    with pytest.raises(ValueError, match="unknown speech engine"):
        make_speech("festival")


def test_a_missing_espeak_ng_leaves_the_kiosk_silent_not_stopped(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        speech = make_speech("espeak-ng", espeak_program="espeak-ng-that-is-not-there")
    assert isinstance(speech.engine, NullEngine) and speech.cache is None
    assert len(caplog.records) == 1 and "not installed" in caplog.records[0].getMessage()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_factory_pairs_espeak_ng_with_the_qt_player_and_a_cache(tmp_path) -> None:
    speech = make_speech("espeak-ng", cache_folder=tmp_path)
    assert speech.engine.name == "espeak-ng"
    assert isinstance(speech.player, QtAudioPlayer)
    assert speech.cache is not None and speech.cache.folder == tmp_path
