"""Fixed prompts kept as WAV files, so that a screen speaks the moment it opens.

A fixed prompt is a message without parameters ("请插入社保卡"): the same for every resident,
so its audio can be made ahead of time (warm()) and kept in the user cache folder. The key is a
hash of engine, voice (with its version), language, rate and text: an edited catalog, another
voice or another rate simply makes new files. Dynamic prompts (amounts, dates, names) never
come here; they are made on demand and stay in memory, so no resident's data reaches the disk.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.devices.speech.interface import SpeechEngine, SpeechError

log = logging.getLogger(__name__)

APP_NAME = "onecard-kiosk"
# Every fixed prompt in two languages at every rate step is about 100 MB; most kiosks use one
# rate, and a prune keeps the folder from growing past this.
DEFAULT_MAX_BYTES = 200_000_000


def default_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "speech"


@dataclass(frozen=True)
class WarmReport:
    made: int
    present: int
    failed: int
    seconds: float


class PromptCache:
    """WAVs of fixed prompts on disk, made by one engine. Safe to use from several threads."""

    def __init__(
        self,
        engine: SpeechEngine,
        folder: Path | None = None,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.engine = engine
        self.folder = folder if folder is not None else default_folder()
        self.max_bytes = max_bytes
        self._writable = True
        self._lock = threading.Lock()

    def key(self, text: str, language: str, rate: float) -> str:
        parts = [self.engine.name, self.engine.voice_tag(language), language, f"{rate:.3f}", text]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:40]

    def path(self, text: str, language: str, rate: float) -> Path:
        return self.folder / f"{self.key(text, language, rate)}.wav"

    def get(self, text: str, language: str, rate: float) -> bytes | None:
        """The cached WAV, or None. Cheap: a hash and a file read."""
        try:
            data = self.path(text, language, rate).read_bytes()
        except (OSError, SpeechError):
            # SpeechError: the engine has no voice for the language, so nothing can be cached.
            return None
        # A file cut short (power lost mid-write is prevented by the rename, but disks fail).
        return data if data[:4] == b"RIFF" and len(data) >= 44 else None

    def get_or_make(self, text: str, language: str, rate: float) -> bytes:
        """The cached WAV, made and stored first when missing. Raises SpeechError."""
        cached = self.get(text, language, rate)
        if cached is not None:
            return cached
        started = time.perf_counter()
        data = self.engine.synthesize(text, language, rate)
        self._store(self.path(text, language, rate), data)
        log.debug(
            "cached a prompt in %s in %.0f ms", language, 1000 * (time.perf_counter() - started)
        )
        return data

    def _store(self, path: Path, data: bytes) -> None:
        if not self._writable:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Written beside its place, then renamed: a reader never sees half a file.
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".part")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except OSError as error:
            with self._lock:
                if self._writable:
                    self._writable = False
                    log.warning(
                        "speech cache folder not writable (%s): prompts are made each time",
                        type(error).__name__,
                    )

    def warm(self, items: Iterable[tuple[str, str]], rate: float = 1.0) -> WarmReport:
        """Makes the WAV of every (text, language) not yet cached. Failures are counted and
        logged by kind; a kiosk whose engine fails still starts, only without cached prompts."""
        started = time.perf_counter()
        made = present = failed = 0
        try:
            self.engine.warm_up()
        except SpeechError as error:
            log.warning("warming the speech engine: %s", error)
        seen: set[tuple[str, str]] = set()
        for text, language in items:
            if (text, language) in seen or not text.strip():
                continue
            seen.add((text, language))
            if self.get(text, language, rate) is not None:
                present += 1
                continue
            try:
                self.get_or_make(text, language, rate)
                made += 1
            except SpeechError as error:
                failed += 1
                if failed == 1:
                    log.warning("warming speech prompts: %s", error)
        self.prune()
        report = WarmReport(made, present, failed, time.perf_counter() - started)
        log.info(
            "speech prompts warm: %d made, %d present, %d failed in %.1f s",
            made,
            present,
            failed,
            report.seconds,
        )
        return report

    def warm_in_background(
        self, items: Iterable[tuple[str, str]], rate: float = 1.0
    ) -> threading.Thread:
        """warm() on a daemon thread, started; join() it to wait. The items are read first,
        on the caller's thread, so the caller may change its own list afterwards."""
        frozen = list(items)
        thread = threading.Thread(
            target=self.warm, args=(frozen, rate), name="speech-warm", daemon=True
        )
        thread.start()
        return thread

    def prune(self) -> int:
        """Removes the least recently made files beyond max_bytes; returns how many."""
        try:
            files = [(p.stat(), p) for p in self.folder.glob("*.wav")]
        except OSError:
            return 0
        total = sum(stat.st_size for stat, _ in files)
        removed = 0
        for stat, path in sorted(files, key=lambda item: item[0].st_mtime):
            if total <= self.max_bytes:
                break
            try:
                path.unlink()
            except OSError:
                continue
            total -= stat.st_size
            removed += 1
        return removed
