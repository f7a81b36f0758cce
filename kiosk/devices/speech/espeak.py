"""Offline speech through the espeak-ng program: Mandarin and English on any Linux kiosk.

Mandarin goes through the `cmn-latn-pinyin` voice with the text turned into tone-numbered
pinyin first (.mandarin), because espeak-ng 1.51's own Chinese rules read characters wrongly.
Each call runs espeak-ng once per script run (usually once) and reads the WAV from its standard
output, so no audio of a dynamic prompt (a name, a balance) is ever written to disk.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import threading
from collections.abc import Mapping

from kiosk.devices.speech import mandarin
from kiosk.devices.speech.interface import (
    EngineCapabilities,
    EngineUnavailable,
    LanguageNotSupported,
    SynthesisFailed,
)
from kiosk.devices.speech.wav import WavError, concatenate, empty_wav, repair_streamed_wav

log = logging.getLogger(__name__)

PROGRAM = "espeak-ng"
DEFAULT_VOICES: Mapping[str, str] = {"zh_CN": "cmn-latn-pinyin", "en": "en"}
# espeak-ng's normal rate in words per minute, and the range it accepts.
NORMAL_WPM = 175
MIN_WPM, MAX_WPM = 80, 450
# Windows would flash a console window for every prompt without this.
_NO_WINDOW = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0


def words_per_minute(rate: float) -> int:
    return max(MIN_WPM, min(MAX_WPM, round(NORMAL_WPM * rate)))


class EspeakNgEngine:
    """SpeechEngine over the espeak-ng binary (found on PATH unless `program` names it)."""

    def __init__(
        self,
        program: str | None = None,
        voices: Mapping[str, str] | None = None,
        *,
        timeout_s: float = 10.0,
    ) -> None:
        found = shutil.which(program or PROGRAM)
        if found is None:
            raise EngineUnavailable(
                f"espeak-ng is not installed (no {program or PROGRAM!r} on PATH): install the "
                "espeak-ng package, or choose another speech engine"
            )
        self._program = found
        self._voices = dict(voices or DEFAULT_VOICES)
        self._timeout_s = timeout_s
        self._version: str | None = None
        self._version_lock = threading.Lock()

    @property
    def name(self) -> str:
        return "espeak-ng"

    @property
    def capabilities(self) -> EngineCapabilities:
        return EngineCapabilities(languages=frozenset(self._voices), makes_audio=True, offline=True)

    @property
    def version(self) -> str:
        with self._version_lock:
            if self._version is None:
                self._version = self._ask_version()
            return self._version

    def _ask_version(self) -> str:
        try:
            done = subprocess.run(
                [self._program, "--version"],
                capture_output=True,
                timeout=self._timeout_s,
                check=False,
                creationflags=_NO_WINDOW,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise EngineUnavailable(f"espeak-ng does not start: {type(error).__name__}") from None
        words = done.stdout.decode("utf-8", "replace").split()
        # "eSpeak NG text-to-speech: 1.51  Data at: ..." -> "1.51"
        return next((w for w in words if w[:1].isdigit()), "unknown")

    def voice_for(self, language: str) -> str:
        voice = self._voices.get(language) or self._voices.get(language.split("_")[0])
        if voice is None:
            raise LanguageNotSupported(f"espeak-ng has no voice configured for {language}")
        return voice

    def voice_tag(self, language: str) -> str:
        return f"espeak-ng {self.version} {self.voice_for(language)}"

    def warm_up(self) -> None:
        # pypinyin's dictionary takes about 0.3 s to load: better on a background thread at
        # start than in front of the first resident who hears an amount.
        self.version  # noqa: B018 - asked for its side effect
        if any(language.startswith("zh") for language in self._voices):
            mandarin.to_pinyin("一")

    def synthesize(self, text: str, language: str, rate: float) -> bytes:
        self.voice_for(language)
        wavs = []
        for run_language, run_text in mandarin.split_by_script(text, language):
            if run_language not in self._voices and run_language != language:
                # No voice for the foreign script: read it with the text's own voice.
                run_language = language
            prepared = self.prepare(run_text, run_language)
            if prepared:
                wavs.append(self._run(prepared, self.voice_for(run_language), rate))
        if not wavs:
            return empty_wav()
        try:
            return wavs[0] if len(wavs) == 1 else concatenate(wavs)
        except WavError as error:
            raise SynthesisFailed(f"espeak-ng voices disagree on format: {error}") from None

    def prepare(self, text: str, language: str) -> str:
        """The text as this engine's voice for `language` is given it."""
        if language.startswith("zh"):
            return mandarin.to_pinyin(text)
        return " ".join(text.split())

    def _run(self, prepared: str, voice: str, rate: float) -> bytes:
        command = [
            self._program,
            "-v",
            voice,
            "-s",
            str(words_per_minute(rate)),
            "-b",
            "1",  # the input is UTF-8
            "--stdin",
            "--stdout",
        ]
        try:
            # Text on standard input: never on a command line where other users could see it.
            done = subprocess.run(
                command,
                input=prepared.encode("utf-8"),
                capture_output=True,
                timeout=self._timeout_s,
                check=False,
                creationflags=_NO_WINDOW,
            )
        except subprocess.TimeoutExpired:
            raise SynthesisFailed(f"espeak-ng took longer than {self._timeout_s} s") from None
        except OSError as error:
            raise EngineUnavailable(f"espeak-ng does not start: {type(error).__name__}") from None
        if done.returncode != 0:
            raise SynthesisFailed(f"espeak-ng exited with status {done.returncode}")
        try:
            return repair_streamed_wav(done.stdout)
        except WavError as error:
            raise SynthesisFailed(f"espeak-ng wrote no usable WAV: {error}") from None
