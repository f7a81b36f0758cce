"""A real espeak-ng makes Mandarin and English audio: WAVs of plausible length, shorter when
faster, measured with the standard library's `wave` (shared/DESIGN.md, "Voice")."""

from __future__ import annotations

import io
import os
import shutil
import wave

import pytest

from kiosk.accessibility.voice import RATE_STEPS, VoiceGuide
from kiosk.devices.speech.cache import PromptCache
from kiosk.devices.speech.espeak import EspeakNgEngine, words_per_minute
from kiosk.devices.speech.interface import EngineUnavailable, LanguageNotSupported
from kiosk.devices.speech.simulated import RecordingPlayer
from kiosk.devices.speech.wav import wav_duration
from kiosk.domain.messages import msg
from kiosk.i18n import Translations

# CI installs espeak-ng (.ci/run): there a missing program is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None and not os.environ.get("CI"),
    reason="espeak-ng is not installed on this machine",
)


@pytest.fixture(scope="module")
def engine() -> EspeakNgEngine:
    return EspeakNgEngine()


def seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        return wav.getnframes() / wav.getframerate()


def test_a_mandarin_prompt_is_audio_of_plausible_length(engine) -> None:
    # Six syllables: a person says them in one to two seconds.
    assert 0.8 <= seconds(engine.synthesize("请插入社保卡", "zh_CN", 1.0)) <= 4.0


def test_a_faster_rate_gives_shorter_audio(engine) -> None:
    lengths = [seconds(engine.synthesize("请插入社保卡", "zh_CN", r)) for r in (0.5, 1.0, 2.0)]
    assert lengths[0] > lengths[1] > lengths[2] > 0


def test_every_rate_step_is_within_what_espeak_ng_accepts() -> None:
    wpm = [words_per_minute(rate) for rate in RATE_STEPS]
    assert wpm == sorted(set(wpm)), "each step is a different speed"


def test_english_is_spoken_with_the_english_voice(engine) -> None:
    duration = seconds(engine.synthesize("Please insert your social security card", "en", 1.0))
    assert 1.0 <= duration <= 5.0


def test_numbers_are_spoken_as_their_chinese_words(engine) -> None:
    with_digits = engine.synthesize("120 元", "zh_CN", 1.0)
    assert with_digits == engine.synthesize("一百二十元", "zh_CN", 1.0)
    assert seconds(with_digits) > 2 * seconds(engine.synthesize("元", "zh_CN", 1.0))


def test_an_english_word_in_chinese_text_is_added_not_lost(engine) -> None:
    mixed = seconds(engine.synthesize("请按 English 键", "zh_CN", 1.0))
    chinese = seconds(engine.synthesize("请按键", "zh_CN", 1.0))
    assert mixed > chinese + 0.2


def test_text_that_looks_like_an_option_is_spoken_not_obeyed(engine) -> None:
    # Text goes in on standard input: "--help" is words, not a flag.
    assert seconds(engine.synthesize("--help", "en", 1.0)) > 0.2


def test_punctuation_alone_is_silence(engine) -> None:
    assert seconds(engine.synthesize("，。", "zh_CN", 1.0)) == 0.0


def test_a_language_without_a_voice_is_a_typed_error(engine) -> None:
    with pytest.raises(LanguageNotSupported):
        engine.synthesize("bonjour", "fr", 1.0)


def test_a_missing_program_is_a_clear_typed_error() -> None:
    with pytest.raises(EngineUnavailable, match="espeak-ng is not installed"):
        EspeakNgEngine("espeak-ng-that-is-not-there")


def test_the_voice_tag_names_version_and_voice(engine) -> None:
    tag = engine.voice_tag("zh_CN")
    assert "cmn-latn-pinyin" in tag and engine.version in tag
    assert engine.version[0].isdigit()


def test_the_guide_speaks_real_audio_and_caches_only_the_fixed_prompt(engine, tmp_path) -> None:
    translations = Translations(tmp_path / "catalogs")
    cache = PromptCache(engine, tmp_path / "speech")
    player = RecordingPlayer()
    guide = VoiceGuide(translations, engine, player, cache=cache, headset=True)

    guide.screen_opened(
        [msg("attract.heading"), msg("home.heading", name="王芳", private=("name",))]
    )

    durations = [clip.duration_s for clip in player.queue]
    assert len(durations) == 2 and all(0.5 < d < 6 for d in durations)
    assert [p.suffix for p in cache.folder.iterdir()] == [".wav"]
    heading = translations.get("zh_CN").text("attract.heading")
    assert wav_duration(cache.path(heading, "zh_CN", 1.0).read_bytes()) == durations[0]


def test_a_language_the_engine_has_no_voice_for_is_silent_not_a_crash(tmp_path, caplog) -> None:
    chinese_only = EspeakNgEngine(voices={"zh_CN": "cmn-latn-pinyin"})
    player = RecordingPlayer()
    guide = VoiceGuide(
        Translations(tmp_path / "catalogs"),
        chinese_only,
        player,
        cache=PromptCache(chinese_only, tmp_path / "speech"),
    )
    guide.set_language("en")
    with caplog.at_level("WARNING"):
        said = guide.screen_opened([msg("attract.heading")])
    assert [u.language for u in said] == ["en"]
    assert player.queue == []
    assert "LanguageNotSupported" in caplog.text
