"""Speech: how soon a screen starts speaking, from the warm prompt cache against espeak-ng cold.

- speech_first_audio_warm: from VoiceGuide.screen_opened() to the first clip in the player for
  a fixed prompt (attract.heading, 请插入社保卡) already in the prompt cache; baseline: the same
  call with an empty cache, so espeak-ng makes the clip then and there.
- speech_dynamic_sentence: a dynamic sentence (an amount and a date, made on demand) through
  EspeakNgEngine, text conversion included; baseline: espeak-ng alone given the same pinyin,
  which is what the conversion to pinyin and numbers costs on top.
- speech_pinyin_first_use: the first conversion in a process (pypinyin loads its dictionary);
  baseline: a later conversion. Prewarming on a background thread pays this before a resident
  is there.

Medians of 20. Needs espeak-ng. Nothing plays: a recording player takes the clips.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench import Result
from kiosk.devices.speech.simulated import NullPlayer

ROUNDS = 20
DYNAMIC = "您的医保个人账户余额为 1234.56 元，截至 2026-11-27"


class _FirstClipPlayer(NullPlayer):
    """Notes when the first clip arrives, and plays nothing."""

    def __init__(self) -> None:
        self.first_at: float | None = None
        self.seconds = 0.0

    def enqueue(self, clip) -> None:
        if self.first_at is None:
            self.first_at = time.perf_counter()
            self.seconds = clip.duration_s


def _first_audio(translations, engine, cache_folder: Path) -> tuple[float, float]:
    from kiosk.accessibility.voice import VoiceGuide
    from kiosk.devices.speech.cache import PromptCache
    from kiosk.domain.messages import msg

    player = _FirstClipPlayer()
    guide = VoiceGuide(translations, engine, player, cache=PromptCache(engine, cache_folder))
    started = time.perf_counter()
    guide.screen_opened([msg("attract.heading"), msg("attract.hint")])
    assert player.first_at is not None, "the guide spoke nothing"
    return player.first_at - started, player.seconds


def run() -> list[Result]:
    if shutil.which("espeak-ng") is None:
        print("speech: espeak-ng is not installed; skipped")
        return []
    from kiosk.devices.speech import mandarin
    from kiosk.devices.speech.espeak import EspeakNgEngine, words_per_minute
    from kiosk.devices.speech.wav import repair_streamed_wav, wav_duration
    from kiosk.i18n import Translations

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-speech-") as folder:
        root = Path(folder)
        translations = Translations(root / "catalogs")
        translations.get("zh_CN")

        first_started = time.perf_counter()
        mandarin.to_pinyin("请插入社保卡")
        first_use = time.perf_counter() - first_started
        later = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            mandarin.to_pinyin("请取出社保卡")
            later.append(time.perf_counter() - started)
        results.append(
            Result.against(
                "speech_pinyin_first_use",
                first_use * 1000,
                statistics.median(later) * 1000,
                "ms",
                "pypinyin's dictionary load, once per process",
            )
        )

        engine = EspeakNgEngine()
        engine.version  # noqa: B018 - asked once, as a running kiosk would have by now

        cold, clip_seconds = [], 0.0
        for round_ in range(ROUNDS):
            elapsed, clip_seconds = _first_audio(translations, engine, root / f"cold{round_}")
            cold.append(elapsed)
        warm_folder = root / "warm"
        _first_audio(translations, engine, warm_folder)
        warm = [_first_audio(translations, engine, warm_folder)[0] for _ in range(ROUNDS)]
        results.append(
            Result.median_ms(
                "speech_first_audio_warm",
                warm,
                cold,
                f"cached 请插入社保卡 vs espeak-ng cold; clip {clip_seconds:.2f} s of audio",
            )
        )

        pinyin = engine.prepare(DYNAMIC, "zh_CN")
        bare, ours, audio = [], [], 0.0
        command = [
            shutil.which("espeak-ng") or "espeak-ng",
            "-v",
            "cmn-latn-pinyin",
            "-s",
            str(words_per_minute(1.0)),
            "--stdin",
            "--stdout",
        ]
        for _ in range(ROUNDS):
            started = time.perf_counter()
            done = subprocess.run(command, input=pinyin.encode(), capture_output=True, check=True)
            repair_streamed_wav(done.stdout)
            bare.append(time.perf_counter() - started)
            started = time.perf_counter()
            wav = engine.synthesize(DYNAMIC, "zh_CN", 1.0)
            ours.append(time.perf_counter() - started)
            audio = wav_duration(wav)
        results.append(
            Result.median_ms(
                "speech_dynamic_sentence",
                ours,
                bare,
                f"amount and date, made on demand; {audio:.2f} s of audio",
            )
        )
    return results
