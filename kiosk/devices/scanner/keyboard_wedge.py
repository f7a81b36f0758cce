"""An e-code scanner that types like a keyboard (USB HID "keyboard wedge").

The scanner types its configured prefix, the code and its suffix (usually Enter) in one burst,
faster than any hand. The UI hands every key press to key() before the screen sees it and does
what the verdict says:

- PASS: the screen has it now;
- HOLD: kept back for now (it may be the start of a scan);
- TAKEN: part of a scan: it and everything held are dropped, never reaching the screen;
- RELEASE: not a scan after all: what was held goes to the screen, then this key.

When no key follows a held one within `max_gap_s`, the UI calls expire() and releases (or, in
the middle of a code, drops) what it holds. With a prefix the scanner is told apart at its
first characters, so a code's digits never choose a tile; the prefix should be characters no
resident types (the keypad has digits, `*`, `#` and Enter). Without one, every printable key
waits `max_gap_s` before the screen has it, which a person does not notice.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from kiosk.devices.scanner.framing import MAX_CODE_LENGTH, acceptable
from kiosk.devices.scanner.interface import ECodeListener, SilentListener, WedgeVerdict

ENTER = "\r"


class KeyboardWedgeScanner:
    """Implements ECodeScanner and the UI's KeyWedge. Called on the UI thread only."""

    def __init__(
        self,
        prefix: str = "",
        suffix: str = ENTER,
        max_gap_s: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not suffix:
            raise ValueError("a keyboard-wedge scanner needs a suffix that ends each code")
        self._prefix = prefix
        self._suffix = suffix
        self._max_gap_s = max_gap_s
        self._clock = clock
        self._listener: ECodeListener = SilentListener()
        self._lock = threading.Lock()
        self._typed: list[str] = []  # what is held, prefix included
        self._in_code = False  # the prefix has been seen (or there is none and a burst began)
        self._last = 0.0

    @property
    def name(self) -> str:
        return "keyboard-wedge scanner"

    @property
    def max_gap_s(self) -> float:
        return self._max_gap_s

    @property
    def holding(self) -> bool:
        return bool(self._typed)

    def start(self, listener: ECodeListener) -> None:
        self._listener = listener
        # A keyboard wedge is a keyboard: the kiosk cannot tell it is plugged until it types.
        listener.scanner_changed(True)

    def stop(self) -> None:
        self._listener = SilentListener()
        self._forget()

    def key(self, text: str) -> WedgeVerdict:
        """One key press: `text` is what it types ("" for a key that types nothing, such as an
        arrow or F1; "\\r" for Enter). The UI calls expire_if_stale() first."""
        now = self._clock()
        with self._lock:
            if not self._typed:
                return self._first(text, now)
            self._last = now
            return self._next(text)

    def expire_if_stale(self) -> WedgeVerdict:
        """Before a key: expire() if the gap since the last held key has passed (the UI's timer
        may not have fired yet on a busy event loop), else PASS (nothing to do)."""
        with self._lock:
            stale = bool(self._typed) and self._clock() - self._last > self._max_gap_s
        return self.expire() if stale else WedgeVerdict.PASS

    def expire(self) -> WedgeVerdict:
        """No key followed in time: RELEASE what is held, or TAKEN (drop it) in a code that
        began with the prefix and lost its end (a scanner's garbled read)."""
        with self._lock:
            if not self._typed:
                return WedgeVerdict.PASS
            verdict = WedgeVerdict.TAKEN if self._in_code and self._prefix else WedgeVerdict.RELEASE
            self._forget_locked()
            return verdict

    # --- inside the lock ---

    def _first(self, text: str, now: float) -> WedgeVerdict:
        if not text or not text.isprintable():
            return WedgeVerdict.PASS
        if self._prefix:
            if not self._prefix.startswith(text):
                return WedgeVerdict.PASS
            self._typed.append(text)
            self._in_code = "".join(self._typed) == self._prefix
        else:
            self._typed.append(text)
            self._in_code = True
        self._last = now
        return WedgeVerdict.HOLD

    def _next(self, text: str) -> WedgeVerdict:
        typed = "".join(self._typed) + text
        if not self._in_code:
            if self._prefix.startswith(typed):
                self._typed.append(text)
                self._in_code = typed == self._prefix
                return WedgeVerdict.HOLD
            self._forget_locked()
            return WedgeVerdict.RELEASE
        if not text:
            return self._give_up()
        self._typed.append(text)
        body = typed[len(self._prefix) :]
        if body.endswith(self._suffix):
            code = body[: -len(self._suffix)]
            if acceptable(code):
                self._forget_locked()
                self._listener.code_scanned(code)
                return WedgeVerdict.TAKEN
            return self._give_up()
        if len(body) > MAX_CODE_LENGTH + len(self._suffix):
            return self._give_up()
        return WedgeVerdict.HOLD

    def _give_up(self) -> WedgeVerdict:
        verdict = WedgeVerdict.TAKEN if self._prefix else WedgeVerdict.RELEASE
        self._forget_locked()
        return verdict

    def _forget(self) -> None:
        with self._lock:
            self._forget_locked()

    def _forget_locked(self) -> None:
        # The held keys may be an e-code: overwrite before letting go of them.
        for index in range(len(self._typed)):
            self._typed[index] = ""
        self._typed.clear()
        self._in_code = False
