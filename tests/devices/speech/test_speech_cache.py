"""The prompt cache keeps fixed prompts as WAV files keyed by everything that changes the sound,
warms in the background, survives a read-only disk, and stays within its size; and the WAV
helpers it relies on."""

from __future__ import annotations

import io
import logging
import os
import struct
import wave
from pathlib import Path

import pytest

from kiosk.devices.speech.cache import PromptCache, default_folder
from kiosk.devices.speech.simulated import RecordingEngine
from kiosk.devices.speech.wav import (
    WavError,
    concatenate,
    empty_wav,
    repair_streamed_wav,
    wav_duration,
)


def tone_wav(frames: int, rate: int = 22050) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(struct.pack(f"<{frames}h", *range(frames)))
    return buffer.getvalue()


class VoicedEngine(RecordingEngine):
    """Records calls and returns audio whose length follows the text, so files differ."""

    def __init__(self, voice: str = "v1") -> None:
        super().__init__()
        self.voice = voice

    def voice_tag(self, language: str) -> str:
        return f"{self.voice} {language}"

    def synthesize(self, text: str, language: str, rate: float) -> bytes:
        super().synthesize(text, language, rate)
        return tone_wav(100 * len(text))


@pytest.fixture
def engine() -> VoicedEngine:
    return VoicedEngine()


def test_a_prompt_is_made_once_then_read_from_disk(engine, tmp_path) -> None:
    cache = PromptCache(engine, tmp_path)
    assert cache.get("请插入社保卡", "zh_CN", 1.0) is None
    first = cache.get_or_make("请插入社保卡", "zh_CN", 1.0)
    again = cache.get_or_make("请插入社保卡", "zh_CN", 1.0)
    assert first == again == cache.get("请插入社保卡", "zh_CN", 1.0)
    assert len(engine.calls) == 1
    assert list(tmp_path.glob("*.part")) == []


@pytest.mark.parametrize(
    "changed",
    [
        ("请取出社保卡", "zh_CN", 1.0, "v1"),  # the text (an edited catalog)
        ("请插入社保卡", "en", 1.0, "v1"),  # the language
        ("请插入社保卡", "zh_CN", 1.25, "v1"),  # the rate
        ("请插入社保卡", "zh_CN", 1.0, "v2"),  # the voice or its version
    ],
)
def test_anything_that_changes_the_sound_changes_the_key(tmp_path, changed) -> None:
    text, language, rate, voice = changed
    base = PromptCache(VoicedEngine("v1"), tmp_path)
    other = PromptCache(VoicedEngine(voice), tmp_path)
    assert base.key("请插入社保卡", "zh_CN", 1.0) != other.key(text, language, rate)
    assert base.key("请插入社保卡", "zh_CN", 1.0) == PromptCache(VoicedEngine(), tmp_path).key(
        "请插入社保卡", "zh_CN", 1.0
    )


def test_warming_in_the_background_makes_every_missing_prompt_once(engine, tmp_path) -> None:
    cache = PromptCache(engine, tmp_path)
    cache.get_or_make("请插入社保卡", "zh_CN", 1.0)
    items = [("请插入社保卡", "zh_CN"), ("请取出社保卡", "zh_CN"), ("Welcome", "en")] * 2
    thread = cache.warm_in_background(items)
    thread.join(10)
    assert not thread.is_alive()
    assert engine.warmed_up, "the engine loaded its dictionaries off the UI thread too"
    assert len(engine.calls) == 3
    assert all(cache.get(t, lang, 1.0) for t, lang in items)
    report = cache.warm(items)
    assert (report.made, report.present, report.failed) == (0, 3, 0)


def test_warming_counts_failures_and_carries_on(tmp_path, caplog) -> None:
    engine = RecordingEngine(failing=True)
    with caplog.at_level(logging.WARNING):
        report = PromptCache(engine, tmp_path).warm([("一", "zh_CN"), ("二", "zh_CN")])
    assert (report.made, report.failed) == (0, 2)
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_a_damaged_file_is_made_again(engine, tmp_path) -> None:
    cache = PromptCache(engine, tmp_path)
    cache.path("请插入社保卡", "zh_CN", 1.0).write_bytes(b"RIF")
    assert cache.get("请插入社保卡", "zh_CN", 1.0) is None
    assert wav_duration(cache.get_or_make("请插入社保卡", "zh_CN", 1.0)) > 0


def test_an_unwritable_folder_still_speaks_with_one_warning(engine, tmp_path, caplog) -> None:
    # A file where the folder should be: no folder can be made there, whoever the user is.
    blocked = tmp_path / "speech"
    blocked.write_bytes(b"")
    cache = PromptCache(engine, blocked)
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert wav_duration(cache.get_or_make("请插入社保卡", "zh_CN", 1.0)) > 0
    assert len(engine.calls) == 3
    assert len(caplog.records) == 1 and "not writable" in caplog.records[0].getMessage()


def test_prune_removes_the_oldest_files_beyond_the_limit(engine, tmp_path) -> None:
    cache = PromptCache(engine, tmp_path, max_bytes=10_000)
    for age, text in enumerate(["old" * 10, "mid" * 10, "new" * 10]):
        path = cache.path(text, "en", 1.0)
        cache.get_or_make(text, "en", 1.0)
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    sizes = {p.name: p.stat().st_size for p in tmp_path.glob("*.wav")}
    assert sum(sizes.values()) > 10_000
    removed = cache.prune()
    assert removed >= 1
    assert cache.get("new" * 10, "en", 1.0) is not None
    assert cache.get("old" * 10, "en", 1.0) is None
    assert sum(p.stat().st_size for p in tmp_path.glob("*.wav")) <= 10_000


def test_the_default_folder_is_the_users_cache(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    if os.name == "posix" and not str(default_folder()).startswith(str(tmp_path)):
        pytest.skip("platformdirs ignores XDG on this platform")
    assert default_folder() == Path(tmp_path) / "onecard-kiosk" / "speech"


# --- WAV helpers -----------------------------------------------------------------------------


def streamed(data: bytes) -> bytes:
    """The same WAV as a program writing to a pipe sends it: sizes it could not know."""
    placeholder = struct.pack("<I", 0x7FFFF000)
    return data[:4] + placeholder + data[8:40] + placeholder + data[44:]


def test_a_streamed_wav_gets_its_true_length_back() -> None:
    original = tone_wav(22050)
    with wave.open(io.BytesIO(streamed(original)), "rb") as lying:
        assert lying.getnframes() != 22050, "the streamed header does not know the length"
    repaired = repair_streamed_wav(streamed(original))
    assert repaired == original
    with wave.open(io.BytesIO(repaired), "rb") as honest:
        assert honest.getnframes() == 22050


def test_a_stream_cut_mid_frame_keeps_whole_frames() -> None:
    repaired = repair_streamed_wav(streamed(tone_wav(100))[:-1])
    assert wav_duration(repaired) == 99 / 22050


@pytest.mark.parametrize("junk", [b"", b"RIFF", b"RIFF\0\0\0\0WAVEdata", b"not a wav at all"])
def test_what_is_not_a_wav_is_a_wav_error(junk: bytes) -> None:
    with pytest.raises(WavError):
        repair_streamed_wav(junk)


def test_wavs_join_end_to_end_and_refuse_other_formats() -> None:
    joined = concatenate([tone_wav(22050), empty_wav(), tone_wav(11025)])
    assert wav_duration(joined) == 1.5
    with pytest.raises(WavError):
        concatenate([tone_wav(10), tone_wav(10, rate=16000)])
    assert wav_duration(concatenate([])) == 0.0
